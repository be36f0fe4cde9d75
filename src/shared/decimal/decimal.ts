/**
 * Exact decimal numbers for money: amounts, prices, balances, fees, costs and P&L. The one
 * decimal type of the engine and the renderer (pure: no node, no DOM).
 *
 * A `Decimal` is an integer number of units and a scale: `units / 10^scale` (12.345 is 12345
 * units at scale 3). Sums, differences and products are exact; nothing is ever rounded unless a
 * call says how (`round`, `roundToStep`, `div`, `toFixed`), so every rounding in the code is in
 * plain sight with its rule. There is no epsilon anywhere: two amounts are equal or they are not.
 *
 * Why scaled bigints and not a decimal library (big.js): the order path's speed rule (no more
 * than 20% slower than with doubles) leaves about 4 µs per paper fill for all its decimal work,
 * some 30 operations, parses and formats; big.js costs 0.2-0.3 µs per operation, scaled bigints
 * a small fraction of that (docs/ARCHITECTURE.md, trading, has the measurements).
 *
 * Text form (`toString`, and what travels on the wire and is stored in SQLite): canonical
 * decimal text, `-?digits(.digits)?`, never an exponent, no leading zeros before the units
 * digit, no trailing zeros after the point, `0` for zero (never `-0`). `parse` also accepts
 * trailing zeros (`1.50`) and leading zeros; nothing else.
 *
 * Rounding modes (`Rounding`): `down` toward zero, `up` away from zero, `floor` toward -∞,
 * `ceil` toward +∞, `half_up` to nearest with ties away from zero, `half_even` to nearest with
 * ties to the even neighbour (banker's rounding).
 */

export type Rounding = 'down' | 'up' | 'floor' | 'ceil' | 'half_up' | 'half_even'

/** Canonical decimal text (see the header); what a `Decimal` looks like on the wire and on disk. */
export type DecimalString = string

/** Text `parse` accepts: optional minus, digits, optional point and digits. */
export const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/

/** Thrown for text that is not a decimal, a division by zero or a step that is not positive. */
export class DecimalError extends Error {
  override name = 'DecimalError'
}

const POW10: bigint[] = [1n]

/** 10^n as a bigint (cached: scales are small and few). */
function pow10(n: number): bigint {
  let p = POW10[n]
  if (p === undefined) {
    for (let i = POW10.length; i <= n; i++) POW10[i] = POW10[i - 1]! * 10n
    p = POW10[n]!
  }
  return p
}

const abs = (n: bigint): bigint => (n < 0n ? -n : n)

/**
 * Digits (with an optional minus) as a bigint. Up to 15 digits go through a double, which holds
 * them exactly and converts several times faster than BigInt's own text parser.
 */
function toBigInt(digits: string): bigint {
  const n = digits.charCodeAt(0) === 45 ? digits.length - 1 : digits.length
  return n <= 15 ? BigInt(Number(digits)) : BigInt(digits)
}

/** Whether parsed text is already canonical: no `-0`, no leading or trailing zeros to drop. */
function isCanonical(text: string, point: number): boolean {
  const start = text.charCodeAt(0) === 45 ? 1 : 0
  const whole = (point < 0 ? text.length : point) - start
  // A leading zero only as the sole units digit ("0.5", "0"), and no trailing zero in a fraction.
  if (text.charCodeAt(start) === 48 && whole > 1) return false
  if (point >= 0 && text.charCodeAt(text.length - 1) === 48) return false
  // "-0" and "0" with a minus
  if (start === 1 && whole === 1 && text.charCodeAt(1) === 48 && point < 0) return false
  return true
}

/**
 * `n / d` as an integer, rounded by `mode` (d is never zero). Bigint division truncates toward
 * zero; the remainder says which way the exact quotient lies.
 */
function divRound(n: bigint, d: bigint, mode: Rounding): bigint {
  const q = n / d
  const rem = n - q * d
  if (rem === 0n) return q
  const negative = n < 0n !== d < 0n
  const away = negative ? q - 1n : q + 1n
  switch (mode) {
    case 'down':
      return q
    case 'up':
      return away
    case 'floor':
      return negative ? away : q
    case 'ceil':
      return negative ? q : away
    case 'half_up':
    case 'half_even': {
      const twice = abs(rem) * 2n
      const ad = abs(d)
      if (twice > ad) return away
      if (twice < ad) return q
      return mode === 'half_up' || q % 2n !== 0n ? away : q
    }
  }
}

export class Decimal {
  static readonly ZERO = new Decimal(0n, 0)
  static readonly ONE = new Decimal(1n, 0)

  /**
   * Canonical text, once asked for or known from `parse` (formatting a bigint costs more than the
   * sum). A # field, so that it is no property: two equal Decimals compare deep-equal either way.
   */
  #text: string | undefined
  /** `decimals`, once asked for (a market's tick and step are asked for theirs on every order). */
  #decimals: number | undefined

