/**
 * Portfolio VaR/ES: historical against empyrical's definitions on hand-made returns, normal and
 * Monte Carlo against the closed form of a two-asset book, Cornish-Fisher by hand. The Monte Carlo
 * cases draw 100,000 paths (about 0.1 s each).
 */
import { describe, expect, it } from 'vitest'
import {
  cornishFisherTail,
  cornishFisherZ,
  historicalTail,
  monteCarlo,
  normalTail,
  overlappingSums,
} from '../../../src/main/risk/portfolio/var'
import { normalPdf, normalQuantile } from '../../../src/main/risk/portfolio/normal'
import { cholesky } from '../../../src/main/risk/portfolio/matrix'

describe('historical VaR and ES (empyrical: numpy linear percentile, mean of the int((n-1)c)+1 smallest)', () => {
  // 21 returns −0.10, −0.09, … 0.10 shuffled: n − 1 = 20.
  const r = Float64Array.from(
    [3, -7, 10, 0, -10, 5, -2, 8, -9, 1, -5, 2, 9, -1, 6, -3, 4, -8, 7, -4, -6].map((x) => x / 100),
  )
  it('reads the 5th and 1st percentiles and the tail means', () => {
    const t = historicalTail(r, r.length)
    // 5th percentile: h = 20 × 0.05 = 1 → the second smallest, −0.09.
    expect(t.var95).toBeCloseTo(0.09, 12)
    // int(20 × 0.05) + 1 = 2 smallest: (−0.10 − 0.09) / 2.
    expect(t.es95).toBeCloseTo(0.095, 12)
    // 1st percentile: h = 0.2 → −0.10 + 0.2 × 0.01 = −0.098.
    expect(t.var99).toBeCloseTo(0.098, 12)
    // int(20 × 0.01) + 1 = 1 smallest.
    expect(t.es99).toBeCloseTo(0.1, 12)
  })
  it('leaves its input alone and sums overlapping windows for N days', () => {
    const copy = Float64Array.from(r)
    historicalTail(r, r.length)
    expect(Array.from(r)).toEqual(Array.from(copy))
    expect(Array.from(overlappingSums(Float64Array.from([1, 2, 3, 4]), 4, 2))).toEqual([3, 5, 7])
  })
})

// Two assets: exposures 1,000 and 2,000, daily deviations 2 % and 3 %, correlation 0.5, no drift.
// σ_p² = 1000²·0.0004 + 2000²·0.0009 + 2·1000·2000·0.5·0.02·0.03 = 400 + 3600 + 1200 = 5200.
const w = Float64Array.from([1000, 2000])
const mu = Float64Array.from([0, 0])
const cov = Float64Array.from([0.0004, 0.0003, 0.0003, 0.0009])
const sigma = Math.sqrt(5200)

describe('normal VaR and ES', () => {
  it('matches the closed form of the two-asset book', () => {
    const t = normalTail(0, sigma)
    expect(t.var95).toBeCloseTo(1.6448536269514722 * sigma, 6)
    expect(t.var99).toBeCloseTo(2.3263478740408408 * sigma, 6)
    // ES = σ φ(z) / α: 2.0627128 σ at 95 %, 2.6652142 σ at 99 %.
    expect(t.es95).toBeCloseTo(2.062712807 * sigma, 5)
    expect(t.es99).toBeCloseTo(2.66521422 * sigma, 5)
  })
  it('counts the mean as a gain', () => {
    expect(normalTail(10, sigma).var95).toBeCloseTo(1.6448536269514722 * sigma - 10, 6)
  })
})

