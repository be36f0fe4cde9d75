import type { Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import type { CandleUpdates } from './candle-updates'

/** A series followed live right now (a chart, an alert, a strategy run, the signals), as Health reads it. */
export interface FollowedFeed {
  source: string
  symbol: string
  timeframe: Timeframe
  /** Watchers of it now. */
  subscribers: number
  /** When the first of them started watching (since it was last unwatched by all). */
  since: number
  /** Open time of the newest bar the feed sent; null before its first event. */
  lastBarTime: number | null
  /** When the feed last sent anything (engine clock); null before its first event. */
  lastEventAt: number | null
}

export interface MonitoredCandleUpdates extends CandleUpdates {
  /** Every series watched now, by source, symbol and timeframe. */
  followed(): FollowedFeed[]
}

/**
 * The candle updates with a note of who follows what: every watch (chart, alerts, runner,
 * signals) goes through `market.candleUpdates`, so counting here sees them all. It adds a map
 * update per event and nothing else (Health reads it when asked, docs/HEALTH.md "Data feeds").
 */
export function monitorFeeds(updates: CandleUpdates, clock: Clock): MonitoredCandleUpdates {
  const feeds = new Map<string, FollowedFeed>()
  return {
    follows: (source, symbol) => updates.follows(source, symbol),
    watch(source, symbol, timeframe, sink) {
      const key = `${source}\u0000${symbol}\u0000${timeframe}`
      let feed = feeds.get(key)
      if (!feed) {
        feed = {
          source,
          symbol,
          timeframe,
          subscribers: 0,
          since: clock.now(),
          lastBarTime: null,
          lastEventAt: null,
        }
        feeds.set(key, feed)
      }
      feed.subscribers++
      const f = feed
      let stopped = false
      const leave = () => {
        if (stopped) return
        stopped = true
        f.subscribers--
        if (f.subscribers <= 0 && feeds.get(key) === f) feeds.delete(key)
      }
      let stop: () => void
      try {
        stop = updates.watch(source, symbol, timeframe, {
          emit(e) {
            f.lastEventAt = clock.now()
            if (f.lastBarTime === null || e.candle.time > f.lastBarTime) f.lastBarTime = e.candle.time
            sink.emit(e)
          },
          end(error) {
            leave()
            sink.end(error)
          },
        })
      } catch (err) {
        leave()
        throw err
      }
      return () => {
        leave()
        stop()
      }
    },
    followed: () =>
      [...feeds.values()]
        .filter((f) => f.subscribers > 0)
        .map((f) => ({ ...f }))
        .sort(
          (a, b) =>
            a.source.localeCompare(b.source) ||
            a.symbol.localeCompare(b.symbol) ||
            a.timeframe.localeCompare(b.timeframe),
        ),
  }
}
