import type { CandleSeries } from '../../src/main/indicators'
import { runBacktest } from '../../src/main/backtest/engine'
import { parseSettings, type BacktestSettingsInput } from '../../src/main/backtest/settings'
import {
  NO_ORDERS,
  type ExitRules,
  type IndicatorUse,
  type OrderIntent,
  type StrategyInstance,
} from '../../src/main/backtest/strategy'

const DAY = 86_400_000

/** Bars from [open, high, low, close, volume?] rows, one day apart from 2024-01-01. */
export function bars(rows: readonly (readonly number[])[]): CandleSeries {
  const n = rows.length
  const s: CandleSeries = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
  rows.forEach((r, i) => {
    s.time[i] = Date.UTC(2024, 0, 1) + i * DAY
    s.open[i] = r[0]!
    s.high[i] = r[1]!
    s.low[i] = r[2]!
    s.close[i] = r[3]!
    s.volume[i] = r[4] ?? 1e9
  })
  return s
}

/** A strategy that sends the given orders at the given bar indices, and nothing else. */
export function scripted(
  script: Record<number, OrderIntent[]>,
  exits: ExitRules = {},
  indicators: IndicatorUse[] = [],
): StrategyInstance {
  return { indicators, exits, decide: (bar) => script[bar.index] ?? NO_ORDERS }
}

export function run(
  rows: readonly (readonly number[])[],
  script: Record<number, OrderIntent[]>,
  settings: BacktestSettingsInput = {},
  exits: ExitRules = {},
  indicators: IndicatorUse[] = [],
): ReturnType<typeof runBacktest> {
  return runBacktest(
    scripted(script, exits, indicators),
    [{ symbol: 'X', series: bars(rows) }],
    parseSettings(settings),
  )
}
