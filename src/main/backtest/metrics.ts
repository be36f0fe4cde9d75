/**
 * A run's statistics: the engine's result handed to the statistics module (./stats, docs
 * "## Statistics"), with buy and hold of the first symbol as the benchmark.
 */
import type { CandleSeries } from '../indicators'
import type { BacktestResult } from './result'
import type { BacktestSettings } from './settings'
import { computeMetrics, type Metrics, type MetricsOptions, type TradeStat } from './stats'

/** Index of the first time >= t. */
function at(times: Float64Array, t: number): number {
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (times[mid]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The first symbol's close at each equity time (the last close at or before it). */
function benchmarkOf(result: BacktestResult, series: CandleSeries): Float64Array {
  const times = result.equity.time
  const out = new Float64Array(times.length)
  let j = 0
  let last = NaN
  for (let k = 0; k < times.length; k++) {
    while (j < series.time.length && series.time[j]! <= times[k]!) last = series.close[j++]!
    out[k] = last
  }
  // A portfolio whose first symbol starts later: its first close stands for the bars before.
  const first = out.findIndex((v) => v === v)
  for (let k = 0; k < first; k++) out[k] = out[first]!
  return out
}

export interface MetricsContext {
  settings: BacktestSettings
  /** The first symbol's series (the benchmark). */
  benchmark: CandleSeries
  /** Bars from the range start until every indicator has a value (backtesting.py measures buy
   *  and hold from there). */
  warmup?: number
  options?: MetricsOptions
}

export function backtestMetrics(result: BacktestResult, ctx: MetricsContext): Metrics {
  const times = result.equity.time
  // Trade bars as indices of the equity curve (the engine reports them in the input series).
  const trades: TradeStat[] = result.trades.map((t) => ({
    ...t,
    entryBar: at(times, t.entryTime),
    exitBar: at(times, t.exitTime),
  }))
  const compat = ctx.settings.compat === 'backtesting.py' ? 'backtesting.py' : 'empyrical'
  return computeMetrics(
    {
      time: times,
      equity: result.equity.value,
      trades,
      benchmark: benchmarkOf(result, ctx.benchmark),
      benchmarkStart:
        compat === 'backtesting.py' ? Math.min(ctx.warmup ?? 0, Math.max(0, times.length - 1)) : 0,
      fees: result.feesPaid,
    },
    { compat, ...ctx.options },
  )
}
