// --compat backtesting.py: the built-in sma-cross (10, 30) on backtesting.py's GOOG data gives
// the trades its own test suite publishes (backtesting/test/_test.py, test_compute_stats, run
// with finalize_trades=True): 66 trades, final equity 51,422.99, peak 75,787.44, max drawdown
// -47.98 %, best trade 53.60 %, worst -18.40 %, win rate 46.97 %.
import { describe, expect, it } from 'vitest'
import { parseCandleFile } from '../../src/main/importing/parse'
import { candleSeries } from '../../src/main/indicators'
import { runBacktest } from '../../src/main/backtest/engine'
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
