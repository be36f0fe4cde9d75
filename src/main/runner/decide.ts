/**
 * One decision on the newest closed bar, with the backtester's code: the indicator columns come
 * from the backtester's `indicatorColumns` over the run's bars (warm-up included), and the bar
 * state is filled as the backtester's loop fills it (`now` at the bar, `prev` at the one before).
 * Fed the same bars from the same first bar, the values (and so the decisions) are identical;
 * test/runner/same-decisions.test.ts proves it against `runBacktest`.
 */
import type { CandleSeries } from '../indicators'
import { indicatorColumns } from '../backtest/engine'
import type { BarState, OrderIntent, StrategyInstance } from '../backtest/strategy'

/** The strategy's view of its own account at the bar (from its own fills and its allocation). */
export interface RunAccount {
  position: number
  entryPrice: number
  equity: number
  cash: number
}

export function decideOnLastBar(
  instance: StrategyInstance,
  symbol: string,
  series: CandleSeries,
  account: RunAccount,
): readonly OrderIntent[] {
  const i = series.time.length - 1
  if (i < 0) return []
  const cols = indicatorColumns(series, instance.indicators)
  const now = new Float64Array(cols.length)
  const prev = new Float64Array(cols.length)
  for (let j = 0; j < cols.length; j++) {
    now[j] = cols[j]![i]!
    prev[j] = i > 0 ? cols[j]![i - 1]! : NaN
  }
  const bar: BarState = {
    symbol,
    index: i,
    time: series.time[i]!,
    open: series.open[i]!,
    high: series.high[i]!,
    low: series.low[i]!,
    close: series.close[i]!,
    volume: series.volume[i]!,
    now,
    prev,
    position: account.position,
    entryPrice: account.entryPrice,
    equity: account.equity,
    cash: account.cash,
  }
  return instance.decide(bar)
}
