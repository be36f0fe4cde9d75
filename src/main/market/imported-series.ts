import type { CandleColumns } from '../../shared/domain/candles'
import { bucketStart, TIMEFRAMES, timeframeMs, type Timeframe } from '../../shared/domain/timeframes'
import { toColumns } from '../../shared/domain/candles'
import { AppError } from '../../shared/contract/errors'
import type { SymbolInfo } from '../../shared/contract/market'
import type { Db } from '../storage/database'
import { listSeries, readCandleRange, readLatestCandles, type SeriesInfo } from '../storage/candle-store'
import { aggregateCandles } from './aggregate'
import { backingSeries, finestSeries, storedSeriesOf } from './backing-series'

/**
 * Histories a trader imported (or backfilled): each stored timeframe, plus every longer chart
 * timeframe, derived on the fly from the series that backs it (`backing-series.ts`). `follows`
 * says which have a live feed (series backfilled from an exchange connection); none by default.
 */
export function importedSymbols(
  db: Db,
  follows: (source: string, symbol: string) => boolean = () => false,
): SymbolInfo[] {
  const bySymbol = new Map<string, SeriesInfo[]>()
  for (const s of listSeries(db)) {
    if (s.count === 0) continue
    const key = `${s.source}\u0000${s.symbol}`
    bySymbol.set(key, [...(bySymbol.get(key) ?? []), s])
  }
  return [...bySymbol.values()].map((series) => {
    // Grouped from stored series with bars: never empty.
    const finest = finestSeries(series)!
    const closes = readLatestCandles(db, finest, finest.last ?? 0, 1).close
    const live = follows(finest.source, finest.symbol)
    return {
      source: finest.source,
      sourceLabel: live ? (finest.label ?? finest.source) : storedSourceLabel(finest),
      symbol: finest.symbol,
      simulated: false,
      live,
      timeframes: availableTimeframes(series),
      last: closes[0] ?? null,
      change24h: null,
      pricePrecision: guessPrecision(closes[0] ?? 0),
    }
  })
}

/** Newest `limit` closed bars at or before `to`, reading the stored series or deriving it. */
export function importedCandles(
  db: Db,
  source: string,
  symbol: string,
  tf: Timeframe,
  to: number,
  limit: number,
): CandleColumns {
  const series = storedSeriesOf(db, source, symbol)
  if (series.length === 0)
    throw new AppError('not_found', `No stored history for ${symbol} from ${source}`, 'params.symbol')
  const base = backingSeries(series, tf)
  if (base?.timeframe === tf) return readLatestCandles(db, base, to, limit)
  if (!base) {
    throw new AppError(
      'not_found',
      `${symbol} has no bars at ${tf} or finer to build them from`,
      'params.timeframe',
    )
  }
  // Read enough finer bars to fill `limit` bars of tf, from a bucket's open: a read starting
  // inside a bucket made a partial first bar whenever gaps (weekends) left fewer than `limit`
  // bars to cut it off, and the chart's older page then joined a wrong bar.
  // Gaps (weekends, a halt) leave fewer: the read reaches further back, doubling, until it has
  // `limit` bars or the first stored bar, so an older page never comes back empty (read by the
  // chart as "history starts here") while older bars exist.
  const first = base.first ?? 0
  let span = (limit + 1) * timeframeMs(tf)
  for (;;) {
    const from = Math.max(first, bucketStart(to - span, tf))
    const bars = aggregateCandles(readCandleRange(db, base, from, to), tf)
    if (bars.length >= limit || from <= first) return toColumns(bars.slice(-limit))
    span *= 2
  }
}

/** Files say where they came from; backfilled series say which exchange (and stored, not live). */
function storedSourceLabel(s: SeriesInfo): string {
  if (s.importedFrom) return s.label ? `Imported (${s.label})` : 'Imported'
  return `${s.label ?? s.source} (stored)`
}

function availableTimeframes(series: SeriesInfo[]): Timeframe[] {
  const finestMs = timeframeMs(finestSeries(series)!.timeframe)
  // Every longer timeframe is aggregated from the finest stored bars (aggregateCandles).
  const derived = TIMEFRAMES.filter((tf) => timeframeMs(tf) > finestMs)
  const stored = series.map((s) => s.timeframe)
  return [...new Set<Timeframe>([...stored, ...derived])].sort((a, b) => timeframeMs(a) - timeframeMs(b))
}

/** Enough decimals to show four significant digits of a price. */
export function guessPrecision(price: number): number {
  if (!(price > 0)) return 2
  return Math.min(10, Math.max(2, 3 - Math.floor(Math.log10(price))))
}
