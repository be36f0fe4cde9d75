/**
 * Drawings are anchored in (time, price); the chart places things by logical index (bar number,
 * fractional between bars). These two functions map one to the other over the bars shown, so a
 * drawing made on one timeframe lands at the same instant on every other: between two bars by
 * linear interpolation of their open times (a weekend gap of a stock is crossed smoothly), before
 * the first bar and after the last one by the timeframe's length per bar.
 */

/** The logical index of instant `time` (epoch ms) among bar open times `times` (ascending), or null without bars. */
export function logicalOf(times: ArrayLike<number>, stepMs: number, time: number): number | null {
  const n = times.length
  if (n === 0) return null
  const first = times[0]!
  const last = times[n - 1]!
  if (time <= first) return (time - first) / stepMs
  if (time >= last) return n - 1 + (time - last) / stepMs
  let lo = 0
  let hi = n - 1
  // times[lo] <= time < times[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (times[mid]! <= time) lo = mid
    else hi = mid
  }
  const a = times[lo]!
  const b = times[hi]!
  return lo + (time - a) / (b - a)
}

/** The instant (epoch ms, whole) at logical index `logical`: the inverse of `logicalOf`. */
export function timeOf(times: ArrayLike<number>, stepMs: number, logical: number): number | null {
  const n = times.length
  if (n === 0 || !Number.isFinite(logical)) return null
  if (logical <= 0) return Math.round(times[0]! + logical * stepMs)
  if (logical >= n - 1) return Math.round(times[n - 1]! + (logical - (n - 1)) * stepMs)
  const i = Math.floor(logical)
  const a = times[i]!
  const b = times[i + 1]!
  return Math.round(a + (logical - i) * (b - a))
}

/** A price rounded to the market's precision (its decimals), the way anchors are stored. */
export function roundPrice(price: number, precision: number): number {
  const f = 10 ** precision
  return Math.round(price * f) / f
}

/**
 * The chart's time scale as the layer uses it: the x of a whole logical index and the whole index
 * at an x (lightweight-charts answers only whole indices: `logicalToCoordinate` gives 0 for a
 * fractional one, `coordinateToLogical` rounds up).
 */
export interface TimeAxis {
  xOf(index: number): number | null
  indexAt(x: number): number | null
}

/** The x of a fractional logical index: between the two whole indices around it. */
export function xOfLogical(axis: TimeAxis, logical: number): number | null {
  const i = Math.floor(logical)
  const a = axis.xOf(i)
  const b = axis.xOf(i + 1)
  if (a === null || b === null) return null
  return a + (logical - i) * (b - a)
}

/** The fractional logical index at x: the inverse of `xOfLogical`. */
export function logicalAtX(axis: TimeAxis, x: number): number | null {
  const i = axis.indexAt(x)
  if (i === null) return null
  const a = axis.xOf(i)
  const b = axis.xOf(i + 1)
  if (a === null || b === null || b === a) return i
  return i + (x - a) / (b - a)
}
