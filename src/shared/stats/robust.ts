/**
 * Robust location and spread: the median and the median absolute deviation (MAD), and the robust
 * z-score of a value against them. Unlike the mean and standard deviation, one extreme value in
 * the history barely moves them, so the very moves we look for do not hide themselves.
 *
 * The MAD is scaled by 1.4826 (1 / the 0.75 quantile of the standard normal), so for normally
 * distributed data it estimates the standard deviation: a robust z of 3.5 then means about as
 * far from the middle as 3.5 standard deviations (Iglewicz and Hoaglin's "modified z-score",
 * whose usual outlier threshold is 3.5).
 */

export const MAD_SCALE = 1.4826

export interface RobustStats {
  /** How many values the figures come from. */
  n: number
  median: number
  /** Median absolute deviation from the median, times MAD_SCALE. */
  mad: number
}

/** Median of values already sorted ascending (the mean of the two middle ones for an even count). */
function medianSorted(v: ArrayLike<number>): number {
  const n = v.length
  const mid = n >> 1
  return n % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
}

/** The median of `values` (NaN and infinities left out); NaN when none is left. */
export function median(values: ArrayLike<number>): number {
  return robustStats(values)?.median ?? NaN
}

/** Median and scaled MAD of the finite values; null when there is none. */
export function robustStats(values: ArrayLike<number>): RobustStats | null {
  const v: number[] = []
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) v.push(values[i]!)
  if (v.length === 0) return null
  const sorted = Float64Array.from(v).sort()
  const m = medianSorted(sorted)
  const dev = new Float64Array(sorted.length)
  for (let i = 0; i < sorted.length; i++) dev[i] = Math.abs(sorted[i]! - m)
  dev.sort()
  return { n: sorted.length, median: m, mad: MAD_SCALE * medianSorted(dev) }
}

/**
 * (x - median) / scaled MAD; null when the spread is zero (more than half the history equal):
 * then no distance can be said in robust σ, and nothing is called unusual.
 */
export function robustZ(x: number, s: RobustStats): number | null {
  if (!(s.mad > 0) || !Number.isFinite(x)) return null
  return (x - s.median) / s.mad
}
