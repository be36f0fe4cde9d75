import { timeframeMs, type Timeframe } from '../../shared/domain/timeframes'
import { listSeries, type SeriesInfo } from '../storage/candle-store'
import type { Db } from '../storage/database'

/**
 * Which stored series backs a chart timeframe: the one rule the chart (`market.candles`), the
 * signals (`signals/bars.ts`) and the live feed of series stored from an exchange
 * (`exchange/followed-series.ts`) all read by, so they show, score and follow the same bars.
 *
 * - A timeframe with a stored series of its own is read from it.
 * - Any other is derived (`aggregate.ts`) from the longest stored timeframe shorter than it: the
 *   fewest bars to read, and the stored series closest to it.
 * - None shorter: nothing backs it (`market.candles` says so; a live feed follows the timeframe
 *   itself, and what it stores becomes its series).
 *
 * Only series with bars count: an emptied one backs nothing.
 */

/** The stored series with bars of one market from one source. */
export function storedSeriesOf(db: Db, source: string, symbol: string): SeriesInfo[] {
  return listSeries(db).filter((s) => s.source === source && s.symbol === symbol && s.count > 0)
}

/** The series bars of `tf` are read or derived from, or undefined when none can back it. */
export function backingSeries(series: readonly SeriesInfo[], tf: Timeframe): SeriesInfo | undefined {
  const stored = series.filter((s) => s.count > 0)
  const exact = stored.find((s) => s.timeframe === tf)
  if (exact) return exact
  let best: SeriesInfo | undefined
  for (const s of stored) {
    const ms = timeframeMs(s.timeframe)
    if (ms < timeframeMs(tf) && (!best || ms > timeframeMs(best.timeframe))) best = s
  }
  return best
}

/** The series with the shortest timeframe: every longer chart timeframe can be derived. */
export function finestSeries(series: readonly SeriesInfo[]): SeriesInfo | undefined {
  let best: SeriesInfo | undefined
  for (const s of series) {
    if (s.count > 0 && (!best || timeframeMs(s.timeframe) < timeframeMs(best.timeframe))) best = s
  }
  return best
}
