import { describe, expect, it } from 'vitest'
import type { StrategyInfo } from '../../../../shared/contract/backtest'
import { emptyForm, etaMs, FormError, paramDefaults, runRequest, symbolKey } from './form'
import { formatMetric, monthlyGrid } from './metrics'

const SMA: StrategyInfo = {
  id: 'sma-cross',
  title: 'SMA cross',
  description: '',
  params: [
    {
      name: 'fast',
      kind: 'integer',
      default: 10,
      min: 1,
      max: null,
      range: null,
      choices: null,
      description: '',
    },
    {
      name: 'slow',
      kind: 'integer',
      default: 30,
      min: 2,
      max: null,
      range: null,
      choices: null,
      description: '',
    },
    {
      name: 'exitUnit',
      kind: 'choice',
      default: 'percent',
      min: null,
      max: null,
      range: null,
      choices: ['percent', 'atr'],
      description: '',
    },
  ],
}

const form = () => ({
  ...emptyForm(),
  strategy: 'sma-cross',
  params: paramDefaults(SMA),
  symbols: [symbolKey('demo', 'BTC/USDT')],
})

function fieldOf(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    if (err instanceof FormError) return err.field
    throw err
  }
  throw new Error('no FormError')
}

describe('the Backtest form', () => {
  it('builds the run request: parameters typed, fee percent and sizing percent as fractions, dates as UTC', () => {
    const req = runRequest(
      { ...form(), from: '2026-01-01', to: '2026-01-31', feePct: '0.1', slippageBps: '5' },
      SMA,
    )
    expect(req).toEqual({
      strategy: 'sma-cross',
      params: { fast: 10, slow: 30, exitUnit: 'percent' },
      symbols: [{ source: 'demo', symbol: 'BTC/USDT' }],
      timeframe: '1h',
      settings: {
        cash: 10_000,
        fees: { maker: 0.001, taker: 0.001 },
        slippage: { bps: 5 },
        sizing: { mode: 'percent', value: 1 },
        sides: 'long',
        from: Date.UTC(2026, 0, 1),
        to: Date.UTC(2026, 1, 1) - 1,
      },
    })
    // The intrabar box asks for fills on finer bars.
    expect(runRequest({ ...form(), intrabar: true }, SMA).settings!.intrabar).toBe(true)
    // Units and quote amounts are taken as typed.
    expect(runRequest({ ...form(), sizingMode: 'units', sizingValue: '2' }, SMA).settings!.sizing).toEqual({
      mode: 'units',
      value: 2,
    })
  })

  it('names the field that does not parse', () => {
    expect(fieldOf(() => runRequest({ ...form(), params: { fast: 'x', slow: '30' } }, SMA))).toBe(
      'param.fast',
    )
    expect(fieldOf(() => runRequest({ ...form(), params: { fast: '2.5', slow: '30' } }, SMA))).toBe(
      'param.fast',
    )
    expect(fieldOf(() => runRequest({ ...form(), params: { fast: '0', slow: '30' } }, SMA))).toBe(
      'param.fast',
    )
    expect(fieldOf(() => runRequest({ ...form(), symbols: [] }, SMA))).toBe('symbols')
    expect(fieldOf(() => runRequest({ ...form(), from: '2026-13-01' }, SMA))).toBe('from')
    expect(fieldOf(() => runRequest({ ...form(), from: '2026-02-01', to: '2026-01-01' }, SMA))).toBe('to')
    expect(fieldOf(() => runRequest({ ...form(), feePct: '' }, SMA))).toBe('feePct')
    expect(fieldOf(() => runRequest({ ...form(), sizingValue: '0' }, SMA))).toBe('sizingValue')
    expect(fieldOf(() => runRequest(form(), undefined))).toBe('strategy')
  })

  it('estimates the time left from the rate so far', () => {
    expect(etaMs(250, 1000, 0, 1000)).toBe(3000)
    expect(etaMs(0, 1000, 0, 1000)).toBeNull()
    expect(etaMs(1000, 1000, 0, 1000)).toBeNull()
  })
})

describe('the results’ figures', () => {
  it('formats returns signed, shares unsigned, and a missing value as a dash', () => {
    expect(formatMetric(0.1234, 'fraction')).toBe('+12.34%')
    expect(formatMetric(0.3012, 'share')).toBe('30.12%')
    expect(formatMetric(1234.5, 'ratio')).toBe('1,234.50')
    expect(formatMetric(null, 'ratio')).toBe('—')
  })

  it('lays the monthly returns out by year and month', () => {
    const grid = monthlyGrid({
      monthlyReturns: [
        { year: 2025, month: 12, return: 0.02 },
        { year: 2026, month: 1, return: -0.01 },
        { year: 2026, month: 2, return: null },
      ],
    })
    expect(grid).toEqual([
      { year: 2025, months: [...Array<null>(11).fill(null), 0.02] },
      { year: 2026, months: [-0.01, ...Array<null>(11).fill(null)] },
    ])
  })
})
