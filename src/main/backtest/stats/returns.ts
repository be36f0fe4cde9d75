// empyrical's statistics of a series of simple per-period returns, NaN where empyrical has NaN
// (missing returns are NaN and skipped as numpy's nan-functions skip them). Each function names
// the empyrical one it follows; docs/BACKTEST.md "## Statistics" states the formulas, and
// test/backtest/stats/empyrical.test.ts checks them against empyrical's own test values.
// `ppy` is the periods per year (252 for daily bars of a market closed at weekends).
import { percentile, tailsInPlace } from './tails'

export type Returns = ArrayLike<number>

/** numpy.nanmean of r[i] - shift. */
export function nanMean(r: Returns, shift = 0): number {
  let s = 0
  let k = 0
  for (let i = 0; i < r.length; i++) {
    const x = r[i]!
    if (x === x) {
      s += x - shift
      k++
    }
  }
  return k > 0 ? s / k : NaN
}

/** numpy.nanstd(r - shift, ddof) (two passes, as numpy). */
export function nanStd(r: Returns, ddof: number, shift = 0): number {
  const mean = nanMean(r, shift)
  let ss = 0
  let k = 0
  for (let i = 0; i < r.length; i++) {
    const x = r[i]!
    if (x === x) {
      const d = x - shift - mean
      ss += d * d
      k++
    }
  }
  return k - ddof > 0 ? Math.sqrt(ss / (k - ddof)) : NaN
}

/** empyrical.cum_returns_final: compounded return, NaN counted as 0; NaN for none. */
export function totalReturn(r: Returns): number {
  if (r.length < 1) return NaN
  let p = 1
  for (let i = 0; i < r.length; i++) {
    const x = r[i]!
    if (x === x) p *= 1 + x
  }
  return p - 1
}

/** empyrical.annual_return (= cagr): (1+total)^(ppy/len) - 1, len counting NaN rows. */
export function annualReturn(r: Returns, ppy: number): number {
  if (r.length < 1) return NaN
  return Math.pow(totalReturn(r) + 1, 1 / (r.length / ppy)) - 1
}

/** empyrical.annual_volatility: sample standard deviation x sqrt(ppy). */
export function annualVolatility(r: Returns, ppy: number): number {
  if (r.length < 2) return NaN
  return nanStd(r, 1) * Math.sqrt(ppy)
}

/** empyrical.sharpe_ratio: mean(r - rf) / std(r - rf, ddof 1) x sqrt(ppy); rf per period. */
export function sharpeRatio(r: Returns, riskFree: number, ppy: number): number {
  if (r.length < 2) return NaN
  return (nanMean(r, riskFree) / nanStd(r, 1, riskFree)) * Math.sqrt(ppy)
}

/** empyrical.downside_risk: sqrt(mean(min(r - required, 0)^2)) x sqrt(ppy), over ALL periods. */
export function downsideRisk(r: Returns, required: number, ppy: number): number {
  if (r.length < 1) return NaN
  let s = 0
  let k = 0
  for (let i = 0; i < r.length; i++) {
    const x = r[i]!
    if (x === x) {
      const d = x - required
      if (d < 0) s += d * d
      k++
    }
  }
  return Math.sqrt(k > 0 ? s / k : NaN) * Math.sqrt(ppy)
}

/** empyrical.sortino_ratio: mean(r - required) x ppy / downside risk. */
export function sortinoRatio(r: Returns, required: number, ppy: number): number {
  if (r.length < 2) return NaN
  return (nanMean(r, required) * ppy) / downsideRisk(r, required, ppy)
}

/** empyrical.omega_ratio: gains over losses around rf + the per-period required return;
 *  `requiredReturn` is annual, turned per period as (1+rr)^(1/ppy)-1 (ppy 1: as is). */
export function omegaRatio(r: Returns, riskFree: number, requiredReturn: number, ppy: number): number {
  let threshold: number
  if (ppy === 1) threshold = requiredReturn
  else if (requiredReturn <= -1) return NaN
  else threshold = Math.pow(1 + requiredReturn, 1 / ppy) - 1
  let up = 0
  let down = 0
  for (let i = 0; i < r.length; i++) {
    const d = r[i]! - riskFree - threshold
    if (d > 0) up += d
    else if (d < 0) down -= d
  }
  return down > 0 ? up / down : NaN
}

/** empyrical.max_drawdown: deepest (V - peak)/peak of V = 100 x cumprod(1+r) with 100 first. */
export function maxDrawdown(r: Returns): number {
  if (r.length < 1) return NaN
  let v = 100
  let peak = 100
  let worst = 0
  for (let i = 0; i < r.length; i++) {
    const x = r[i]!
    if (x === x) v *= 1 + x
    if (v > peak) peak = v
    const dd = (v - peak) / peak
    if (dd < worst) worst = dd
  }
  return worst
}