describe('Cornish-Fisher', () => {
  it('bends the quantile by skewness and excess kurtosis (hand-checked)', () => {
    // z = −1.6448536, S = −0.5, K = 3: z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36 = −1.7217443…
    expect(cornishFisherZ(-1.6448536269514722, -0.5, 3)).toBeCloseTo(-1.72174433, 7)
    const t = cornishFisherTail(0, 100, -0.5, 3)
    expect(t.var95).toBeCloseTo(172.174433, 4)
    // Fatter left tail: ES beyond the normal's.
    expect(t.es95).toBeGreaterThan(normalTail(0, 100).es95)
  })
  it('is the normal with no skewness and no excess kurtosis', () => {
    const cf = cornishFisherTail(5, 100, 0, 0)
    const n = normalTail(5, 100)
    expect(cf.var95).toBeCloseTo(n.var95, 8)
    expect(cf.var99).toBeCloseTo(n.var99, 8)
    // The ES is a midpoint integral over the tail: within 0.1 % of the closed form.
    expect(Math.abs(cf.es95 / n.es95 - 1)).toBeLessThan(1e-3)
    expect(Math.abs(cf.es99 / n.es99 - 1)).toBeLessThan(1e-3)
  })
})

describe('Monte Carlo', () => {
  const paths = 100_000
  // Standard errors of the estimates from `paths` normal draws:
  // quantile: √(α(1−α)/n) / φ(z) · σ; tail mean: √((Var(X | X ≤ q) + (1−α)(ES − q)²) / (nα)) · σ.
  const se = (alpha: number): { q: number; es: number } => {
    const z = normalQuantile(alpha)
    const lam = normalPdf(z) / alpha
    const condVar = 1 - z * lam - lam * lam
    return {
      q: (Math.sqrt((alpha * (1 - alpha)) / paths) / normalPdf(z)) * sigma,
      es: Math.sqrt((condVar + (1 - alpha) * (lam + z) ** 2) / (paths * alpha)) * sigma,
    }
  }
  it('factors the covariance', () => {
    const L = cholesky(cov, 2)
    expect(L[0]).toBeCloseTo(0.02, 12)
    expect(L[1]).toBe(0)
    expect(L[2]).toBeCloseTo(0.015, 12)
    expect(L[3]).toBeCloseTo(Math.sqrt(0.0009 - 0.015 ** 2), 12)
  })
  it('converges to the normal figures within four standard errors, for every seed tried', () => {
    const exact = normalTail(0, sigma)
    const s95 = se(0.05)
    const s99 = se(0.01)
    for (const seed of [1, 2, 3]) {
      const mc = monteCarlo(w, mu, cov, { paths, seed, horizon: 10 })
      expect(Math.abs(mc.oneDay.var95 - exact.var95)).toBeLessThan(4 * s95.q)
      expect(Math.abs(mc.oneDay.var99 - exact.var99)).toBeLessThan(4 * s99.q)
      expect(Math.abs(mc.oneDay.es95 - exact.es95)).toBeLessThan(4 * s95.es)
      expect(Math.abs(mc.oneDay.es99 - exact.es99)).toBeLessThan(4 * s99.es)
      // 10 days: σ √10 (no drift).
      expect(Math.abs(mc.nDays.var99 - exact.var99 * Math.sqrt(10))).toBeLessThan(4 * s99.q * Math.sqrt(10))
    }
  })
  it('is the same for the same seed and different for another', () => {
    const a = monteCarlo(w, mu, cov, { paths: 10_000, seed: 9, horizon: 1 })
    const b = monteCarlo(w, mu, cov, { paths: 10_000, seed: 9, horizon: 1 })
    const c = monteCarlo(w, mu, cov, { paths: 10_000, seed: 10, horizon: 1 })
    expect(a).toEqual(b)
    expect(c.oneDay.var95).not.toBe(a.oneDay.var95)
  })
  it('handles perfectly correlated assets (a singular covariance)', () => {
    const same = Float64Array.from([0.0004, 0.0004, 0.0004, 0.0004])
    const mc = monteCarlo(Float64Array.from([1000, 1000]), mu, same, { paths, seed: 4, horizon: 1 })
    // One asset of 2,000 at 2 %: σ = 40.
    expect(Math.abs(mc.oneDay.var95 - 1.6448536 * 40)).toBeLessThan(4 * 0.006682 * 40)
  })
})
