import type { Candle, Gap } from '../../shared/domain/candles'
import { bucketStart, nextBucket, type Timeframe } from '../../shared/domain/timeframes'

/**
 * Folds bars into a longer timeframe (e.g. 1m into 1h). A bucket is formed from whichever
 * source bars it holds, as exchanges do; a bucket with no source bars does not exist (it
 * shows up as a gap, never as an invented flat bar). Input must be sorted by time.
 */
export function aggregateCandles(source: readonly Candle[], tf: Timeframe): Candle[] {
  const out: Candle[] = []
  let cur: Candle | undefined
  for (const c of source) {
    const open = bucketStart(c.time, tf)
    if (cur && cur.time === open) {
      if (c.high > cur.high) cur.high = c.high
      if (c.low < cur.low) cur.low = c.low
      cur.close = c.close
      cur.volume += c.volume
    } else {
      cur = { time: open, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }
      out.push(cur)
    }
  }
  return out
}

/**
 * Which trading days a market has. `always` (crypto) expects every bar; `weekdays` (stocks,
 * forex daily data) does not count Saturdays and Sundays as missing.
 */
export type MarketCalendar = 'always' | 'weekdays'

/** Stretches of missing bars between consecutive open times (sorted, one timeframe). */
export function findGaps(
  times: readonly number[],
  tf: Timeframe,
  calendar: MarketCalendar = 'always',
): Gap[] {
  const gaps: Gap[] = []
  for (let i = 1; i < times.length; i++) {
    const prev = times[i - 1]!
    const expected = nextBucket(prev, tf)
    const actual = times[i]!
    if (actual <= expected) continue
    let missing = 0
    let first: number | undefined
    let last = expected
    for (let t = expected; t < actual; t = nextBucket(t, tf)) {
      if (calendar === 'weekdays' && isWeekend(t)) continue
      missing++
      first ??= t
      last = t
    }
    if (missing > 0 && first !== undefined) gaps.push({ from: first, to: last, missing })
  }
  return gaps
}

function isWeekend(time: number): boolean {
  const day = new Date(time).getUTCDay()
  return day === 0 || day === 6
}

/** `weekdays` if no bar opens on a Saturday or Sunday (daily stock data), else `always`. */
export function guessCalendar(times: readonly number[], tf: Timeframe): MarketCalendar {
  if (tf !== '1d' && tf !== '1h' && tf !== '4h') return 'always'
  if (times.length < 10) return 'always'
  return times.some(isWeekend) ? 'always' : 'weekdays'
}
