/**
 * The signals domain's multi-timeframe score (src/main/signals/README.md) as a column over a
 * backtest's bars, computed by the same code: a `SymbolBook` fed the run's bars and the higher
 * timeframes aggregated from them, in the order their bars close.
 *
 * No look-ahead: bar i's score is the signal of bar i as the book publishes it when that bar
 * closes, from the streaming state of the bars up to it and the higher timeframes' last bars
 * closed at or before its close (a higher bar aggregated from the run's bars closes at its
 * bucket's end, so a bucket still forming is never read; one cut short by the end of the data
 * closes after every bar of the run).
 */
import { createHash } from 'node:crypto'
import { AppError } from '../../shared/contract/errors'
import type { Candle } from '../../shared/domain/candles'
import { DEFAULT_PROFILE, type SignalProfile } from '../../shared/domain/signals'
import { TIMEFRAMES, type Timeframe } from '../../shared/domain/timeframes'
import type { CandleSeries } from '../indicators'
import { aggregateCandles } from '../market/aggregate'
import { SymbolBook } from '../signals/book'
import { inferTimeframe } from './timeframe-of'

/** The profile's timeframes longer than `tf`, after `tf` itself: what scores a `tf` bar. */
export function scoringTimeframes(tf: Timeframe, profile: SignalProfile): Timeframe[] {
  const rank = TIMEFRAMES.indexOf(tf)
  return [tf, ...profile.timeframes.filter((h) => TIMEFRAMES.indexOf(h) > rank)]
}

function candlesOf(s: CandleSeries): Candle[] {
  const out: Candle[] = new Array(s.time.length)
  for (let i = 0; i < out.length; i++)
    out[i] = {
      time: s.time[i]!,
      open: s.open[i]!,
      high: s.high[i]!,
      low: s.low[i]!,
      close: s.close[i]!,
      volume: s.volume[i]!,
    }
  return out
}

/**
 * The score (0..100, one decimal, as `signals.current` publishes it) of every bar of `series`,
 * bars of `tf`; NaN while the score warms up. `tf` undefined: read from the bars' spacing.
 */
export function signalScoreColumn(
  series: CandleSeries,
  tf?: Timeframe,
  profile: SignalProfile = DEFAULT_PROFILE,
): Float64Array {
  const n = series.time.length
  const out = new Float64Array(n).fill(NaN)
  if (n === 0) return out
  const timeframe = tf ?? inferTimeframe(series.time)
  if (!timeframe)
    throw new AppError(
      'validation',
      'params.timeframe: the bars are not evenly spaced in a known timeframe; give the timeframe',
      'params.timeframe',
    )
  const tfs = scoringTimeframes(timeframe, profile)
  const book = new SymbolBook('backtest', 'backtest', { ...profile, timeframes: tfs })
  const base = candlesOf(series)
  const bars: Partial<Record<Timeframe, readonly Candle[]>> = { [timeframe]: base }
  for (const h of tfs.slice(1)) bars[h] = aggregateCandles(base, h)
  let i = 0
  for (const s of book.replay(bars)) {
    if (s.timeframe !== timeframe) continue
    while (i < n && series.time[i]! < s.time) i++
    if (i < n && series.time[i] === s.time) out[i] = s.score
  }
  return out
}

/** Columns already computed, by a hash of the bars: an optimisation runs many sets over the same bars. */
const cache = new Map<string, Float64Array>()
const CACHED = 8

/**
 * `signalScoreColumn`, remembered for the same bars and timeframe (a sha1 of the bars' bytes,
 * milliseconds against the seconds a long series takes to score).
 */
export function cachedSignalScoreColumn(series: CandleSeries, tf?: Timeframe): Float64Array {
  const h = createHash('sha1')
  for (const c of [series.time, series.open, series.high, series.low, series.close, series.volume])
    h.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength))
  const key = `${tf ?? 'auto'}:${h.digest('hex')}`
  let col = cache.get(key)
  if (col) {
    cache.delete(key)
  } else {
    col = signalScoreColumn(series, tf)
    if (cache.size >= CACHED) cache.delete(cache.keys().next().value!)
  }
  cache.set(key, col)
  return col
}