  /** The value is `units / 10^scale`; scale is a whole number >= 0. */
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  /** `units / 10^scale`. */
  static fromUnits(units: bigint, scale: number): Decimal {
    if (!Number.isInteger(scale) || scale < 0)
      throw new DecimalError(`scale must be a whole number >= 0, got ${scale}`)
    return new Decimal(units, scale)
  }

  /** Reads decimal text (`-12.50`, `0.001`, `7`); throws `DecimalError` for anything else. */
  static parse(text: string): Decimal {
    if (typeof text !== 'string' || !DECIMAL_TEXT.test(text)) {
      throw new DecimalError(`not a decimal number: ${JSON.stringify(text)}`)
    }
    const point = text.indexOf('.')
    const digits = point < 0 ? text : text.slice(0, point) + text.slice(point + 1)
    const d = new Decimal(toBigInt(digits), point < 0 ? 0 : text.length - point - 1)
    if (isCanonical(text, point)) d.#text = text
    return d
  }

  /** `parse`, or undefined for text that is not a decimal. */
  static tryParse(text: string): Decimal | undefined {
    return typeof text === 'string' && DECIMAL_TEXT.test(text) ? Decimal.parse(text) : undefined
  }

  /**
   * A double as the decimal it was written as: the shortest decimal that reads back as the same
   * double (JavaScript's own number-to-text, with any exponent written out), so 0.1 is exactly
   * 0.1 and 65000.01 is 65000.01. Only for numbers that come from outside as doubles (ccxt's
   * markets, tickers and orders; the demo market; stored REAL columns being migrated): they
   * are converted once, where they enter. NaN and infinities throw.
   */
  static fromNumber(n: number): Decimal {
    if (!Number.isFinite(n)) throw new DecimalError(`not a finite number: ${n}`)
    if (n === 0) return Decimal.ZERO
    const text = String(n)
    const e = text.indexOf('e')
    if (e < 0) return Decimal.parse(text)
    const mantissa = Decimal.parse(text.slice(0, e))
    return mantissa.shift(Number(text.slice(e + 1)))
  }

  /** Accepts a Decimal as it is and parses text. */
  static from(value: Decimal | string): Decimal {
    return value instanceof Decimal ? value : Decimal.parse(value)
  }

  static sum(values: Iterable<Decimal>): Decimal {
    let s = Decimal.ZERO
    for (const v of values) s = s.plus(v)
    return s
  }

  static min(a: Decimal, b: Decimal): Decimal {
    return a.cmp(b) <= 0 ? a : b
  }

  static max(a: Decimal, b: Decimal): Decimal {
    return a.cmp(b) >= 0 ? a : b
  }

  // ------------------------------------------------------------ arithmetic (exact)

  plus(o: Decimal): Decimal {
    if (this.scale === o.scale) return new Decimal(this.units + o.units, this.scale)
    if (this.scale > o.scale)
      return new Decimal(this.units + o.units * pow10(this.scale - o.scale), this.scale)
    return new Decimal(this.units * pow10(o.scale - this.scale) + o.units, o.scale)
  }

  minus(o: Decimal): Decimal {
    if (this.scale === o.scale) return new Decimal(this.units - o.units, this.scale)
    if (this.scale > o.scale)
      return new Decimal(this.units - o.units * pow10(this.scale - o.scale), this.scale)
    return new Decimal(this.units * pow10(o.scale - this.scale) - o.units, o.scale)
  }

  times(o: Decimal): Decimal {
    return new Decimal(this.units * o.units, this.scale + o.scale)
  }

  neg(): Decimal {
    return this.units === 0n ? this : new Decimal(-this.units, this.scale)
  }

  abs(): Decimal {
    return this.units < 0n ? new Decimal(-this.units, this.scale) : this
  }

  /** `this × 10^n`, exactly (`shift(-4)` turns basis points into a fraction). */
  shift(n: number): Decimal {
    if (!Number.isInteger(n)) throw new DecimalError(`shift needs a whole number, got ${n}`)
    if (n <= 0) return new Decimal(this.units, this.scale - n)
    if (n <= this.scale) return new Decimal(this.units, this.scale - n)
    return new Decimal(this.units * pow10(n - this.scale), 0)
  }

  /**
   * `this / o`, rounded to `scale` decimal places by `rounding`. A quotient is generally not a
   * finite decimal, so a division always says where and how it rounds.
   */
  div(o: Decimal, scale: number, rounding: Rounding): Decimal {
    if (o.units === 0n) throw new DecimalError('division by zero')
    if (!Number.isInteger(scale) || scale < 0)
      throw new DecimalError(`scale must be a whole number >= 0, got ${scale}`)
    const e = scale + o.scale - this.scale
    const q =
      e >= 0
        ? divRound(this.units * pow10(e), o.units, rounding)
        : divRound(this.units, o.units * pow10(-e), rounding)
    return new Decimal(q, scale)
  }

  // ------------------------------------------------------------ rounding

