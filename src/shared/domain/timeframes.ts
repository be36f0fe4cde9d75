import { z } from 'zod'

/** Timeframes Candlework stores and charts. `1M` is a calendar month (UTC), all others fixed. */
export const TIMEFRAMES = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '12h',
  '1d',
  '1w',
  '1M',
] as const
export const timeframeSchema = z.enum(TIMEFRAMES)
export type Timeframe = z.infer<typeof timeframeSchema>

/**
 * The default favourites in the chart's toolbar and the default signal profile's timeframes;
 * the chart offers every timeframe of TIMEFRAMES a source has or can derive.
 */
export const CHART_TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const satisfies readonly Timeframe[]

const MINUTE = 60_000
const FIXED_MS: Record<Exclude<Timeframe, '1M'>, number> = {
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '6h': 360 * MINUTE,
  '12h': 720 * MINUTE,
  '1d': 1440 * MINUTE,
  '1w': 7 * 1440 * MINUTE,
}

/**
 * Nominal length in ms; for `1M` a 30-day month, only for sizing (never for bucketing, never to
 * step from one bar to the next: use nextBucket / barsBack; to bound a bar count: maxBarsIn).
 */
export function timeframeMs(tf: Timeframe): number {
  return tf === '1M' ? 30 * 1440 * MINUTE : FIXED_MS[tf]
}

/** Monday 1970-01-05 00:00 UTC: weeks open on Monday, as on most exchanges. */
const WEEK_ANCHOR = 4 * 1440 * MINUTE

/** Open time of the bar of `tf` that contains `time` (UTC). */
export function bucketStart(time: number, tf: Timeframe): number {
  if (tf === '1M') {
    const d = new Date(time)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  }
  if (tf === '1w') {
    const w = FIXED_MS['1w']
    return Math.floor((time - WEEK_ANCHOR) / w) * w + WEEK_ANCHOR
  }
  const ms = FIXED_MS[tf]
  return Math.floor(time / ms) * ms
}

/** Open time of the bar after the one opening at `open`. */
export function nextBucket(open: number, tf: Timeframe): number {
  if (tf === '1M') {
    const d = new Date(open)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
  }
  return open + FIXED_MS[tf]
}

/** The shortest a bar of `tf` can be: 28 days for a month (February), else its fixed length. */
export function shortestBarMs(tf: Timeframe): number {
  return tf === '1M' ? 28 * 1440 * MINUTE : FIXED_MS[tf]
}

/**
 * At most how many bars of `tf` open in a span of `spanMs` (never fewer than there are, so a
 * read sized by it is never short; for `1M` it may count one or two more).
 */
export function maxBarsIn(spanMs: number, tf: Timeframe): number {
  return spanMs <= 0 ? 0 : Math.ceil(spanMs / shortestBarMs(tf))
}

/** Open time of the bar `n` bars (n >= 0) before the bar opening at `open`; exact for `1M`. */
export function barsBack(open: number, n: number, tf: Timeframe): number {
  if (tf !== '1M') return open - n * FIXED_MS[tf]
  const d = new Date(open)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)
}
