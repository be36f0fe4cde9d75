import { describe, expect, it } from 'vitest'
import type { Candle } from '../../src/shared/domain/candles'
import { feedHealth } from '../../src/main/health/feeds'
import { FEED_GAP_WINDOW, judgeFeed, THRESHOLDS } from '../../src/main/health/thresholds'
import type { CandleUpdates, CandleUpdateSink } from '../../src/main/market/candle-updates'
import { monitorFeeds, type FollowedFeed } from '../../src/main/market/feed-monitor'
import { upsertCandles } from '../../src/main/storage/candle-store'
import { openDatabase } from '../../src/main/storage/database'
import { healthChecks } from '../../src/main/health/domain'

const MIN = 60_000
const T0 = Date.UTC(2025, 4, 5, 12)

const bar = (time: number): Candle => ({ time, open: 1, high: 1, low: 1, close: 1, volume: 1 })

describe('followed data feeds: thresholds at their edges', () => {
  it('age of the newest bar: ok to 2 bar lengths, amber to 5, red beyond; unknown is ok', () => {
    expect(THRESHOLDS.feedAgeBars).toEqual({ ok: 2, warning: 5 })
    expect(judgeFeed(null, null)).toEqual({ state: 'ok', advice: null })
    expect(judgeFeed(2, 0)).toEqual({ state: 'ok', advice: null })
    const amber = judgeFeed(2 + 1e-9, 0)
    expect(amber.state).toBe('warning')
    expect(amber.advice).toMatch(/No new bar/)
    expect(judgeFeed(5, 0).state).toBe('warning')
    expect(judgeFeed(5 + 1e-9, 0)).toEqual({ state: 'critical', advice: amber.advice })
  })

  it('gaps: none is ok, one missing bar is amber (never red on its own), and a stale feed says so first', () => {
    expect(judgeFeed(0, 0)).toEqual({ state: 'ok', advice: null })
    const gap = judgeFeed(0, 1)
    expect(gap.state).toBe('warning')
    expect(gap.advice).toMatch(/missing bars/)
    expect(judgeFeed(0, 1_000_000).state).toBe('warning')
    expect(judgeFeed(6, 3)).toMatchObject({ state: 'critical', advice: expect.stringMatching(/No new bar/) })
    expect(judgeFeed(3, 3)).toMatchObject({ state: 'warning', advice: expect.stringMatching(/No new bar/) })
  })
})