  /** Rounded to `scale` decimal places (a value that already fits is returned as it is). */
  round(scale: number, rounding: Rounding): Decimal {
    if (scale >= this.scale) return this
    if (!Number.isInteger(scale) || scale < 0)
      throw new DecimalError(`scale must be a whole number >= 0, got ${scale}`)
    return new Decimal(divRound(this.units, pow10(this.scale - scale), rounding), scale)
  }

  /**
   * The multiple of `step` that `rounding` picks (`floor`: the largest not above; `ceil`: the
   * smallest not below): an exchange's amount step or price tick, which need not be a power of
   * ten (a tick of 0.5, a step of 0.02).
   */
  roundToStep(step: Decimal, rounding: Rounding): Decimal {
    if (step.units <= 0n) throw new DecimalError(`a step must be positive, got ${step.toString()}`)
    // A step that is a power of ten (0.00001, 1) divides anything with no more places than it has.
    if (step.units === 1n && this.scale <= step.scale) return this
    const s = this.scale > step.scale ? this.scale : step.scale
    const value = this.scale === s ? this.units : this.units * pow10(s - this.scale)
    const unit = step.scale === s ? step.units : step.units * pow10(s - step.scale)
    const q = divRound(value, unit, rounding)
    return new Decimal(q * unit, s)
  }

  /** Whether this is a whole multiple of `step` (which must be positive). */
  isMultipleOf(step: Decimal): boolean {
    return this.roundToStep(step, 'down').eq(this)
  }

  // ------------------------------------------------------------ comparison

  cmp(o: Decimal): -1 | 0 | 1 {
    let a = this.units
    let b = o.units
    if (this.scale !== o.scale) {
      // Different signs (or a zero) decide without scaling, which would allocate.
      const sa = a < 0n ? -1 : a > 0n ? 1 : 0
      const sb = b < 0n ? -1 : b > 0n ? 1 : 0
      if (sa !== sb) return sa < sb ? -1 : 1
      if (this.scale > o.scale) b *= pow10(this.scale - o.scale)
      else a *= pow10(o.scale - this.scale)
    }
    return a < b ? -1 : a > b ? 1 : 0
  }

  eq(o: Decimal): boolean {
    return this.cmp(o) === 0
  }

  lt(o: Decimal): boolean {
    return this.cmp(o) < 0
  }

  lte(o: Decimal): boolean {
    return this.cmp(o) <= 0
  }

  gt(o: Decimal): boolean {
    return this.cmp(o) > 0
  }

  gte(o: Decimal): boolean {
    return this.cmp(o) >= 0
  }

  /** -1, 0 or 1. */
  get sign(): -1 | 0 | 1 {
    return this.units < 0n ? -1 : this.units > 0n ? 1 : 0
  }

  isZero(): boolean {
    return this.units === 0n
  }

  isPositive(): boolean {
    return this.units > 0n
  }

  isNegative(): boolean {
    return this.units < 0n
  }

  /** Decimal places needed to write it exactly: 0.00001 -> 5, 0.50 -> 1, 20 -> 0. */
  get decimals(): number {
    return (this.#decimals ??= this.countDecimals())
  }

  private countDecimals(): number {
    if (this.units === 0n) return 0
    let u = this.units
    let s = this.scale
    while (s > 0 && u % 10n === 0n) {
      u /= 10n
      s--
    }
    return s
  }

  // ------------------------------------------------------------ text

  /** Canonical text (see the header). */
  toString(): DecimalString {
    return (this.#text ??= this.format())
  }

  private format(): DecimalString {
    const u = this.units
    if (u === 0n) return '0'
    const negative = u < 0n
    let digits = (negative ? -u : u).toString()
    let scale = this.scale
    if (scale > 0) {
      // Trailing zeros of the fraction are dropped.
      let end = digits.length
      while (scale > 0 && digits.charCodeAt(end - 1) === 48) {
        end--
        scale--
      }
      if (end !== digits.length) digits = digits.slice(0, end)
    }
    if (scale > 0) {
      if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits
      digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
    }
    return negative ? `-${digits}` : digits
  }

  /** Exactly `places` decimal places, rounded by `rounding` (default half_up): `toFixed(2)` of 1.005 is "1.01". */
  toFixed(places: number, rounding: Rounding = 'half_up'): string {
    const r = this.round(places, rounding)
    const u = r.units
    const negative = u < 0n
    let digits = (negative ? -u : u).toString()
    // A value with fewer places than asked is padded with zeros.
    if (r.scale < places) digits += '0'.repeat(places - r.scale)
    if (places > 0) {
      if (digits.length <= places) digits = '0'.repeat(places - digits.length + 1) + digits
      digits = `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`
    }
    return negative && u !== 0n ? `-${digits}` : digits
  }

  toJSON(): DecimalString {
    return this.toString()
  }

  /**
   * The nearest double. Lossy: only for what is drawn or shown as a ratio (chart coordinates,
   * percentages), never for money that is added, compared or stored.
   */
  toNumber(): number {
    return Number(this.toString())
  }
}

/** Shorthand for `Decimal.parse`. */
export function dec(text: string): Decimal {
  return Decimal.parse(text)
}
