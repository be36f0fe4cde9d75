// Tail risk of per-bar returns by empyrical's definitions: value at risk is numpy's linear
// percentile, conditional value at risk the mean of the int((n-1)*cutoff)+1 smallest returns,
// the tail ratio |95th percentile| / |5th percentile|. One selection splits off the low tail
// (a few percent of the values); every low-tail order statistic is then found inside it, and the
// high tail needs one more selection over the rest, so a million returns cost about two passes.
import { lerp, minOf, selectInPlace } from './select'

export interface Tails {
  valueAtRisk95: number
  valueAtRisk99: number
  conditionalValueAtRisk95: number
  conditionalValueAtRisk99: number
  tailRatio: number
}

const NO_TAILS: Tails = {
  valueAtRisk95: NaN,
  valueAtRisk99: NaN,
  conditionalValueAtRisk95: NaN,
  conditionalValueAtRisk99: NaN,
  tailRatio: NaN,
}

/** Tails of a[0..n) (no NaN). Reorders a: pass a scratch copy. */
export function tailsInPlace(a: Float64Array, n: number): Tails {
  if (n < 1) return { ...NO_TAILS }
  const last = n - 1
  const h5 = last * 0.05
  const h1 = last * 0.01
  const h95 = last * 0.95
  const lo5 = Math.floor(h5)
  const lo1 = Math.floor(h1)
  const c5 = Math.trunc(last * 0.05)
  const c1 = Math.trunc(last * 0.01)
  // a[0..m] will hold the m+1 smallest values: every low-tail statistic lies inside.
  const m = Math.min(last, Math.max(lo5 + 1, c5))
  selectInPlace(a, m, 0, last)
  const lowStat = (k: number): number => {
    selectInPlace(a, k, 0, m)
    return a[k]!
  }
  const lowPercentile = (h: number, lo: number): number => {
    const hi = Math.min(lo + 1, last)
    const b = lowStat(hi)
    const x = hi === lo ? b : lowStat(lo)
    return lerp(x, b, h - lo)
  }
  const meanSmallest = (c: number): number => {
    selectInPlace(a, c, 0, m)
    let s = 0
    for (let i = 0; i <= c; i++) s += a[i]!
    return s / (c + 1)
  }
  const p5 = lowPercentile(h5, lo5)
  const p1 = lowPercentile(h1, lo1)
  const cvar5 = meanSmallest(c5)
  const cvar1 = meanSmallest(c1)
  // The 95th percentile: below m it is a low-tail statistic (tiny n), else select in the rest.
  const lo95 = Math.floor(h95)
  let p95: number
  if (lo95 + 1 <= m) p95 = lowPercentile(h95, lo95)
  else {
    let x: number
    if (lo95 <= m) x = lowStat(lo95)
    else {
      selectInPlace(a, lo95, m + 1, last)
      x = a[lo95]!
    }
    const b = lo95 + 1 <= last ? minOf(a, lo95 + 1, last) : x
    p95 = lerp(x, b, h95 - lo95)
  }
  return {
    valueAtRisk95: p5,
    valueAtRisk99: p1,
    conditionalValueAtRisk95: cvar5,
    conditionalValueAtRisk99: cvar1,
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
