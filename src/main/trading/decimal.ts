/**
 * Rounding to an exchange's increments. Amounts and prices are doubles; an increment such as
 * 0.00001 is not exact in binary, so `0.3 / 0.1` is 2.9999999999999996 and `9001 / 0.00001` is
 * 900099999.9999999. Every quotient by an increment is nudged by 1e-9 plus a relative 1e-12
 * before flooring or ceiling, which absorbs that drift (a few units in the 16th digit) and is far
 * below any real increment, and every result is re-rounded to the increment's decimal places so
 * that `3 * 0.1` comes back as 0.3, not 0.30000000000000004.
 */

const nudge = (q: number) => 1e-9 + Math.abs(q) * 1e-12

/** Decimal places of an increment: 0.00001 -> 5, 0.5 -> 1, 1 -> 0, 1e-8 -> 8. */
export function decimalsOf(increment: number): number {
  // Every rounding asks this of its market's tick or step, and markets have only a few of them.
  let d = decimalsCache.get(increment)
  if (d === undefined) {
    d = countDecimals(increment)
    if (decimalsCache.size < 4096) decimalsCache.set(increment, d)
  }
  return d
}

const decimalsCache = new Map<number, number>()

function countDecimals(increment: number): number {
  if (!(increment > 0) || !Number.isFinite(increment)) return 0
  for (let d = 0; d <= 15; d++) {
    const scaled = increment * 10 ** d
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d
  }
  return 15
}

function fix(value: number, increment: number): number {
  return Number(value.toFixed(decimalsOf(increment)))
}

/** Largest multiple of `increment` not above `value`. */
export function floorTo(value: number, increment: number): number {
  if (!(increment > 0)) return value
  const q = value / increment
  const n = Math.floor(q + nudge(q))
  return fix(n * increment, increment)
}

/** Smallest multiple of `increment` not below `value`. */
export function ceilTo(value: number, increment: number): number {
  if (!(increment > 0)) return value
  const q = value / increment
  const n = Math.ceil(q - nudge(q))
  return fix(n * increment, increment)
}

/** Nearest multiple of `increment` (halves away from zero). */
export function roundTo(value: number, increment: number): number {
  if (!(increment > 0)) return value
  const n = Math.round(value / increment)
  return fix(n * increment, increment)
}

/** Whether `value` is a multiple of `increment` (within the same nudge). */
export function isMultiple(value: number, increment: number): boolean {
  return floorTo(value, increment) === fix(value, increment)
}

/** `value` with exactly `decimals` places (for messages: "4.20"). */
export function fixed(value: number, decimals: number): string {
  return value.toFixed(Math.max(0, Math.min(20, decimals)))
}

/**
 * A number without float noise or trailing zeros, for messages: 5 -> "5", 0.1+0.2 -> "0.3",
 * 0.00001 -> "0.00001" (never "1e-5").
 */
export function plain(value: number, maxDecimals = 10): string {
  if (!Number.isFinite(value)) return String(value)
  const text = value.toFixed(maxDecimals)
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/**
 * Cleans float noise from a sum or product of amounts: 15 significant digits keep every
 * 1e-8 of a balance up to ten million while dropping the 1e-17-relative drift of doubles.
 */
export function clean(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value
  return Number(value.toPrecision(15))
}
