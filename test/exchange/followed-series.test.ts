import { afterEach, describe, expect, it } from 'vitest'
import type { AppErrorShape } from '../../src/shared/contract/errors'
import type { LiveIndicatorEvent } from '../../src/shared/contract/charting'
import { startIndicatorStream } from '../../src/main/charting/indicator-stream'
import { marketBarSource } from '../../src/main/signals/bars'
import type { EventOf, Params } from '../../src/shared/contract'
import { fromColumns, type Candle } from '../../src/shared/domain/candles'
import { bucketStart, nextBucket } from '../../src/shared/domain/timeframes'
import { createDemoMarket } from '../../src/main/demo'
import { silentLogger } from '../../src/main/log'
import { ExchangeCandleUpdates } from '../../src/main/exchange/followed-series'
import { createMarketDomain } from '../../src/main/market/handlers'
import { candleUpdates } from '../../src/main/market/candle-updates'
import { readCandleRange, upsertCandles } from '../../src/main/storage/candle-store'
import { readFetchedRanges } from '../../src/main/exchange/schema'
import { memoryPair, registryWith } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'
import { expectOk, until, useRig, type Rig } from './support'

/**
 * `market.liveCandle` of a series backfilled from an exchange connection: real ccxt (pro) against
 * the loopback simulator, over its websocket and over REST polling, into a real SQLite file. Time
 * moves by skewing the simulator's clock and the app's clock together; waits are for events.
 */

const newDir = useTempDirs()
const rig = useRig(newDir)
const LIMIT = 30_000
const MINUTE = 60_000
const SOURCE = 'binance:custom'
const SYMBOL = 'BTC/USDT'
const fast = {
  pollIntervalMs: 25,
  backoffBaseMs: 10,
  backoffMaxMs: 40,
  wsFailuresBeforeFallback: 2,
  wsRetryAfterMs: 10 * MINUTE,
}

type LiveEvent = EventOf<'market.liveCandle'>

interface Setup {
  r: Rig
  live: ExchangeCandleUpdates
  subscribe(params: Params<'market.liveCandle'>): {
    events: LiveEvent[]
    ended: () => AppErrorShape | 'ok' | null
    dispose(): void
  }
  invoke: ReturnType<typeof memoryPair>['client']['invoke']
  /** Moves the simulator and the app `ms` forward. */
  advance(ms: number): void
  /** The exchange's bars (REST) opening in `[from, to]`. */
  exchangeBars(from: number, to: number): Promise<Candle[]>
}

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

async function setup(opts: Parameters<Awaited<typeof rig>>[0] = {}): Promise<Setup> {
  const r = await rig(opts)
  const live = new ExchangeCandleUpdates({
    db: r.db,
    clock: r.clock,
    log: silentLogger,
    exchanges: r.hub,
    feed: fast,
  })
  const demo = createDemoMarket({ seed: 1 })
  const market = createMarketDomain({ db: r.db, demo, clock: r.clock, exchangeCandles: live })
  const { client, disconnect } = memoryPair(registryWith(market.handlers))
  // Before the rig closes the hub and the database.
  cleanups.push(
    () => live.close(),
    () => market.close?.(),
    disconnect,
  )
  const connection = await r.hub.connection('binance')
  return {
    r,
    live,
    invoke: client.invoke.bind(client) as Setup['invoke'],
    subscribe(params) {
      const events: LiveEvent[] = []
      let ended: AppErrorShape | 'ok' | null = null
      const dispose = client.subscribe(
        'market.liveCandle',
        params,
        (e) => events.push(e),
        (error) => (ended = error ?? 'ok'),
      )
      return { events, ended: () => ended, dispose }
    },
    advance(ms) {
      r.sim.clock.setSkew(r.sim.clock.skewMs + ms)
      r.clock.offsetMs += ms
    },
    async exchangeBars(from, to) {
      const rows = await connection.fetchOHLCV(SYMBOL, '1m', from, Math.round((to - from) / MINUTE) + 1)
      return rows
        .filter((x) => x[0]! <= to)
        .map(([time, open, high, low, close, volume]) => ({
          time: time!,
          open: open!,
          high: high!,
          low: low!,
          close: close!,
          volume: volume!,
        }))
    },
  }
}

