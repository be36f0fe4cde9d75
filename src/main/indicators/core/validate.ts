import { AppError } from '../../../shared/contract/errors'

/**
 * Input and parameter checks shared by every indicator. Inputs must be finite numbers and a
 * bar's high may not be below its low; a bad value is reported with the indicator, the field
 * and the bar index, never turned into a silently wrong number.
 */

export function checkInteger(indicator: string, name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new AppError(
      'validation',
      `${indicator}: ${name} must be an integer >= ${min}, got ${value}`,
      `params.${name}`,
    )
  }
  return value
}

export function checkReal(
  indicator: string,
  name: string,
  value: number,
  min: number,
  { exclusive = false }: { exclusive?: boolean } = {},
): number {
  const below = exclusive ? value <= min : value < min
  if (!Number.isFinite(value) || below) {
    throw new AppError(
      'validation',
      `${indicator}: ${name} must be a number ${exclusive ? '>' : '>='} ${min}, got ${value}`,
      `params.${name}`,
    )
  }
  return value
}

export function badValue(indicator: string, field: string, value: number, bar: number): AppError {
  return new AppError(
    'validation',
    `${indicator}: ${field} at bar ${bar} is ${value}; inputs must be finite numbers`,
    `${field}[${bar}]`,
  )
}

export function checkFinite(indicator: string, field: string, value: number, bar: number): void {
  if (!Number.isFinite(value)) throw badValue(indicator, field, value, bar)
}

/** High and low finite, high >= low. */
export function checkHl(indicator: string, high: number, low: number, bar: number): void {
  checkFinite(indicator, 'high', high, bar)
  checkFinite(indicator, 'low', low, bar)
  if (high < low) {
    throw new AppError(
      'validation',
      `${indicator}: high ${high} is below low ${low} at bar ${bar}`,
      `high[${bar}]`,
    )
  }
}

export function checkHlc(indicator: string, high: number, low: number, close: number, bar: number): void {
  checkHl(indicator, high, low, bar)
  checkFinite(indicator, 'close', close, bar)
}

/** Volume must be finite and not negative. */
export function checkVolume(indicator: string, volume: number, bar: number): void {
  if (!Number.isFinite(volume) || volume < 0) {
    throw new AppError(
      'validation',
      `${indicator}: volume at bar ${bar} is ${volume}; volume must be a finite number >= 0`,
      `volume[${bar}]`,
    )
  }
}

/** All input columns of one batch call must have the same length. */
export function sameLength(indicator: string, columns: Record<string, ArrayLike<number>>): number {
  let n = -1
  let first = ''
  for (const [name, col] of Object.entries(columns)) {
    if (n === -1) {
      n = col.length
      first = name
    } else if (col.length !== n) {
      throw new AppError(
        'validation',
        `${indicator}: ${name} has ${col.length} values but ${first} has ${n}`,
        name,
      )
    }
  }
  return Math.max(n, 0)
}

/**
 * Fast path for batch loops: true when all three are finite and high >= low. `x - x` is 0 only
 * for a finite x, so this is one comparison chain with no data-dependent branch; on false the
 * caller runs checkHlc, which throws the detailed message.
 */
export function okHlc(high: number, low: number, close: number): boolean {
  return high - high + (low - low) + (close - close) === 0 && high >= low
}

export function okHl(high: number, low: number): boolean {
  return high - high + (low - low) === 0 && high >= low
}

/**
 * For batch loops that skip the per-value finiteness check because their running state carries
 * any non-finite input to the end (the argument is written at each use): called when that final
 * state is not finite, it returns the error the checked loop would have thrown (`badValue` at the
 * first non-finite value). If every value is finite, the state overflowed on huge finite values:
 * that is reported too, rather than returning ±Infinity silently.
 */
export function nonFiniteError(indicator: string, field: string, values: Float64Array): AppError {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) return badValue(indicator, field, x, i)
  }
  return overflowError(indicator, field)
}

/**
 * The same for high/low/close loops that check only high >= low per bar: throws what checkHlc
 * throws at the first bad bar in [0, upTo], else returns the overflow error.
 */
export function hlcError(
  indicator: string,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  upTo: number,
): AppError {
  for (let i = 0; i <= upTo && i < high.length; i++) checkHlc(indicator, high[i]!, low[i]!, close[i]!, i)
  return overflowError(indicator, 'high, low, close')
}

function overflowError(indicator: string, field: string): AppError {
  return new AppError(
    'validation',
    `${indicator}: ${field} values too large: the computation overflowed to a non-finite number`,
    field,
  )
}

/** True for a finite number: x - x is 0 for finite x, NaN for NaN and ±Infinity. */
export function isFiniteNumber(x: number): boolean {
  return x - x === 0
}
