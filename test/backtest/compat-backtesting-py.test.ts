// --compat backtesting.py: the built-in sma-cross (10, 30) on backtesting.py's GOOG data gives
// the trades its own test suite publishes (backtesting/test/_test.py, test_compute_stats, run
// with finalize_trades=True): 66 trades, final equity 51,422.99, peak 75,787.44, max drawdown
// -47.98 %, best trade 53.60 %, worst -18.40 %, win rate 46.97 %.
import { describe, expect, it } from 'vitest'
import { parseCandleFile } from '../../src/main/importing/parse'
import { candleSeries } from '../../src/main/indicators'
import { runBacktest } from '../../src/main/backtest/engine'
import { backtestMetrics } from '../../src/main/backtest/metrics'
import { parseSettings } from '../../src/main/backtest/settings'
import { getStrategy } from '../../src/main/backtest/strategies'

const goog = candleSeries(parseCandleFile('../shared/data/backtesting.py/GOOG.csv').candles)

describe('compat backtesting.py: SmaCross on GOOG', () => {
  const d = getStrategy('sma-cross')
  const r = runBacktest(
    d.create(d.params.parse({ fast: 10, slow: 30 })),
    [{ symbol: 'GOOG', series: goog }],
    parseSettings({ compat: 'backtesting.py', cash: 10_000 }),
  )
  const close = (a: number, b: number): void => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-8)

  it('gives the published trades and equity', () => {
    expect(r.trades).toHaveLength(66)
    close(r.equity.value.at(-1)!, 51_422.98999999996)
    close(Math.max(...r.equity.value), 75_787.44)
    close(Math.min(...r.drawdown), -0.4798012705007589)
    const returns = r.trades.map((t) => t.returnPct)
    close(Math.max(...returns), 0.5359595229490424)
    close(Math.min(...returns), -0.1839887353835481)
    close(returns.filter((x) => x > 0).length / returns.length, 0.4696969696969697)
    // backtesting.py's "Avg. Trade [%]": the geometric mean of 1 + return, less 1
    const geo = Math.exp(returns.reduce((s, x) => s + Math.log1p(x), 0) / returns.length) - 1
    close(geo, 0.02531715975158555)
  })

  it('sizes with all available cash in whole units and alternates long and short', () => {
    for (const t of r.trades) expect(Number.isInteger(t.size)).toBe(true)
    for (let k = 1; k < r.trades.length; k++)
      expect(Math.sign(r.trades[k]!.size)).toBe(-Math.sign(r.trades[k - 1]!.size))
    // the first entry: bar 31's open; all of 10,000 cash in whole units
    const first = r.trades[0]!
    expect(first.entryBar).toBeGreaterThan(29)
    expect(Math.abs(first.size)).toBe(Math.floor(10_000 / first.entryPrice))
    // the last trade is closed at the end of the data, on its last bar
    expect(r.trades.at(-1)).toMatchObject({ exitBar: goog.time.length - 1, exitReason: 'end' })
  })

  it('charges the commission on entry and exit', () => {
    const c = runBacktest(
      d.create(d.params.parse({})),
      [{ symbol: 'GOOG', series: goog }],
      parseSettings({ compat: 'backtesting.py', fees: { taker: 0.002 } }),
    )
    const t = c.trades[0]!
    const fees = Math.abs(t.size) * 0.002 * (t.entryPrice + t.exitPrice)
    close(t.fees, fees)
    close(t.pnl, Math.sign(t.size) * (t.exitPrice - t.entryPrice) * Math.abs(t.size) - fees)
  })
})

describe('compat backtesting.py: the statistics of the engine run', () => {
  const d = getStrategy('sma-cross')
  const inst = d.create(d.params.parse({}))
  const settings = parseSettings({ compat: 'backtesting.py' })
  const r = runBacktest(inst, [{ symbol: 'GOOG', series: goog }], settings)
  const warmup = r.ranges.GOOG!.warmup
  const m = backtestMetrics(r, { settings, benchmark: goog, warmup })
  // backtesting.py's published figures (test_compute_stats), as fractions
  const published: [keyof typeof m, number][] = [
    ['trades', 66],
    ['totalReturn', 4.142298999999996],
    ['annualReturn', 21.191099249053224 / 100],
    ['annualVolatility', 0.3649716090702389],
    ['cagr', 21.160245705962623 / 100],
    ['sharpe', 0.5806232244485349],
    ['sortino', 1.0853434352488662],
    ['calmar', 0.44166409202994605],
    ['maxDrawdown', -0.4798012705007589],
    ['avgDrawdown', -0.05925851581948801],
    ['exposureTime', 0.9674115456238361],
    ['winRate', 0.4696969696969697],
    ['profitFactor', 2.167945974262033],
    ['expectancy', 3.2748078066748834 / 100],
    ['avgTradeReturn', 0.02531715975158555],
    ['sqn', 1.0766187356697705],
    ['kelly', 0.1518705127029717],
    ['buyHoldReturn', 5.220601851851852],
    ['alpha', 394.37391142027462 / 100],
    ['beta', 0.03803390709192],
  ]
  it.each(published)('%s', (name, expected) => {
    const got = m[name] as number
    expect(Math.abs(got - expected), `${name}: ${got} vs ${expected}`).toBeLessThanOrEqual(
      1e-8 * Math.abs(expected),
    )
  })
})