const KEY = { source: SOURCE, symbol: SYMBOL, timeframe: '1m' as const }

function minutes(from: number, to: number): number[] {
  const out: number[] = []
  for (let t = from; t <= to; t += MINUTE) out.push(t)
  return out
}

const forming = (events: LiveEvent[], time?: number) =>
  events.find((e) => !e.closed && (time === undefined || e.candle.time === time))
const closedAt = (events: LiveEvent[], time: number) => events.find((e) => e.closed && e.candle.time === time)

/** Stores history up to ten minutes ago, as `exchange.backfill` does; returns its last bar's open. */
async function history(s: Setup): Promise<number> {
  const now = s.r.clock.now()
  const out = expectOk(
    await s.r.invoke('exchange.backfill', {
      exchange: 'binance',
      symbol: SYMBOL,
      timeframe: '1m',
      from: now - 40 * MINUTE,
      to: now - 10 * MINUTE,
    }),
  )
  expect(out.source).toBe(SOURCE)
  return readCandleRange(s.r.db, KEY, 0, now).at(-1)!.time
}

/**
 * The shared checks of both transports: the gap fill before the first forming bar, a bar closing,
 * a jump over a 5m boundary (closed bar, filled gap, derived 5m bar), shared feed, release.
 */
async function followsTheExchange(s: Setup): Promise<void> {
  const { db } = s.r
  const last = await history(s)
  const symbols = expectOk(await s.invoke('market.symbols', {}))
  expect(symbols.find((x) => x.source === SOURCE && x.symbol === SYMBOL)).toMatchObject({
    live: true,
    simulated: false,
    sourceLabel: SOURCE,
  })

  const a = s.subscribe({ source: SOURCE, symbol: SYMBOL, timeframe: '1m' })
  const b = s.subscribe({ source: SOURCE, symbol: SYMBOL, timeframe: '1m' })
  const five = s.subscribe({ source: SOURCE, symbol: SYMBOL, timeframe: '5m' })
  await until(
    () => !!forming(a.events) && !!forming(b.events) && !!forming(five.events),
    'forming bars',
    LIMIT,
  )
  expect(s.live.activeFeeds()).toBe(1)

  // The gap between the stored history and the first live bar was filled first, in order.
  const first = forming(a.events)!.candle
  const gap = minutes(nextBucket(last, '1m'), first.time - MINUTE)
  expect(gap.length).toBeGreaterThan(5)
  const before = a.events.slice(0, a.events.indexOf(forming(a.events)!))
  expect(before.every((e) => e.closed)).toBe(true)
  expect(before.map((e) => e.candle.time)).toEqual(gap)
  const truth = await s.exchangeBars(gap[0]!, gap.at(-1)!)
  expect(before.map((e) => e.candle)).toEqual(truth)
  expect(readCandleRange(db, KEY, gap[0]!, first.time)).toEqual(truth)
  expect(five.events.find((e) => !e.closed)!.candle.time).toBe(bucketStart(first.time, '5m'))

  // The minute ends: the bar closes with the exchange's final values and is stored.
  s.advance(nextBucket(first.time, '1m') - s.r.clock.now() + 1_000)
  await until(() => !!closedAt(a.events, first.time), 'the first live bar to close', LIMIT)
  const [final] = await s.exchangeBars(first.time, first.time)
  expect(closedAt(a.events, first.time)!.candle).toEqual(final)
  expect(readCandleRange(db, KEY, first.time, first.time)).toEqual([final])
  const second = nextBucket(first.time, '1m')
  await until(() => !!forming(a.events, second), 'the next bar', LIMIT)

  // A jump past the next 5m boundary: that bar closes, the bars skipped are filled, the 5m bar closes.
  const five0 = bucketStart(second, '5m')
  const target = nextBucket(five0, '5m') + 2 * MINUTE
  s.advance(target - s.r.clock.now() + 1_000)
  await until(() => !!forming(a.events, target), 'the bar after the jump', LIMIT)
  const after = a.events.slice(a.events.indexOf(forming(a.events, second)!))
  const closedTimes = after.filter((e) => e.closed).map((e) => e.candle.time)
  expect(closedTimes).toEqual(minutes(second, target - MINUTE))
  const jumped = await s.exchangeBars(second, target - MINUTE)
  expect(after.filter((e) => e.closed).map((e) => e.candle)).toEqual(jumped)
  expect(readCandleRange(db, KEY, second, target)).toEqual(jumped)

  // The 5m subscriber saw its bucket close as the history derives it, then the next one forming.
  await until(() => !!closedAt(five.events, five0), 'the 5m bar to close', LIMIT)
  const derived = expectOk(
    await s.invoke('market.candles', {
      source: SOURCE,
      symbol: SYMBOL,
      timeframe: '5m',
      to: nextBucket(five0, '5m') - 1,
      limit: 1,
    }),
  )
  expect(closedAt(five.events, five0)!.candle).toEqual({
    time: derived.candles.time[0],
    open: derived.candles.open[0],
    high: derived.candles.high[0],
    low: derived.candles.low[0],
    close: derived.candles.close[0],
    volume: derived.candles.volume[0],
  })
  await until(() => !!forming(five.events, nextBucket(five0, '5m')), 'the next 5m bar', LIMIT)

  // Both 1m subscribers saw the same bars; the history has no hole from the backfill on.
  await until(() => b.events.length >= a.events.length, 'the second subscriber', LIMIT)
  const closedOf = (events: LiveEvent[]) => events.filter((e) => e.closed).map((e) => e.candle)
  expect(closedOf(b.events).slice(0, closedOf(a.events).length)).toEqual(closedOf(a.events))
  const times = readCandleRange(db, KEY, last, target).map((c) => c.time)
  expect(times).toEqual(minutes(last, target - MINUTE))
  expect(a.ended() ?? b.ended() ?? five.ended()).toBeNull()

  // One feed until the last subscriber leaves.
  a.dispose()
  five.dispose()
  await until(() => s.live.activeFeeds() === 1 && b.events.length > 0, 'two unsubscribes', LIMIT)
  b.dispose()
  await until(() => s.live.activeFeeds() === 0, 'the feed to stop', LIMIT)
}

