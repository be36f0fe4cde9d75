import type { Candle, Gap } from '../../shared/domain/candles'
import { bucketStart, nextBucket, type Timeframe } from '../../shared/domain/timeframes'
import { isUsMarketHoliday, usMarketHolidays } from './us-holidays'

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
 * Which trading days a market has. `always` (crypto) expects every bar; `weekdays` (forex daily
 * data, stocks outside the US) does not count Saturdays and Sundays as missing; `us-stocks`
 * (NYSE, Nasdaq) also skips the US market holidays (`us-holidays.ts`).
 */
export type MarketCalendar = 'always' | 'weekdays' | 'us-stocks'

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
      if (calendar !== 'always' && isWeekend(t)) continue
      if (calendar === 'us-stocks' && isUsMarketHoliday(t)) continue
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

/**
 * The calendar the bars themselves show (no exchange tells us): `always` when any bar opens on a
 * Saturday or Sunday (or the series is intraday below 1h, or too short to tell); else
 * `us-stocks` when the bars span at least one US market holiday and none opens on one (a US
 * listing: its holidays are closures, not missing data); else `weekdays`.
 */
export function guessCalendar(times: readonly number[], tf: Timeframe): MarketCalendar {
  if (tf !== '1d' && tf !== '1h' && tf !== '4h') return 'always'
  if (times.length < 10) return 'always'
  if (times.some(isWeekend)) return 'always'
  if (times.some(isUsMarketHoliday)) return 'weekdays'
  return spansUsHoliday(times[0]!, times[times.length - 1]!) ? 'us-stocks' : 'weekdays'
}

function spansUsHoliday(first: number, last: number): boolean {
  for (let y = new Date(first).getUTCFullYear(); y <= new Date(last).getUTCFullYear(); y++)
    if (usMarketHolidays(y).some((d) => d > first && d < last)) return true
  return false
}