describe('followed data feeds: figures from the feed and the stored history', () => {
  const followed = (f: Partial<FollowedFeed>): FollowedFeed => ({
    source: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1m',
    subscribers: 1,
    since: T0 - 10 * MIN,
    lastBarTime: null,
    lastEventAt: null,
    ...f,
  })

  it('age from the newest bar the feed sent, at the edges of its bar lengths', () => {
    const db = openDatabase(':memory:')
    const at = (now: number) =>
      feedHealth(db, [followed({ source: 'demo', lastBarTime: T0, lastEventAt: T0 })], now)[0]!
    expect(at(T0 + 2 * MIN)).toMatchObject({ ageMs: 2 * MIN, ageBars: 2, state: 'ok', gaps: null })
    expect(at(T0 + 2 * MIN + 1).state).toBe('warning')
    expect(at(T0 + 5 * MIN).state).toBe('warning')
    expect(at(T0 + 5 * MIN + 1).state).toBe('critical')
    db.close()
  })

  it('no event yet: the newest stored bar, else the time following began; gaps in the stored bars on the series read', () => {
    const db = openDatabase(':memory:')
    // Nothing stored, nothing sent: 10 minutes since following began, red.
    expect(feedHealth(db, [followed({})], T0)[0]).toMatchObject({
      lastBarTime: null,
      ageMs: 10 * MIN,
      state: 'critical',
      gaps: null,
    })
    // 1m bars up to T0 - 1 min with 3 missing (T0-20..T0-18) and 1 missing (T0-5): 2 gaps, 4 bars.
    const times: number[] = []
    for (let t = T0 - 30 * MIN; t < T0; t += MIN) {
      const back = (T0 - t) / MIN
      if ((back >= 18 && back <= 20) || back === 5) continue
      times.push(t)
    }
    upsertCandles(db, { source: 'binance', symbol: 'BTC/USDT', timeframe: '1m' }, times.map(bar))
    const [h] = feedHealth(db, [followed({})], T0)
    expect(h).toMatchObject({
      lastBarTime: T0 - MIN,
      ageMs: MIN,
      ageBars: 1,
      gaps: {
        bars: 26,
        count: 2,
        missingBars: 4,
        latest: { from: T0 - 5 * MIN, to: T0 - 5 * MIN, missing: 1 },
      },
      state: 'warning',
      advice: expect.stringMatching(/missing bars/),
    })
    // A 5m chart of the same symbol reads the 1m series: its age in 5m lengths, the 1m gaps.
    const [five] = feedHealth(db, [followed({ timeframe: '5m' })], T0)
    expect(five).toMatchObject({ ageBars: 0.2, gaps: { missingBars: 4 } })
    // The item in the list, named by source, symbol and timeframe.
    const checks = healthChecks(
      {
        engine: { version: '1', host: 'headless', startedAt: 0, uptimeMs: 0, process: null },
        database: {
          schemaVersion: 1,
          sizeBytes: null,
          walBytes: null,
          openCheck: { result: 'ok', timing: 'at-open', checkedAt: 0, durationMs: 0, problems: [] },
        },
        exchanges: [],
        backup: { lastVerifiedAt: T0, ageMs: 0, state: 'ok', advice: null },
        history: [],
        trading: null,
        feeds: [h!],
      },
      T0,
    )
    expect(checks[0]).toMatchObject({
      item: 'feed:binance:BTC/USDT:1m',
      label: 'BTC/USDT 1m (binance)',
      state: 'warning',
    })
    expect(FEED_GAP_WINDOW).toBe(1_000)
    db.close()
  })
})

describe('the feed monitor', () => {
  it('counts the watchers of each series, notes the newest bar, and forgets a series when the last one leaves', () => {
    let now = T0
    const sinks: CandleUpdateSink[] = []
    const inner: CandleUpdates = {
      follows: () => true,
      watch(_source, symbol, _tf, sink) {
        if (symbol === 'BAD/USDT') throw new Error('no such market')
        sinks.push(sink)
        return () => sinks.splice(sinks.indexOf(sink), 1)
      },
    }
    const feeds = monitorFeeds(inner, { now: () => now })
    const seen: number[] = []
    const stopChart = feeds.watch('demo', 'BTC/USDT', '1m', {
      emit: (e) => seen.push(e.candle.time),
      end() {},
    })
    const stopAlert = feeds.watch('demo', 'BTC/USDT', '1m', { emit() {}, end() {} })
    expect(() => feeds.watch('demo', 'BAD/USDT', '1m', { emit() {}, end() {} })).toThrow('no such market')
    expect(feeds.followed()).toEqual([
      {
        source: 'demo',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        subscribers: 2,
        since: T0,
        lastBarTime: null,
        lastEventAt: null,
      },
    ])
    now = T0 + 5_000
    sinks[0]!.emit({ candle: bar(T0), closed: false })
    sinks[0]!.emit({ candle: bar(T0 - MIN), closed: true })
    expect(seen).toEqual([T0, T0 - MIN])
    expect(feeds.followed()[0]).toMatchObject({ lastBarTime: T0, lastEventAt: T0 + 5_000 })
    stopChart()
    stopChart()
    expect(feeds.followed()[0]!.subscribers).toBe(1)
    stopAlert()
    expect(feeds.followed()).toEqual([])
    expect(sinks).toHaveLength(0)
  })
})