/** empyrical.calmar_ratio: annual return / |max drawdown|; NaN without a drawdown. */
export function calmarRatio(r: Returns, ppy: number): number {
  const dd = maxDrawdown(r)
  if (!(dd < 0)) return NaN
  const c = annualReturn(r, ppy) / Math.abs(dd)
  return Number.isFinite(c) ? c : NaN
}

/** empyrical.beta: population cov(r, b) / var(b) over the rows where neither is NaN;
 *  NaN under two rows or for a flat benchmark (variance < 1e-30). */
export function beta(r: Returns, b: Returns): number {
  const n = Math.min(r.length, b.length)
  if (r.length < 2 || b.length < 2) return NaN
  let sb = 0
  let k = 0
  for (let i = 0; i < n; i++) {
    const x = r[i]!
    const y = b[i]!
    if (x === x && y === y) {
      sb += y
      k++
    }
  }
  if (k === 0) return NaN
  const mb = sb / k
  let cov = 0
  let v = 0
  for (let i = 0; i < n; i++) {
    const x = r[i]!
    const y = b[i]!
    if (x === x && y === y) {
      const d = y - mb
      cov += d * x
      v += d * d
    }
  }
  const variance = v / k
  return variance < 1e-30 ? NaN : cov / k / variance
}

/** empyrical.alpha: (1 + mean(r - rf - beta x (b - rf)))^ppy - 1 (annualised by compounding). */
export function alpha(r: Returns, b: Returns, riskFree: number, ppy: number, betaValue = beta(r, b)): number {
  if (r.length < 2 || b.length < 2) return NaN
  const n = Math.min(r.length, b.length)
  let s = 0
  let k = 0
  for (let i = 0; i < n; i++) {
    const e = r[i]! - riskFree - betaValue * (b[i]! - riskFree)
    if (e === e) {
      s += e
      k++
    }
  }
  return Math.pow(1 + (k > 0 ? s / k : NaN), ppy) - 1
}

/** empyrical.stability_of_timeseries: R^2 of a straight line fitted to the cumulative log
 *  returns against their index (NaN dropped); NaN under two returns. */
export function stability(r: Returns): number {
  const y = withoutNaN(r)
  let c = 0
  for (let i = 0; i < y.length; i++) y[i] = c += Math.log1p(y[i]!)
  return lineFitR2(y, y.length)
}

/** R^2 of the least-squares line through (i, y[i]), i = 0..n-1, with centred sums as
 *  scipy.stats.linregress (0 when either variance is 0; NaN under two points). sumY: the sum of
 *  y[0..n) when the caller has it (the same sum, in the same order). */
export function lineFitR2(y: Float64Array, n: number, sumY?: number): number {
  if (n < 2) return NaN
  let sy = 0
  if (sumY === undefined) for (let i = 0; i < n; i++) sy += y[i]!
  else sy = sumY
  const my = sy / n
  const mx = (n - 1) / 2
  let sxy = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const d = y[i]! - my
    sxy += (i - mx) * d
    syy += d * d
  }
  const sxx = ((n - 1) * n * (n + 1)) / 12 // sum of (i - mx)^2
  if (syy === 0) return 0
  let c = sxy / Math.sqrt(sxx * syy)
  if (c > 1) c = 1
  else if (c < -1) c = -1
  return c * c
}

/** empyrical.tail_ratio: |95th percentile| / |5th percentile| of the returns, NaN dropped. */
export function tailRatio(r: Returns): number {
  const a = withoutNaN(r)
  if (a.length < 1) return NaN
  return Math.abs(percentile(a, 95)) / Math.abs(percentile(a, 5))
}

/** empyrical.value_at_risk: numpy.percentile(r, 100 x cutoff) (NaN if any return is NaN). */
export function valueAtRisk(r: Returns, cutoff = 0.05): number {
  return percentile(r, 100 * cutoff)
}

/** empyrical.conditional_value_at_risk: mean of the int((n-1) x cutoff) + 1 smallest returns. */
export function conditionalValueAtRisk(r: Returns, cutoff = 0.05): number {
  const n = r.length
  if (n < 1) return NaN
  const a = Float64Array.from(r)
  const c = Math.trunc((n - 1) * cutoff)
  const sorted = a.sort()
  let s = 0
  for (let i = 0; i <= c; i++) s += sorted[i]!
  return s / (c + 1)
}

/** Value at risk and CVaR at 95 % and 99 % and the tail ratio in one go (NaN dropped). */
export function tails(r: Returns): ReturnType<typeof tailsInPlace> {
  const a = withoutNaN(r)
  return tailsInPlace(a, a.length)
}

function withoutNaN(r: Returns): Float64Array {
  let n = 0
  for (let i = 0; i < r.length; i++) if (r[i] === r[i]) n++
  const a = new Float64Array(n)
  let j = 0
  for (let i = 0; i < r.length; i++) if (r[i] === r[i]) a[j++] = r[i]!
  return a
}
