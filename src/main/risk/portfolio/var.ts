// Value at risk and expected shortfall of a linear book (exposure w_i in the valuation currency on
// asset i, so one period's P&L is Σ w_i r_i) by three methods. Every figure is a loss, positive
// when the book loses, at 95 % and 99 %.
//
// - historical: the book's P&L on each day of the window (and on each overlapping N-day window),
//   read with empyrical's definitions through backtest/stats' tails: VaR is numpy's linear
//   percentile, ES the mean of the int((n − 1)·cutoff) + 1 smallest;
// - parametric: normal (μ_p + z·σ_p, ES μ_p − σ_p·φ(z)/α) and Cornish-Fisher, whose quantile is
//   bent by the P&L's sample skewness and excess kurtosis (ES the mean of that quantile over the
//   tail, integrated numerically);
// - Monte Carlo: correlated normal moves z·Lᵀ (L the covariance's Cholesky factor) from a seeded
//   generator. For a linear book Σ_i w_i (L z)_i = Σ_j (Lᵀw)_j z_j, so each path costs k
//   multiplications instead of k²/2; the paths' P&L is read with the same tails as historical.
//   N days: the sum of N independent normal days, i.e. the same paths with mean ×N and spread ×√N.
import { tailsInPlace } from '../../backtest/stats/tails'
import { cholesky } from './matrix'
import { normalPdf, normalQuantile } from './normal'
import { seededNormals } from './prng'

export interface Tail {
  var95: number
  es95: number
  var99: number
  es99: number
}

/** Historical VaR/ES of a P&L series by empyrical's definitions (losses positive). */
export function historicalTail(pnl: Float64Array, n: number): Tail {
  const a = Float64Array.from(pnl.subarray(0, n))
  const t = tailsInPlace(a, n)
  return {
    var95: -t.valueAtRisk95,
    es95: -t.conditionalValueAtRisk95,
    var99: -t.valueAtRisk99,
    es99: -t.conditionalValueAtRisk99,
  }
}

/** Sums of `days` consecutive values (overlapping windows): n − days + 1 of them. */
export function overlappingSums(x: Float64Array, n: number, days: number): Float64Array {
  const m = Math.max(0, n - days + 1)
  const out = new Float64Array(m)
  let s = 0
  for (let t = 0; t < n; t++) {
    s += x[t]!
    if (t >= days) s -= x[t - days]!
    if (t >= days - 1) out[t - days + 1] = s
  }
  return out
}

/** Normal VaR/ES for P&L ~ N(mu, sigma²). */
export function normalTail(mu: number, sigma: number): Tail {
  const at = (alpha: number): [number, number] => {
    const z = normalQuantile(alpha)
    return [-(mu + z * sigma), -(mu - (sigma * normalPdf(z)) / alpha)]
  }
  const [var95, es95] = at(0.05)
  const [var99, es99] = at(0.01)
  return { var95, es95, var99, es99 }
}

/** The Cornish-Fisher quantile of a standardised variable with skewness s and excess kurtosis k. */
export function cornishFisherZ(z: number, s: number, k: number): number {
  return z + ((z * z - 1) * s) / 6 + ((z ** 3 - 3 * z) * k) / 24 - ((2 * z ** 3 - 5 * z) * s * s) / 36
}

/** Steps of the midpoint rule over (0, α) for the Cornish-Fisher ES. */
const CF_STEPS = 2000

/** Cornish-Fisher VaR/ES for P&L with mean mu, deviation sigma, skewness s, excess kurtosis k. */
export function cornishFisherTail(mu: number, sigma: number, s: number, k: number): Tail {
  const at = (alpha: number): [number, number] => {
    const v = -(mu + sigma * cornishFisherZ(normalQuantile(alpha), s, k))
    let sum = 0
    for (let i = 0; i < CF_STEPS; i++)
      sum += cornishFisherZ(normalQuantile(((i + 0.5) / CF_STEPS) * alpha), s, k)
    return [v, -(mu + (sigma * sum) / CF_STEPS)]
  }
  const [var95, es95] = at(0.05)
  const [var99, es99] = at(0.01)
  return { var95, es95, var99, es99 }
}

const BLOCK = 1024

export interface MonteCarloResult {
  oneDay: Tail
  nDays: Tail
}

/**
 * Monte Carlo VaR/ES of Σ w_i r_i with r ~ N(mu, cov): `paths` correlated draws from `seed`.
 * Also answers N days (horizon) from the same paths.
 */
export function monteCarlo(
  w: Float64Array,
  mu: Float64Array,
  cov: Float64Array,
  opts: { paths: number; seed: number; horizon: number },
): MonteCarloResult {
  const k = w.length
  const L = cholesky(cov, k)
  // b = Lᵀ w: the book's loading on each independent normal.
  const b = new Float64Array(k)
  let muP = 0
  for (let i = 0; i < k; i++) {
    muP += w[i]! * mu[i]!
    for (let j = 0; j <= i; j++) b[j] = b[j]! + L[i * k + j]! * w[i]!
  }
  const src = seededNormals(opts.seed)
  // Draws come in blocks of BLOCK paths (one call, not one per path).
  const z = new Float64Array(BLOCK * k)
  const dev = new Float64Array(opts.paths)
  for (let p0 = 0; p0 < opts.paths; p0 += BLOCK) {
    const m = Math.min(BLOCK, opts.paths - p0)
    src.fill(z, m * k)
    for (let p = 0; p < m; p++) {
      let s = 0
      const o = p * k
      for (let j = 0; j < k; j++) s += b[j]! * z[o + j]!
      dev[p0 + p] = s
    }
  }
  const n = opts.paths
  for (let p = 0; p < n; p++) dev[p] = muP + dev[p]!
  const oneDay = historicalTail(dev, n)
  // N days: μ·h + √h·(x − μ) is increasing in x, so its percentiles and tail means are the same
  // transform of the 1-day ones (linear interpolation and means commute with it).
  const h = opts.horizon
  const sq = Math.sqrt(h)
  const loss = (v: number): number => -(muP * h + sq * (-v - muP))
  const nDays: Tail = {
    var95: loss(oneDay.var95),
    es95: loss(oneDay.es95),
    var99: loss(oneDay.var99),
    es99: loss(oneDay.es99),
  }
  return { oneDay, nDays }
}
