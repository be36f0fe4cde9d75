/**
 * The runner decides with the backtester's code and the same indicator values: identical closed
 * bars fed to runBacktest and to the runner (warm-up, then one bar at a time from the feed) give
 * identical decisions on every bar the runner saw.
 */
import { describe, expect, it } from 'vitest'
import { runBacktest } from '../../src/main/backtest/engine'
import { parseSettings } from '../../src/main/backtest/settings'
import { smaCross } from '../../src/main/backtest/strategies/cross'
import type { BarState, StrategyDefinition } from '../../src/main/backtest/strategy'
import { candleSeries } from '../../src/main/indicators'
import { useTempDirs } from '../support/temp-dir'
import { bars, runnerRig } from './support'

const tempDir = useTempDirs()

interface Seen {
  time: number
  now: number[]
  prev: number[]
  long: boolean
  orders: string
}

/** sma-cross whose decisions (and the values it decided on) are written down. */
function recording(seen: Seen[]): StrategyDefinition {
  const def = smaCross as unknown as StrategyDefinition
  return {
    ...def,
    create: (p) => {
      const inner = def.create(p)
      return {
        ...inner,
        decide: (bar: BarState) => {
          const orders = inner.decide(bar)
          seen.push({
            time: bar.time,
            now: Array.from(bar.now),
            prev: Array.from(bar.prev),
            long: bar.position > 0,
            orders: JSON.stringify(orders),
          })
          return orders
        },
      }
    },
  }
}

describe('strategy runner: same decisions as the backtester', () => {
  it('sma-cross 3/7 over 240 bars: identical indicator values and orders on every live bar', async () => {
    // A wave with a drift: crosses both ways many times.
    const closes = Array.from(
      { length: 240 },
      (_, i) => 100 + 8 * Math.sin(i / 9) + 3 * Math.sin(i / 2.3) + i * 0.01,
    )
    const all = bars(closes.map((c) => Math.round(c * 100) / 100))
    const warm = 40
    const params = { fast: 3, slow: 7 }

    const fromBacktest: Seen[] = []
    runBacktest(
      recording(fromBacktest).create(smaCross.params.parse(params)),
      [{ symbol: 'BTC/USDT', series: candleSeries(all) }],
      parseSettings({ cash: 1000 }),
    )

    const fromRunner: Seen[] = []
    const rig = runnerRig(tempDir(), all.slice(0, warm), { strategies: () => recording(fromRunner) })
    const run = await rig.runner.startRun({
      strategyId: 'sma-cross',
      params,
      accountId: 'demo-paper',
      source: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      allocation: '1000',
      protections: [],
    })
    for (const bar of all.slice(warm)) await rig.closeBar(bar)

    const live = fromBacktest.filter((s) => s.time >= all[warm]!.time)
    expect(fromRunner).toHaveLength(all.length - warm)
    expect(fromRunner).toEqual(live)
    // It traded: several round trips, every order through the order path (none refused).
    const view = rig.runner.view(run.id)
    expect(fromRunner.filter((s) => s.orders !== '[]').length).toBeGreaterThan(4)
    expect(view.intents).toBeGreaterThan(4)
    expect(view.rejected).toBe(0)
    await rig.runner.close()
  })
})
