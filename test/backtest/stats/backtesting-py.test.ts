/**
 * compat 'backtesting.py': the statistics backtesting.py publishes for its SmaCross example on
 * GOOG (backtesting/test/_test.py test_compute_stats, "also used on the website"), computed from
 * the same trades and equity (../shared/data/backtesting.py/GOOG.csv, replayed by
 * ./backtesting-py-smacross.ts). backtesting.py's own test compares with rtol 1e-8.
 */
import { describe, expect, it } from 'vitest'
import { computeMetrics } from '../../../src/main/backtest/stats'
import { readShared } from '../../support/shared'
import { parseOhlcCsv, runSmaCross } from './backtesting-py-smacross'

const DAY = 86_400_000
const data = parseOhlcCsv(readShared('data/backtesting.py/GOOG.csv'))
const run = runSmaCross(data)
const input = {
  time: data.time,
  equity: run.equity,
  trades: run.trades,
  benchmark: data.close,
  benchmarkStart: run.warmup,
}

/** backtesting.py's published figures, in its units ([%] as percent, durations in days). */
const PUBLISHED = {
  '# Trades': 66,
  'Avg. Drawdown Duration': 41,
  'Avg. Drawdown [%]': -5.925851581948801,
  'Avg. Trade Duration': 46,
  'Avg. Trade [%]': 2.531715975158555,
  'Best Trade [%]': 53.59595229490424,
  'Buy & Hold Return [%]': 522.0601851851852,
  'Calmar Ratio': 0.44166409202994605,
  Duration: 3116,
  'Equity Final [$]': 51422.98999999996,
  'Equity Peak [$]': 75787.44,
  'Expectancy [%]': 3.2748078066748834,
  'Exposure Time [%]': 96.74115456238361,
  'Max. Drawdown Duration': 584,
  'Max. Drawdown [%]': -47.98012705007589,
  'Max. Trade Duration': 183,
  'Profit Factor': 2.167945974262033,
  'Return (Ann.) [%]': 21.191099249053224,
  'Return [%]': 414.2298999999996,
  'Volatility (Ann.) [%]': 36.49716090702389,
  'CAGR [%]': 21.160245705962623,
  SQN: 1.0766187356697705,
  'Kelly Criterion': 0.1518705127029717,
  'Sharpe Ratio': 0.5806232244485349,
  'Sortino Ratio': 1.0853434352488662,
  'Win Rate [%]': 46.96969696969697,
  'Worst Trade [%]': -18.39887353835481,
  'Alpha [%]': 394.37391142027462,
  Beta: 0.03803390709192,
}

describe("compat 'backtesting.py' against backtesting.py's published SmaCross on GOOG", () => {
  const m = computeMetrics(input, { compat: 'backtesting.py' })
  const ours: Record<keyof typeof PUBLISHED, number> = {
    '# Trades': m.trades,
    'Avg. Drawdown Duration': m.avgDrawdownDuration / DAY,
    'Avg. Drawdown [%]': m.avgDrawdown * 100,
    'Avg. Trade Duration': m.avgTradeDuration / DAY,
    'Avg. Trade [%]': m.avgTradeReturn * 100,
    'Best Trade [%]': m.bestTrade * 100,
    'Buy & Hold Return [%]': m.buyHoldReturn * 100,
    'Calmar Ratio': m.calmar,
    Duration: m.duration / DAY,
    'Equity Final [$]': m.equityFinal,
    'Equity Peak [$]': m.equityPeak,
    'Expectancy [%]': m.expectancy * 100,
    'Exposure Time [%]': m.exposureTime * 100,
    'Max. Drawdown Duration': m.maxDrawdownDuration / DAY,
    'Max. Drawdown [%]': m.maxDrawdown * 100,
    'Max. Trade Duration': m.maxTradeDuration / DAY,
    'Profit Factor': m.profitFactor,
    'Return (Ann.) [%]': m.annualReturn * 100,
    'Return [%]': m.totalReturn * 100,
    'Volatility (Ann.) [%]': m.annualVolatility * 100,
    'CAGR [%]': m.cagr * 100,
    SQN: m.sqn,
    'Kelly Criterion': m.kelly,
    'Sharpe Ratio': m.sharpe,
    'Sortino Ratio': m.sortino,
    'Win Rate [%]': m.winRate * 100,
    'Worst Trade [%]': m.worstTrade * 100,
    'Alpha [%]': m.alpha * 100,
    Beta: m.beta,
  }

  it.each(Object.entries(PUBLISHED))('%s', (name, expected) => {
    const got = ours[name as keyof typeof PUBLISHED]
    expect(Math.abs(got - expected), `${name}: ${got} vs ${expected}`).toBeLessThanOrEqual(
      1e-8 * Math.abs(expected) + 1e-12,
    )
  })

  it('reports the same start and end, and 252 trading days a year (no weekend bars)', () => {
    expect(new Date(m.start).toISOString()).toBe('2004-08-19T00:00:00.000Z')
    expect(new Date(m.end).toISOString()).toBe('2013-03-01T00:00:00.000Z')
    expect(m.periodsPerYear).toBe(252)
    expect(m.compat).toBe('backtesting.py')
  })
})
