import type { FeedHealth } from '../../shared/contract/health'
import { timeframeMs, type Timeframe } from '../../shared/domain/timeframes'
import { findGaps, guessCalendar } from '../market/aggregate'
import { backingSeries, storedSeriesOf } from '../market/backing-series'
import type { FollowedFeed } from '../market/feed-monitor'
import { readLatestCandles } from '../storage/candle-store'
import type { Db } from '../storage/db'
import { FEED_GAP_WINDOW, judgeFeed } from './thresholds'

/** The series followed live now, as the market domain counts them (feed-monitor.ts). */
export interface FeedsPort {
  followed(): FollowedFeed[]
}

/**
 * Each followed series judged (thresholds.ts `judgeFeed`): the age of its newest bar, from the
 * feed's events, else the newest stored bar, else the time it started being followed; and the
 * gaps in its newest `FEED_GAP_WINDOW` stored bars of the series the chart reads for that
 * timeframe (market/backing-series.ts), on the market's calendar (weekends are no gap for a
 * weekday market). The demo market stores nothing: no gaps to find.
 */
export function feedHealth(db: Db, feeds: readonly FollowedFeed[], now: number): FeedHealth[] {
  return feeds.map((f) => {
    const step = timeframeMs(f.timeframe)
    const stored = backingSeries(storedSeriesOf(db, f.source, f.symbol), f.timeframe)
    const lastBarTime = maxOf(f.lastBarTime, stored?.last ?? null)
    const ageMs = Math.max(0, now - (lastBarTime ?? f.since))
    const ageBars = ageMs / step
    const gaps = stored ? gapsOf(db, stored, now) : null
    const judged = judgeFeed(ageBars, gaps?.missingBars ?? null)
    return {
      source: f.source,
      symbol: f.symbol,
      timeframe: f.timeframe,
      subscribers: f.subscribers,
      lastBarTime,
      ageMs,
      ageBars,
      gaps,
      ...judged,
    }
  })
}

function maxOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b)
}

function gapsOf(
  db: Db,
  series: { source: string; symbol: string; timeframe: Timeframe },
  now: number,
): NonNullable<FeedHealth['gaps']> {
  const times = [...readLatestCandles(db, series, now, FEED_GAP_WINDOW).time]
  const found = findGaps(times, series.timeframe, guessCalendar(times, series.timeframe))
  const latest = found[found.length - 1] ?? null
  return {
    bars: times.length,
    count: found.length,
    missingBars: found.reduce((n, g) => n + g.missing, 0),
    latest: latest && { from: latest.from, to: latest.to, missing: latest.missing },
  }
}