/** The feed's REST polls: two bars, newest first, with no start time (gap fills name theirs). */
const polls = (s: Setup) =>
  s.r.sim.state
    .requests({ kind: 'klines' })
    .filter((q) => q.params['limit'] === '2' && !('startTime' in q.params))

describe('market.liveCandle of a series backfilled from an exchange', () => {
  it('follows the exchange over its websocket', async () => {
    const s = await setup()
    expect((await s.r.hub.connection('binance')).websocket).toBe(true)
    await followsTheExchange(s)
    expect(s.r.sim.ws.stats().accepted).toBeGreaterThan(0)
    // Polling never ran: no REST klines beyond the gap fills (which name their start) and the
    // checks' own reads. (A one-bar gap fill also asks for 2 bars; only a poll asks without a start.)
    expect(polls(s)).toEqual([])
  })

  it('follows the exchange by polling when websockets are refused, and stops polling at the end', async () => {
    const s = await setup({ sim: { websocket: { refuse: true } } })
    await followsTheExchange(s)
    expect(s.r.sim.ws.stats().refused).toBeGreaterThan(0)
    expect(polls(s).length).toBeGreaterThanOrEqual(3)
    // Released: at most a poll in flight lands after the feed stopped.
    const n = polls(s).length
    const connection = await s.r.hub.connection('binance')
    for (let i = 0; i < 20; i++) await connection.ticker(SYMBOL)
    expect(polls(s).length).toBeLessThanOrEqual(n + 1)
  })

  it('never overwrites a stored bar with a live one', async () => {
    const s = await setup({ configure: { websocket: false } })
    const last = await history(s)
    const a = s.subscribe({ source: SOURCE, symbol: SYMBOL, timeframe: '1m' })
    await until(() => !!forming(a.events), 'a forming bar', LIMIT)
    const t = forming(a.events)!.candle.time
    // Something else (an import, an older backfill) stored this minute already.
    const mine: Candle = { time: t, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }
    upsertCandles(s.r.db, KEY, [mine])
    s.advance(nextBucket(t, '1m') - s.r.clock.now() + 1_000)
    await until(() => !!closedAt(a.events, t), 'the bar to close', LIMIT)
    expect(readCandleRange(s.r.db, KEY, t, t)).toEqual([mine])
    // The closed event is the stored bar, so the chart agrees with a reload.
    expect(closedAt(a.events, t)!.candle).toEqual(mine)
    expect(readFetchedRanges(s.r.db, KEY).at(-1)!.last).toBeGreaterThan(last)
    a.dispose()
  })

  it('ends with not_found for a symbol the exchange does not have', async () => {
    const s = await setup()
    const a = s.subscribe({ source: SOURCE, symbol: 'NOPE/USDT', timeframe: '1m' })
    await until(() => a.ended() !== null, 'the stream to end', LIMIT)
    expect(a.ended()).toMatchObject({ kind: 'not_found' })
    await until(() => s.live.activeFeeds() === 0, 'the feed to go', LIMIT)
  })

  it('an imported history, or one from another connection, stays stored only', async () => {
    const s = await setup()
    const bar: Candle = { time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 }
    upsertCandles(s.r.db, KEY, [bar], { importedFrom: 'btc.csv' })
    upsertCandles(s.r.db, { ...KEY, source: 'binance' }, [bar])
    const symbols = expectOk(await s.invoke('market.symbols', {}))
    expect(symbols.filter((x) => x.symbol === SYMBOL && !x.simulated).map((x) => [x.source, x.live])).toEqual(
      [
        ['binance', false],
        [SOURCE, false],
      ],
    )
    for (const source of [SOURCE, 'binance', 'import:btc']) {
      const a = s.subscribe({ source, symbol: SYMBOL, timeframe: '1m' })
      await until(() => a.ended() !== null, `${source} to be refused`, LIMIT)
      expect(a.ended()).toMatchObject({ kind: 'unavailable', path: 'params.source' })
    }
    expect(s.live.activeFeeds()).toBe(0)
  })
})

