/** Portfolio risk end to end in memory: exposure, beta, components, stress arithmetic, and the worker task. */
import { describe, expect, it } from 'vitest'
import { computePortfolioRisk, type PortfolioRiskInput } from '../../../src/main/risk/portfolio/compute'
import {
  DEFAULT_CUSTOM_SHOCK,
  HISTORICAL_SCENARIOS,
  runStress,
} from '../../../src/main/risk/portfolio/stress'
import { createComputePool } from '../../../src/main/compute-pool'
import { silentLogger } from '../../../src/main/log'
import { portfolioRiskTask } from '../../../src/main/risk/portfolio/tasks'

const DAY = 86_400_000

/** Closes whose daily returns are `r`, from 100. */
function closes(r: number[]): Float64Array {
  const c = new Float64Array(r.length + 1)
  c[0] = 100
  for (let t = 0; t < r.length; t++) c[t + 1] = c[t]! * (1 + r[t]!)
  return c
}

function input(over: Partial<PortfolioRiskInput> = {}): PortfolioRiskInput {
  const rb = [0.01, -0.02, 0.03, -0.01, 0.02, -0.03, 0.015, -0.005, 0.01, -0.02]
  const re = rb.map((x, i) => 2 * x + (i % 2 ? 0.001 : -0.001))
  return {
    currency: 'USDT',
    benchmark: 'BTC',
    horizonDays: 2,
    paths: 10_000,
    seed: 1,
    positions: [
      { account: 'paper', strategy: null, symbol: 'BTC/USDT', asset: 'BTC', quantity: 0.1, price: 50_000 },
      { account: 'paper', strategy: 'sma', symbol: 'ETH/USDT', asset: 'ETH', quantity: 2, price: 1_000 },
      {
        account: 'binance',
        strategy: null,
        symbol: 'BTC/USDT',
        asset: 'BTC',
        quantity: -0.02,
        price: 50_000,
      },
      { account: 'binance', strategy: null, symbol: 'DOGE/USDT', asset: 'DOGE', quantity: 1000, price: 0.1 },
    ],
    times: Float64Array.from({ length: rb.length + 1 }, (_, t) => t * DAY),
    history: [
      { asset: 'BTC', closes: closes(rb) },
      { asset: 'ETH', closes: closes(re) },
    ],
    scenarios: [DEFAULT_CUSTOM_SHOCK],
    ...over,
  }
}

