/**
 * computeMetrics runs fused passes (src/main/backtest/stats/kernel.ts) and a sampled tail split
 * (tails.ts) for speed; these tests hold them to the plain definitions in returns.ts, which
 * empyrical.test.ts checks against empyrical: bit for bit where the sums are the same, within
 * rounding where a faster log or the equity ratio is used.
 */
import { describe, expect, it } from 'vitest'
import { computeMetrics } from '../../../src/main/backtest/stats'
import { fastLog1p } from '../../../src/main/backtest/stats/kernel'
import * as R from '../../../src/main/backtest/stats/returns'
import { tails, tailsInPlace } from '../../../src/main/backtest/stats/tails'

const MINUTE = 60_000

function randomCurve(n: number, seed: number, scale: number): Float64Array {
  let s = seed
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1
  const v = new Float64Array(n)
  v[0] = 1000
  for (let i = 1; i < n; i++) v[i] = v[i - 1]! * (1 + scale * rand() + scale / 50)
  return v
}

const returnsOf = (e: Float64Array): Float64Array =>
  Float64Array.from({ length: e.length - 1 }, (_, i) => e[i + 1]! / e[i]! - 1)
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300)

describe('fused passes = the returns functions', () => {
  it.each([
    [50, 0.01, 0, 0],
    [5000, 0.002, 0.03, 0],
    [20_000, 0.08, 0, 0.1],
    [30_001, 0.2, 0.05, 0.05],
  ])('n %i, scale %f, risk-free %f, required %f', (n, scale, riskFree, requiredReturn) => {
    const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 1) + i * MINUTE)
    const equity = randomCurve(n, n, scale)
    const bench = randomCurve(n, n + 1, scale)
    const ppy = 365 * 1440
    const m = computeMetrics(
      { time, equity, benchmark: bench },
      { periodsPerYear: ppy, riskFree, requiredReturn },
    )
    const r = returnsOf(equity)
    const b = returnsOf(bench)
    const rf = riskFree === 0 ? 0 : Math.pow(1 + riskFree, 1 / ppy) - 1
    const req = requiredReturn === 0 ? 0 : Math.pow(1 + requiredReturn, 1 / ppy) - 1
    expect(m.sharpe).toBe(R.sharpeRatio(r, rf, ppy))
    expect(m.annualVolatility).toBe(R.annualVolatility(r, ppy))
    expect(m.sortino).toBe(R.sortinoRatio(r, req, ppy))
    expect(m.omega).toBe(R.omegaRatio(r, rf, requiredReturn, ppy))
    expect(m.beta).toBe(R.beta(r, b))
    expect(m.alpha).toBe(R.alpha(r, b, rf, ppy))
    expect(rel(m.maxDrawdown, R.maxDrawdown(r))).toBeLessThan(1e-12)
    expect(rel(m.cagr, R.annualReturn(r, ppy))).toBeLessThan(1e-9)
    expect(Math.abs(m.stability - R.stability(r))).toBeLessThan(1e-12)
    const t = R.tails(r)
    expect(m.valueAtRisk95).toBe(t.valueAtRisk95)
    expect(m.valueAtRisk99).toBe(t.valueAtRisk99)
    expect(m.tailRatio).toBe(t.tailRatio)
    expect(rel(m.conditionalValueAtRisk95, t.conditionalValueAtRisk95)).toBeLessThan(1e-12)
    expect(rel(m.conditionalValueAtRisk99, t.conditionalValueAtRisk99)).toBeLessThan(1e-12)
  })
})

describe('fastLog1p', () => {
  it('is within 2 ulp of Math.log1p', () => {
    for (let i = -2000; i <= 2000; i++) {
      const x = i * 4.1e-5 + 1e-9
      const want = Math.log1p(x)
      expect(Math.abs(fastLog1p(x) - want)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(want))
    }
    expect(fastLog1p(0)).toBe(0)
    expect(fastLog1p(0.5)).toBe(Math.log1p(0.5))
    expect(fastLog1p(-0.9)).toBe(Math.log1p(-0.9))
  })
})

describe('sampled tail split = selection over everything', () => {
  const work = (slot: number, size: number): Float64Array => new Float64Array(size)
  const check = (r: Float64Array): void => {
    const got = tails(r, r.length, work)
    const want = tailsInPlace(Float64Array.from(r), r.length)
    expect(got.valueAtRisk95).toBe(want.valueAtRisk95)
    expect(got.valueAtRisk99).toBe(want.valueAtRisk99)
    expect(got.tailRatio).toBe(want.tailRatio)
    expect(rel(got.conditionalValueAtRisk95, want.conditionalValueAtRisk95)).toBeLessThan(1e-12)
    expect(rel(got.conditionalValueAtRisk99, want.conditionalValueAtRisk99)).toBeLessThan(1e-12)
  }
  it('random, sorted, reversed, constant, heavy ties and a spike pattern', () => {
    const n = 60_000
    const rnd = returnsOf(randomCurve(n + 1, 3, 0.01))
    check(rnd)
    check(Float64Array.from(rnd).sort())
    check(Float64Array.from(rnd).sort().reverse())
    check(new Float64Array(n).fill(0.001))
    check(Float64Array.from({ length: n }, (_, i) => (i % 3) - 1))
    // The strided sample sees only zeros; the real tails are elsewhere: the fallback answers.
    check(Float64Array.from({ length: n }, (_, i) => (i % 15 === 0 ? 0 : i % 2 === 0 ? -1 : 1)))
  })
})