describe('indicators and signals on a series backfilled from an exchange', () => {
  it('live indicator values follow the exchange’s bars, committed when a bar closes', async () => {
    const s = await setup()
    const demo = createDemoMarket({ seed: 1 })
    const feeds = candleUpdates({ demo, clock: s.r.clock, exchange: s.live })
    const last = await history(s)
    const events: LiveIndicatorEvent[] = []
    let ended: AppErrorShape | 'ok' | null = null
    const stop = startIndicatorStream(
      { bars: { db: s.r.db, demo }, clock: s.r.clock, candleUpdates: feeds },
      {
        source: SOURCE,
        symbol: SYMBOL,
        timeframe: '1m',
        instances: [{ id: 'sma', params: { period: 3 } }],
        from: last - 20 * MINUTE,
        after: last,
      },
      (e) => events.push(e),
      (error) => (ended = error ?? 'ok'),
    )
    cleanups.push(stop)
    await until(() => events.some((e) => !e.closed), 'a preview of the forming bar', LIMIT)
    const formingTime = events.find((e) => !e.closed)!.time
    s.advance(nextBucket(formingTime, '1m') - s.r.clock.now() + 1_000)
    await until(() => events.some((e) => e.closed && e.time === formingTime), 'the bar to close', LIMIT)
    // The committed value is the SMA(3) of the three stored closes ending at that bar.
    const closes = readCandleRange(s.r.db, KEY, formingTime - 2 * MINUTE, formingTime).map((c) => c.close)
    expect(closes).toHaveLength(3)
    const value = events.find((e) => e.closed && e.time === formingTime)!.values[0]![0]!
    expect(value).toBeCloseTo((closes[0]! + closes[1]! + closes[2]!) / 3, 9)
    expect(ended).toBeNull()
  })

  it('signals treat it as live, hold its feed open while followed and hear of its closed bars', async () => {
    const s = await setup()
    const demo = createDemoMarket({ seed: 1 })
    await history(s)
    const bars = marketBarSource(
      s.r.db,
      demo,
      undefined,
      candleUpdates({ demo, clock: s.r.clock, exchange: s.live }),
    )
    expect(bars.live(SOURCE, SYMBOL)).toBe(true)
    expect(marketBarSource(s.r.db, demo).live(SOURCE, SYMBOL)).toBe(false)
    let closed = 0
    const release = bars.follow!(SOURCE, SYMBOL, ['1m', '1h'], () => closed++)
    expect(s.live.activeFeeds()).toBe(1)
    // A bar closing on the exchange is reported, once it is stored, so signals need not wait a minute.
    s.advance(MINUTE)
    await until(() => closed > 0, 'a closed bar reported to the follower', LIMIT)
    release()
    expect(s.live.activeFeeds()).toBe(0)
  })
})