describe('computePortfolioRisk', () => {
  const out = computePortfolioRisk(input())
  it('sums exposure by asset, account and strategy', () => {
    expect(out.exposure.gross).toBeCloseTo(5000 + 2000 + 1000 + 100, 9)
    expect(out.exposure.net).toBeCloseTo(5000 + 2000 - 1000 + 100, 9)
    expect(out.exposure.byAsset).toEqual([
      { key: 'BTC', value: 4000 },
      { key: 'ETH', value: 2000 },
      { key: 'DOGE', value: 100 },
    ])
    expect(out.exposure.byAccount.find((r) => r.key === 'binance')!.value).toBeCloseTo(-900, 9)
    expect(out.exposure.byStrategy.map((r) => r.key).sort()).toEqual(['manual', 'sma'])
  })
  it('leaves an asset without history out of VaR and says so', () => {
    expect(out.withoutHistory).toEqual(['DOGE'])
    expect(out.correlation.assets).toEqual(['BTC', 'ETH'])
  })
  it('gives the benchmark a beta of 1 and ETH its slope against BTC', () => {
    const btc = out.assets.find((a) => a.asset === 'BTC')!
    const eth = out.assets.find((a) => a.asset === 'ETH')!
    expect(btc.beta).toBeCloseTo(1, 12)
    expect(eth.beta).toBeGreaterThan(1.9)
    expect(eth.beta).toBeLessThan(2.1)
    expect(out.correlation.matrix[0]![0]).toBe(1)
    expect(out.correlation.matrix[0]![1]).toBeGreaterThan(0.99)
    expect(btc.volAnnual).toBeCloseTo(btc.volDaily * Math.sqrt(365), 12)
  })
  it('answers every method with its window, and components that add up to the normal VaR', () => {
    expect(out.methods.map((m) => m.method)).toEqual([
      'historical',
      'normal',
      'cornish-fisher',
      'monte-carlo',
    ])
    for (const m of out.methods) expect(m.window).toEqual({ from: 0, to: 10 * DAY, returns: 10 })
    const normal = out.methods.find((m) => m.method === 'normal')!
    const sum95 = out.positions.reduce((s, p) => s + p.componentVar95, 0)
    const sum99 = out.positions.reduce((s, p) => s + p.componentVar99, 0)
    expect(sum95).toBeCloseTo(normal.oneDay.var95, 9)
    expect(sum99).toBeCloseTo(normal.oneDay.var99, 9)
    // Marginal VaR is per unit of exposure: a position's component is its value times it.
    const short = out.positions.find((p) => p.account === 'binance' && p.asset === 'BTC')!
    expect(short.componentVar95).toBeCloseTo(-1000 * short.marginalVar95, 9)
    expect(out.positions.find((p) => p.asset === 'DOGE')!.componentVar95).toBe(0)
  })
  it('reads the historical figure from the book’s daily P&L by empyrical’s definitions', () => {
    const pnl = [] as number[]
    const i = input()
    const b = i.history[0]!.closes
    const e = i.history[1]!.closes
    for (let t = 0; t < 10; t++) pnl.push(4000 * (b[t + 1]! / b[t]! - 1) + 2000 * (e[t + 1]! / e[t]! - 1))
    const sorted = [...pnl].sort((x, y) => x - y)
    // n − 1 = 9: the 5th percentile sits at 0.45 between the two smallest.
    const p5 = sorted[0]! + 0.45 * (sorted[1]! - sorted[0]!)
    const hist = out.methods.find((m) => m.method === 'historical')!
    expect(hist.oneDay.var95).toBeCloseTo(-p5, 9)
    // int(9 × 0.05) + 1 = 1 smallest.
    expect(hist.oneDay.es95).toBeCloseTo(-sorted[0]!, 9)
  })
  it('refuses a horizon that is not a whole number of days', () => {
    expect(() => computePortfolioRisk(input({ horizonDays: 1.5 }))).toThrow(/horizonDays/)
  })
})

describe('stress tests', () => {
  const positions = [
    { key: 'a:BTC/USDT', asset: 'BTC', value: 10_000 },
    { key: 'a:ETH/USDT', asset: 'ETH', value: 5_000 },
    { key: 'b:SOL/USDT', asset: 'SOL', value: -2_000 },
    { key: 'b:USDC/USDT', asset: 'USDC', value: 1_000 },
  ]
  it('applies the custom shock per position: BTC −20 %, others −35 %, stablecoins untouched', () => {
    const r = runStress(DEFAULT_CUSTOM_SHOCK, positions, 'USDT')
    expect(r.positions.map((p) => p.pnl)).toEqual([-2000, -1750, 700, 0])
    expect(r.total).toBe(-3050)
  })
  it('uses each historical scenario’s own moves and cites a source', () => {
    const ftx = HISTORICAL_SCENARIOS.find((s) => s.id === 'ftx-2022-11')!
    const r = runStress(ftx, positions, 'USDT')
    expect(r.positions.map((p) => p.shock)).toEqual([-0.24, -0.3, -0.51, 0])
    expect(r.total).toBeCloseTo(-2400 - 1500 + 1020, 9)
    for (const s of HISTORICAL_SCENARIOS) expect(s.source).toMatch(/CoinMarketCap/)
  })
})

describe('the risk.portfolio task', () => {
  it('runs in a compute-pool worker', async () => {
    const pool = createComputePool({ log: silentLogger, size: 1 })
    try {
      const out = await pool.run(portfolioRiskTask, input(), { onCrash: 'reject' })
      expect(out.methods).toHaveLength(4)
      expect(out).toEqual(computePortfolioRisk(input()))
    } finally {
      await pool.close()
    }
  })
})
