/**
 * Exact decimal amounts as bigint counts of 1e-8, the precision Binance uses for every asset.
 * Prices, quantities, balances and fees are kept this way so that `0.1 + 0.2` style float
 * drift can never make a balance negative or a LOT_SIZE check fail by a hair.
 */

export type Units = bigint

export const DECIMALS = 8
export const SCALE: Units = 100_000_000n

/** Binance's decimal syntax for numeric parameters. */
export const DECIMAL_PATTERN = /^([0-9]{1,20})(\.[0-9]{1,20})?$/

/**
 * Parses a decimal string. Returns `undefined` for bad syntax and `'precision'` when it has more
 * than 8 significant decimals (Binance answers -1111 for that).
 */
export function parseUnits(text: string): Units | undefined | 'precision' {
  const m = DECIMAL_PATTERN.exec(text)
  if (!m) return undefined
  const whole = m[1] ?? '0'
  let frac = (m[2] ?? '').slice(1).replace(/0+$/, '')
  if (frac.length > DECIMALS) return 'precision'
  frac = frac.padEnd(DECIMALS, '0')
  return BigInt(whole) * SCALE + BigInt(frac)
}

/** From a float (prices from the synthetic path); rounds to the nearest 1e-8. */
export function unitsFromNumber(x: number): Units {
  return BigInt(Math.round(x * 1e8))
}

export function unitsToNumber(u: Units): number {
  return Number(u) / 1e8
}

/** Fixed 8-decimal text, as Binance prints amounts ("0.05000000"). */
export function formatUnits(u: Units): string {
  const neg = u < 0n
  const abs = neg ? -u : u
  const whole = abs / SCALE
  const frac = (abs % SCALE).toString().padStart(DECIMALS, '0')
  return `${neg ? '-' : ''}${whole}.${frac}`
}

/** Shortest plain text ("0.05"), for logs and messages. */
export function plainUnits(u: Units): string {
  return formatUnits(u).replace(/\.?0+$/, '')
}

/** a × b, rounded down to 1e-8. */
export function mulUnits(a: Units, b: Units): Units {
  return (a * b) / SCALE
}

/** a ÷ b, rounded down to 1e-8. */
export function divUnits(a: Units, b: Units): Units {
  return (a * SCALE) / b
}

/** Rounds down to a multiple of `step` (a positive unit count). */
export function floorTo(u: Units, step: Units): Units {
  return (u / step) * step
}

/** Rounds to the nearest multiple of `step`. */
export function roundTo(u: Units, step: Units): Units {
  return ((u + step / 2n) / step) * step
}

export function minUnits(a: Units, b: Units): Units {
  return a < b ? a : b
}

export function maxUnits(a: Units, b: Units): Units {
  return a > b ? a : b
}

/** Fee in basis points of an amount, rounded down (the exchange keeps the dust). */
export function feeOf(amount: Units, bps: bigint): Units {
  return (amount * bps) / 10_000n
}