describe('several stored timeframes: the chart, the signals and the live feed read the same series', () => {
  it('backs each timeframe by its own series or the longest finer one, for all three alike', async () => {
    const s = await setup({ configure: { websocket: false } })
    const { db } = s.r
    const HOUR = 60 * MINUTE
    const now = s.r.clock.now()
    const end = bucketStart(now, '1h') - 2 * HOUR
    // Which series a read came from shows in how far back it reaches: 1m bars for 40 minutes,
    // 15m bars for 8 hours, 1h bars for 30 hours, all ending at the same closed hour.
    const reach = { '1m': 40 * MINUTE, '15m': 8 * HOUR, '1h': 30 * HOUR } as const
    for (const [timeframe, back] of Object.entries(reach)) {
      expectOk(
        await s.r.invoke('exchange.backfill', {
          exchange: 'binance',
          symbol: SYMBOL,
          timeframe: timeframe as keyof typeof reach,
          from: end - back,
          to: end,
        }),
      )
    }
    const backs = { '1m': '1m', '5m': '1m', '15m': '15m', '1h': '1h', '4h': '1h', '1d': '1h' } as const
    const demo = createDemoMarket({ seed: 1 })
    const bars = marketBarSource(
      db,
      demo,
      undefined,
      candleUpdates({ demo, clock: s.r.clock, exchange: s.live }),
    )

    for (const [tf, base] of Object.entries(backs) as [keyof typeof backs, keyof typeof reach][]) {
      // The chart: bars reaching back as far as the backing series does, and no further.
      const chart = fromColumns(
        expectOk(
          await s.invoke('market.candles', { source: SOURCE, symbol: SYMBOL, timeframe: tf, limit: 5_000 }),
        ).candles,
      )
      expect(chart[0]!.time, tf).toBe(bucketStart(end - reach[base], tf))
      // The signals: the same bars, every one the backing series has closed.
      const closed = bars.closedBars(SOURCE, SYMBOL, tf, 5_000, s.r.clock.now())
      expect(closed, tf).toEqual(chart.filter((b) => nextBucket(b.time, tf) <= nextBucket(end, base)))
    }

    // The signals keep every backing series fed: one exchange feed for each.
    const release = bars.follow!(SOURCE, SYMBOL, Object.keys(backs) as (keyof typeof backs)[], () => {})
    expect(s.live.activeFeeds()).toBe(3)
    const polled = () => new Set(polls(s).map((q) => q.params['interval']))
    await until(() => polled().size === 3, 'a poll of each backing series', LIMIT)
    expect([...polled()].sort()).toEqual(['15m', '1h', '1m'])
    // The chart's live candles of each timeframe follow the same feeds.
    const subs = Object.keys(backs).map((tf) =>
      s.subscribe({ source: SOURCE, symbol: SYMBOL, timeframe: tf as keyof typeof backs }),
    )
    await until(() => subs.every((sub) => !!forming(sub.events)), 'a forming bar of each timeframe', LIMIT)
    expect(s.live.activeFeeds()).toBe(3)
    for (const sub of subs) sub.dispose()
    release()
    await until(() => s.live.activeFeeds() === 0, 'the feeds to stop', LIMIT)
  })
})
