import { badValue } from './validate'

/**
 * Mean and population variance (divide by N, as TA-Lib's STDDEV and BBANDS) of the last
 * `period` values, O(1) per bar, in two forms with the same arithmetic: the streaming
 * `RollingVariance` and the batch `meanVarianceColumns`.
 *
 * Numerics, because a running sum of squares loses all precision on large prices with small
 * moves (BTC at 60,000 moving by cents): the squared deviations are updated with the
 * sliding-window form of Welford's method, the whole window is re-summed exactly (two passes)
 * each time the ring buffer wraps so rounding error cannot build up over millions of bars, and
 * a window of identical values reports variance 0 and that value as its mean, exactly.
 */

/** Welford: the window grows to hold one more value. */
function growM2(m2: number, x: number, meanBefore: number, meanAfter: number): number {
  return m2 + (x - meanBefore) * (x - meanAfter)
}

/** Welford for a sliding window: `old` leaves as `x` enters. */
function slideM2(m2: number, x: number, old: number, meanBefore: number, meanAfter: number): number {
  return m2 + (x - old) * (x - meanAfter + old - meanBefore)
}

export class RollingVariance {
  /** Outputs of the last step; NaN until `period` values have been seen. */
  mean = NaN
  variance = NaN
  private readonly buf: Float64Array
  private pos = 0
  private count = 0
  private sum = 0
  private m2 = 0
  private run = 0
  private last = NaN

  constructor(readonly period: number) {
    this.buf = new Float64Array(period)
  }

  step(x: number, commit: boolean): void {
    const p = this.period
    const n = this.count
    const pos = this.pos
    const buf = this.buf
    let sum: number
    let m2: number
    if (n < p) {
      const meanBefore = n > 0 ? this.sum / n : 0
      sum = this.sum + x
      m2 = growM2(this.m2, x, meanBefore, sum / (n + 1))
    } else {
      const old = buf[pos]!
      const meanBefore = this.sum / p
      sum = this.sum + x - old
      m2 = slideM2(this.m2, x, old, meanBefore, sum / p)
    }
    if (pos === p - 1) {
      // The ring holds the window in time order: re-sum it exactly.
      let s = 0
      for (let j = 0; j < p; j++) s += j === pos ? x : buf[j]!
      const mean = s / p
      let q = 0
      for (let j = 0; j < p; j++) {
        const d = (j === pos ? x : buf[j]!) - mean
        q += d * d
      }
      sum = s
      m2 = q
    }
    const run = x === this.last ? this.run + 1 : 1
    if (commit) {
      buf[pos] = x
      this.pos = pos + 1 === p ? 0 : pos + 1
      this.count = n + 1
      this.sum = sum
      this.m2 = m2
      this.run = run
      this.last = x
    }
    if (n + 1 < p) {
      this.mean = NaN
      this.variance = NaN
    } else if (run >= p) {
      this.mean = x
      this.variance = 0
    } else {
      this.mean = sum / p
      this.variance = m2 > 0 ? m2 / p : 0
    }
  }
}

/**
 * Batch form of RollingVariance, operation for operation (the ring's slot order is the series
 * order whenever it wraps), writing into the caller's columns (an output column can hold them
 * until it is overwritten bar by bar; fresh memory is costly to touch). `mean` may be null.
 * Checks every value is finite, reporting `indicator` and the bar.
 */
export function meanVarianceInto(
  values: Float64Array,
  p: number,
  indicator: string,
  mean: Float64Array | null,
  variance: Float64Array,
): void {
  const n = values.length
  let sum = 0
  let m2 = 0
  let run = 0
  let last = NaN
  let pos = 0
  for (let i = 0; i < n; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) throw badValue(indicator, 'value', x, i)
    if (i < p) {
      const meanBefore = i > 0 ? sum / i : 0
      sum = sum + x
      m2 = growM2(m2, x, meanBefore, sum / (i + 1))
    } else {
      const old = values[i - p]!
      const meanBefore = sum / p
      sum = sum + x - old
      m2 = slideM2(m2, x, old, meanBefore, sum / p)
    }
    if (pos === p - 1) {
      const from = i - p + 1
      let s = 0
      for (let j = from; j <= i; j++) s += values[j]!
      const mu = s / p
      let q = 0
      for (let j = from; j <= i; j++) {
        const d = values[j]! - mu
        q += d * d
      }
      sum = s
      m2 = q
    }
    run = x === last ? run + 1 : 1
    last = x
    pos = pos + 1 === p ? 0 : pos + 1
    let mu: number
    let v: number
    if (i + 1 < p) {
      mu = NaN
      v = NaN
    } else if (run >= p) {
      mu = x
      v = 0
    } else {
      mu = sum / p
      v = m2 > 0 ? m2 / p : 0
    }
    if (mean) mean[i] = mu
    variance[i] = v
  }
}
