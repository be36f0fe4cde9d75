// Tail risk of per-bar returns by empyrical's definitions: value at risk is numpy's linear
// percentile, conditional value at risk the mean of the int((n-1)*cutoff)+1 smallest returns,
// the tail ratio |95th percentile| / |5th percentile|. For long series one pass copies the values
// below a low pivot and above a high pivot (read from a sorted sample of 4,096) into two small
// columns, and every order statistic is selected inside those; if a pivot let through too few
// values (it cannot let through wrong ones) the whole series is selected instead.
import { lerp, minOf, selectInPlace } from './select'

export interface Tails {
  valueAtRisk95: number
  valueAtRisk99: number
  conditionalValueAtRisk95: number
  conditionalValueAtRisk99: number
  tailRatio: number
}

const SAMPLE = 4096
/** Below this many values the sampling pass is not worth it. */
const SMALL = 20_000

/** Tails of a[0..n) (no NaN), reordering a. */
export function tailsInPlace(a: Float64Array, n: number): Tails {
  return tailsOfParts(a, n, a, n, n)
}

/** Tails of r[0..n) (no NaN), leaving r alone; low and high are work columns. */
export function tails(r: Float64Array, n: number, work: (slot: number, size: number) => Float64Array): Tails {
  if (n < SMALL) {
    const a = work(0, n)
    a.set(r.subarray(0, n))
    return tailsInPlace(a, n)
  }
  const { needLow, needHigh } = needs(n)
  // Pivots from an evenly strided sample, with margin: 1.5x the share needed plus 16 places.
  const sample = new Float64Array(SAMPLE)
  const stride = n / SAMPLE
  for (let i = 0; i < SAMPLE; i++) sample[i] = r[Math.floor(i * stride)]!
  sample.sort()
  const lowAt = Math.min(SAMPLE - 1, Math.ceil(((needLow * SAMPLE) / n) * 1.5) + 16)
  const highAt = Math.max(0, SAMPLE - 1 - Math.ceil(((needHigh * SAMPLE) / n) * 1.5) - 16)
  const pLow = sample[lowAt]!
  const pHigh = sample[highAt]!
  // A value must be able to belong to one column only (else if below): overlapping pivots (a
  // series of a few distinct values) take the full selection.
  if (!(pLow < pHigh)) return fallback(r, n, work)
  const cap = Math.min(n, Math.ceil(((lowAt + 1) / SAMPLE) * n * 2) + 64)
  const capHigh = Math.min(n, Math.ceil(((SAMPLE - highAt) / SAMPLE) * n * 2) + 64)
  const low = work(0, cap + 1)
  const high = work(1, capHigh + 1)
  let cl = 0
  let ch = 0
  for (let i = 0; i < n; i++) {
    const x = r[i]!
    // Nine values in ten go to neither column, so these branches are mostly predicted (twice
    // as fast here as storing every value and advancing by the comparison).
    if (x <= pLow) {
      if (cl === cap) return fallback(r, n, work)
      low[cl++] = x
    } else if (x >= pHigh) {
      if (ch === capHigh) return fallback(r, n, work)
      high[ch++] = x
    }
  }
  if (cl < needLow || ch < needHigh) return fallback(r, n, work)
  return tailsOfParts(low, cl, high, ch, n)
}

function fallback(r: Float64Array, n: number, work: (slot: number, size: number) => Float64Array): Tails {
  const a = work(0, n)
  a.set(r.subarray(0, n))
  return tailsInPlace(a, n)
}

/** How many of the smallest and of the largest values the statistics read. */
function needs(n: number): { needLow: number; needHigh: number } {
  const last = n - 1
  const lo5 = Math.floor(last * 0.05)
  const c5 = Math.trunc(last * 0.05)
  const lo95 = Math.floor(last * 0.95)
  return { needLow: Math.min(last, Math.max(lo5 + 1, c5)) + 1, needHigh: n - lo95 }
}

/**
 * The statistics from `low` holding the cl smallest values and `high` the ch largest of n
 * (both unordered; they may be the same column holding all n).
 */
function tailsOfParts(low: Float64Array, cl: number, high: Float64Array, ch: number, n: number): Tails {
  if (n < 1)
    return {
      valueAtRisk95: NaN,
      valueAtRisk99: NaN,
      conditionalValueAtRisk95: NaN,
      conditionalValueAtRisk99: NaN,
      tailRatio: NaN,
    }
  const last = n - 1
  const offHigh = n - ch
  const stat = (k: number): number => {
    if (k < cl) {
      selectInPlace(low, k, 0, cl - 1)
      return low[k]!
    }
    const j = k - offHigh
    selectInPlace(high, j, 0, ch - 1)
    return high[j]!
  }
  const pct = (q: number): number => {
    const h = last * q
    const lo = Math.floor(h)
    if (lo === last) return stat(lo)
    if (lo >= offHigh && lo + 1 < n) {
      // In the high part: select lo, its successor is the smallest above it.
      const x = stat(lo)
      const j = lo - offHigh
      return lerp(x, minOf(high, j + 1, ch - 1), h - lo)
    }
    const b = stat(lo + 1)
    return lerp(stat(lo), b, h - lo)
  }
  const meanSmallest = (c: number): number => {
    selectInPlace(low, c, 0, cl - 1)
    let s = 0
    for (let i = 0; i <= c; i++) s += low[i]!
    return s / (c + 1)
  }
  const p5 = pct(0.05)
  const p1 = pct(0.01)
  const p95 = pct(0.95)
  return {
    valueAtRisk95: p5,
    valueAtRisk99: p1,
    conditionalValueAtRisk95: meanSmallest(Math.trunc(last * 0.05)),
    conditionalValueAtRisk99: meanSmallest(Math.trunc(last * 0.01)),
    tailRatio: Math.abs(p95) / Math.abs(p5),
  }
}

/** numpy.percentile(values, q) (linear); NaN if any value is NaN or there is none. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const n = values.length
  if (n < 1) return NaN
  const a = Float64Array.from(values)
  for (let i = 0; i < n; i++) if (Number.isNaN(a[i])) return NaN
  const h = (n - 1) * (q / 100)
  const lo = Math.floor(h)
  selectInPlace(a, lo)
  const b = lo + 1 < n ? minOf(a, lo + 1, n - 1) : a[lo]!
  return lerp(a[lo]!, b, h - lo)
}
