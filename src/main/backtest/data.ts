/**
 * Where a backtest's bars come from: a candle file (CSV or JSON, as the importer reads them) or
 * a stored series (imported or backfilled; derived timeframes aggregated from the stored one).
 */
import { AppError } from '../../shared/contract/errors'
import { toColumns, type CandleColumns } from '../../shared/domain/candles'
import { TIMEFRAMES, type Timeframe } from '../../shared/domain/timeframes'
import { CandleFileError, formatIssue, parseCandleFile } from '../importing/parse'
import type { CandleSeries } from '../indicators'
import { importedCandles } from '../market/imported-series'
import type { Db } from '../storage/database'
import { listSeries } from '../storage/candle-store'

export function seriesOfColumns(c: CandleColumns): CandleSeries {
  return {
    time: Float64Array.from(c.time),
    open: Float64Array.from(c.open),
    high: Float64Array.from(c.high),
    low: Float64Array.from(c.low),
    close: Float64Array.from(c.close),
    volume: Float64Array.from(c.volume),
  }
}

/** A candle file's bars; a file with bad rows is refused, naming the first few. */
export function seriesOfFile(file: string): CandleSeries {
  let parsed
  try {
    parsed = parseCandleFile(file)
  } catch (err) {
    if (err instanceof CandleFileError)
      throw new AppError('validation', `${err.where}: ${err.message}`, 'file')
    throw err
  }
  if (parsed.issues.length > 0) {
    const shown = parsed.issues.slice(0, 5).map(formatIssue).join('; ')
    throw new AppError('validation', `${file} has ${parsed.issues.length} bad row(s): ${shown}`, 'file')
  }
  if (parsed.candles.length === 0) throw new AppError('validation', `${file} has no bars`, 'file')
  return seriesOfColumns(toColumns(parsed.candles))
}

/** Every bar of a stored series (from `source`, or the first source holding the symbol). */
export function seriesOfStore(db: Db, symbol: string, timeframe: Timeframe, source?: string): CandleSeries {
  const src = source ?? listSeries(db).find((s) => s.symbol === symbol && s.count > 0)?.source
  if (!src) throw new AppError('not_found', `No stored history for ${symbol}`, 'symbol')
  const cols = importedCandles(db, src, symbol, timeframe, Number.MAX_SAFE_INTEGER, 50_000_000)
  if (cols.time.length === 0)
    throw new AppError('not_found', `No stored ${timeframe} bars for ${symbol}`, 'symbol')
  return seriesOfColumns(cols)
}

/**
 * For `intrabar`: the finest stored series of the symbol (same source) shorter than `timeframe`,
 * bars from `from` on (ms; the run's first bar), or undefined when none is stored.
 */
export function finerSeriesOfStore(
  db: Db,
  symbol: string,
  timeframe: Timeframe,
  source?: string,
  from = -Infinity,
): { timeframe: Timeframe; series: CandleSeries } | undefined {
  const rank = TIMEFRAMES.indexOf(timeframe)
  const stored = listSeries(db)
    .filter(
      (s) =>
        s.symbol === symbol &&
        s.count > 0 &&
        (source === undefined || s.source === source) &&
        TIMEFRAMES.indexOf(s.timeframe) < rank,
    )
    .sort((a, b) => TIMEFRAMES.indexOf(a.timeframe) - TIMEFRAMES.indexOf(b.timeframe))
  const finest = stored[0]
  if (!finest) return undefined
  const all = seriesOfStore(db, symbol, finest.timeframe, finest.source)
  let k = 0
  while (k < all.time.length && all.time[k]! < from) k++
  const cut = (c: Float64Array) => c.subarray(k)
  return {
    timeframe: finest.timeframe,
    series: {
      time: cut(all.time),
      open: cut(all.open),
      high: cut(all.high),
      low: cut(all.low),
      close: cut(all.close),
      volume: cut(all.volume),
    },
  }
}
