import type { OHLCV } from 'ccxt'
import { AppError } from '../../shared/contract/errors'
import { sameBar, type Candle } from '../../shared/domain/candles'
import { bucketStart, nextBucket, type Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import { backfillCandles } from './backfill'
import { endsFeed } from './errors'
import { candleSource, formingBars } from './feeds'
import type { ExchangeHub } from './hub'
import { DEFAULT_FEED, runFeed, type FeedOptions } from './feed-loop'
import { addFetchedRange, sourceOf } from './schema'
import type { ExchangeConnection } from './connection'
import type { Logger } from '../log'
import {
  listSeries,
  readCandleRange,
  seriesBounds,
  upsertCandles,
  type SeriesKey,
} from '../storage/candle-store'
import type { Db } from '../storage/database'
import { aggregateCandles } from '../market/aggregate'
import { backingSeries, storedSeriesOf } from '../market/backing-series'
import type { CandleUpdate, CandleUpdateSink } from '../market/candle-updates'

export interface ExchangeCandleUpdatesDeps {
  db: Db
  clock: Clock
  log: Logger
  exchanges: Pick<ExchangeHub, 'connectionConfig' | 'connection'>
  feed?: Partial<FeedOptions>
  /** Pages one gap fill may ask for (default 20). */
  fillMaxRequests?: number
}

/** At most this many bars of a filled gap are sent as closed bars; a longer one needs a reload. */
export const MAX_FILL_EVENTS = 1_000

/**
 * The candle updates of series stored from an exchange connection (`binance`, `binance:custom`, ...),
 * with the demo market's event semantics: forming-bar updates, then the completed bar once with
 * `closed: true`.
 *
 * - One exchange feed per (exchange, source, symbol, base timeframe), shared by every subscriber and
 *   stopped when the last one leaves. The base timeframe is the one `market.candles` reads for the
 *   chart's timeframe (`market/backing-series.ts`: the stored series of that timeframe, else the
 *   longest finer stored one, whose bars are derived exactly as the history is), else the
 *   timeframe itself.
 * - The feed is `feeds.ts`'s `candleSource` under `feed-loop.ts`'s `runFeed` (websocket through ccxt.pro
 *   when the connection has it, REST polling otherwise, backoff, fallback and recovery as there).
 * - Closed bars are appended to the candle store unless a bar with that open time is already stored
 *   (history is never overwritten), and recorded as fetched like backfilled ones. A closed bar
 *   whose final state may have been missed (it was polled, and the poll that saw the next bar no
 *   longer held it; or the websocket failed since) is first fetched over REST, like a gap.
 * - A gap between the stored bars and a live bar is backfilled (`backfill.ts`, only the ranges not
 *   fetched before) before that live bar is passed on, and the filled bars are sent as closed bars
 *   (at most `MAX_FILL_EVENTS`), so a chart drawn from the stored history joins the live bars.
 */
export class ExchangeCandleUpdates {
  private readonly feeds = new Map<string, SharedFeed>()

  constructor(private readonly deps: ExchangeCandleUpdatesDeps) {}

  /** The exchange whose connection stores bars as `source` now, or null when no connection does. */
  exchangeOf(source: string): string | null {
    const exchange = source.split(':')[0] ?? ''
    if (!/^[a-z][a-z0-9_]*$/.test(exchange)) return null
    return sourceOf(this.deps.exchanges.connectionConfig(exchange)) === source ? exchange : null
  }

  /** True when the stored series of `symbol` from `source` have a live exchange feed (not a file import). */
  follows(source: string, symbol: string): boolean {
    if (this.exchangeOf(source) === null) return false
    return !listSeries(this.deps.db).some(
      (s) => s.source === source && s.symbol === symbol && s.importedFrom !== null,
    )
  }

  subscribe(source: string, symbol: string, timeframe: Timeframe, sink: CandleUpdateSink): () => void {
    const exchange = this.exchangeOf(source)
    if (exchange === null || !this.follows(source, symbol)) {
      throw new AppError(
        'unavailable',
        `${symbol} from ${source} is a stored history with no live feed`,
        'params.source',
      )
    }
    // The series `market.candles` reads for this timeframe (`market/backing-series.ts`), or the
    // timeframe itself when none is stored yet.
    const base =
      backingSeries(storedSeriesOf(this.deps.db, source, symbol), timeframe)?.timeframe ?? timeframe
    const id = [exchange, source, symbol, base].join('\u0000')
    let feed = this.feeds.get(id)
    if (!feed) {
      const created = new SharedFeed(this.deps, exchange, { source, symbol, timeframe: base }, () => {
        if (this.feeds.get(id) === created) this.feeds.delete(id)
      })
      feed = created
      this.feeds.set(id, feed)
      feed.start()
    }
    return feed.add(timeframe, sink)
  }

  /** Exchange feeds running now (one per exchange, source, symbol and base timeframe). */
  activeFeeds(): number {
    return this.feeds.size
  }

  /** Stops every feed (their subscribers get no further events). */
  close(): void {
    for (const f of [...this.feeds.values()]) f.stop()
    this.feeds.clear()
  }
}

interface BaseEvent extends CandleUpdate {
  /** For a closed bar: its final values came with the newer bar (not only its last seen state). */
  verified: boolean
}

/** One exchange subscription and everyone following it. */
class SharedFeed {
  private readonly subs = new Set<Follower>()
  private readonly queue: BaseEvent[] = []
  private draining = false
  private stopped = false
  private stopFeed: (() => void) | null = null
  private connection: ExchangeConnection | null = null
  /** The open time of the newest stored bar of the base series, the anchor of gap detection. */
  private lastStored: number | null
  /** The bar time a gap fill was last tried for (one try per bar). */
  private fillTriedFor: number | null = null
  /** The latest forming base bar, for subscribers that join a running feed. */
  forming: Candle | null = null
  /** Bumped on every write to the base series (derived bars cache what they read). */
  version = 0

  constructor(
    readonly deps: ExchangeCandleUpdatesDeps,
    private readonly exchange: string,
    readonly key: SeriesKey,
    private readonly onStop: () => void,
  ) {
    this.lastStored = seriesBounds(deps.db, key).last
  }

  start(): void {
    const { exchanges, clock, log } = this.deps
    exchanges.connection(this.exchange).then(
      (connection) => {
        if (this.stopped) return
        if (connection.source !== this.key.source) {
          this.fail(
            new AppError(
              'unavailable',
              `${this.exchange} is now connected as ${connection.source}, not ${this.key.source}`,
              'params.source',
            ),
          )
          return
        }
        this.connection = connection
        let rows: readonly OHLCV[] = []
        // A websocket pushes every change of a bar, its final state included, unless it dropped.
        let streamed = false
        const onBars = formingBars((e) => {
          const verified = e.closed && (streamed || rows.some((r) => r[0] === e.candle.time))
          this.push({ ...e, verified })
        })
        this.stopFeed = runFeed(
          candleSource(connection, this.key.symbol, this.key.timeframe),
          {
            data: (value, transport) => {
              rows = value
              onBars(value)
              streamed = transport === 'websocket'
            },
            error: (err, transport, attempt) => {
              streamed = false
              if (endsFeed(err)) this.fail(err)
              else if (attempt === 1)
                log.warn(`live candles ${this.describe()} (${transport}): ${err.kind}: ${err.message}`)
            },
          },
          { ...DEFAULT_FEED, ...this.deps.feed },
          () => clock.now(),
        )
      },
      (err: unknown) =>
        this.fail(
          err instanceof AppError ? err : new AppError('internal', `${this.exchange} could not be opened`),
        ),
    )
  }

  add(tf: Timeframe, sink: CandleUpdateSink): () => void {
    const sub: Follower =
      tf === this.key.timeframe ? new DirectFollower(this, sink) : new DerivedFollower(this, tf, sink)
    this.subs.add(sub)
    // Joining a running feed: the forming bar at once, as the demo's watcher does.
    if (this.forming && !this.draining) sub.forming(this.forming)
    return () => {
      if (!this.subs.delete(sub)) return
      if (this.subs.size === 0) this.stop()
    }
  }

  stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.stopFeed?.()
    this.subs.clear()
    this.queue.length = 0
    this.onStop()
  }

  private fail(error: AppError): void {
    if (this.stopped) return
    const subs = [...this.subs]
    this.stop()
    for (const s of subs) s.sink.end(error)
  }

  private describe(): string {
    return `${this.key.source} ${this.key.symbol} ${this.key.timeframe}`
  }

  private push(e: BaseEvent): void {
    if (this.stopped) return
    // While a gap is being filled, only the newest state of the forming bar is kept.
    const last = this.queue.at(-1)
    if (last && !last.closed && !e.closed && last.candle.time === e.candle.time) this.queue.pop()
    this.queue.push(e)
    void this.drain()
  }

  private async drain(): Promise<void> {
    if (this.draining) return
    this.draining = true
    try {
      while (this.queue.length > 0 && !this.stopped) await this.handle(this.queue.shift()!)
    } catch (err) {
      this.deps.log.error(`live candles ${this.describe()} failed`, err)
      this.fail(new AppError('internal', `Live bars of ${this.key.symbol} failed`))
    } finally {
      this.draining = false
    }
  }

  private async handle(e: BaseEvent): Promise<void> {
    const t = e.candle.time
    const tf = this.key.timeframe
    if (this.lastStored !== null && t > nextBucket(this.lastStored, tf) && this.fillTriedFor !== t) {
      this.fillTriedFor = t
      const from = nextBucket(this.lastStored, tf)
      await this.fill(from, t)
      if (this.stopped) return
      this.lastStored = seriesBounds(this.deps.db, this.key).last
      for (const s of this.subs) s.filled(from, t)
    }
    if (e.closed) {
      // Its last seen state may not be its final one (polls or updates were missed): ask for it.
      if (!e.verified) await this.fill(t, nextBucket(t, tf))
      if (this.stopped) return
      const bar = this.store(e.candle, e.verified)
      for (const s of this.subs) s.closed(bar)
    } else {
      this.forming = e.candle
      for (const s of this.subs) s.forming(e.candle)
    }
  }

  /** Backfills the closed bars opening in `[from, before)`: only ranges not fetched before. */
  private async fill(from: number, before: number): Promise<void> {
    const connection = this.connection
    if (!connection) return
    const { db, clock, log } = this.deps
    const { symbol, timeframe } = this.key
    try {
      const market = await connection.market(symbol)
      const pageLimit = connection.ohlcvPageLimit(market) ?? 500
      const outcome = await backfillCandles(
        db,
        this.key,
        { fetch: (since, n) => connection.fetchOHLCV(symbol, timeframe, since, n), pageLimit },
        { from, to: before - 1, maxRequests: this.deps.fillMaxRequests ?? 20 },
        { now: clock.now() },
      )
      if (outcome.stored > 0) this.version++
      if (outcome.stoppedBy || !outcome.complete) {
        log.warn(
          `live candles ${this.describe()}: gap before ${new Date(before).toISOString()} not fully filled`,
          outcome.stoppedBy ?? outcome.remaining,
        )
      }
    } catch (err) {
      log.warn(`live candles ${this.describe()}: gap fill failed`, err)
    }
  }

  /** Appends a closed bar unless one with its open time is stored; returns the stored bar. */
  private store(bar: Candle, verified: boolean): Candle {
    const { db, clock } = this.deps
    const tf = this.key.timeframe
    const stored = readCandleRange(db, this.key, bar.time, bar.time)[0]
    db.transaction(() => {
      if (!stored) upsertCandles(db, this.key, [bar])
      if (verified)
        addFetchedRange(
          db,
          this.key,
          { first: bar.time, last: bar.time },
          (t) => nextBucket(t, tf),
          clock.now(),
        )
    })()
    if (!stored) this.version++
    this.lastStored = Math.max(this.lastStored ?? -Infinity, bar.time)
    return stored ?? bar
  }
}

/** One subscriber: how it turns base-bar events into events of its own timeframe. */
interface Follower {
  readonly sink: CandleUpdateSink
  forming(bar: Candle): void
  closed(bar: Candle): void
  /** Bars opening in `[from, before)` may have been backfilled. */
  filled(from: number, before: number): void
}

/** A subscriber at the base timeframe: the base events as they are. */
class DirectFollower implements Follower {
  private closedThrough = -Infinity

  constructor(
    private readonly feed: SharedFeed,
    readonly sink: CandleUpdateSink,
  ) {}

  forming(bar: Candle): void {
    if (bar.time > this.closedThrough) this.sink.emit({ candle: bar, closed: false })
  }

  closed(bar: Candle): void {
    if (bar.time <= this.closedThrough) return
    this.closedThrough = bar.time
    this.sink.emit({ candle: bar, closed: true })
  }

  filled(from: number, before: number): void {
    const bars = readCandleRange(this.feed.deps.db, this.feed.key, from, before - 1)
    for (const bar of bars.slice(-MAX_FILL_EVENTS)) this.closed(bar)
  }
}

/**
 * A subscriber at a longer timeframe than the stored series: its bars are the stored base bars of
 * the bucket (as `market.candles` derives them) plus the forming base bar.
 */
class DerivedFollower implements Follower {
  private open: number | null = null
  private closedThrough = -Infinity
  private last: Candle | null = null
  private cache: { bucket: number; upTo: number; version: number; part: Candle | null } | null = null

  constructor(
    private readonly feed: SharedFeed,
    private readonly tf: Timeframe,
    readonly sink: CandleUpdateSink,
  ) {}

  forming(bar: Candle): void {
    const bucket = bucketStart(bar.time, this.tf)
    if (bucket <= this.closedThrough) return
    if (this.open !== null && this.open < bucket) this.close(this.open)
    const part = this.storedPart(bucket, bar.time)
    const candle: Candle = part
      ? {
          time: bucket,
          open: part.open,
          high: Math.max(part.high, bar.high),
          low: Math.min(part.low, bar.low),
          close: bar.close,
          volume: part.volume + bar.volume,
        }
      : { ...bar, time: bucket }
    this.open = bucket
    if (this.last && sameBar(this.last, candle)) return
    this.last = candle
    this.sink.emit({ candle, closed: false })
  }

  closed(bar: Candle): void {
    const bucket = bucketStart(bar.time, this.tf)
    // The bucket's last base bar closed: so did the bucket.
    if (nextBucket(bar.time, this.feed.key.timeframe) >= nextBucket(bucket, this.tf)) this.close(bucket)
  }

  filled(from: number, before: number): void {
    const end = bucketStart(before, this.tf)
    const buckets: number[] = []
    for (let b = bucketStart(from, this.tf); b < end; b = nextBucket(b, this.tf)) buckets.push(b)
    for (const b of buckets.slice(-MAX_FILL_EVENTS)) this.close(b)
  }

  private close(bucket: number): void {
    if (bucket <= this.closedThrough) return
    const { db } = this.feed.deps
    const bars = readCandleRange(db, this.feed.key, bucket, nextBucket(bucket, this.tf) - 1)
    const candle = aggregateCandles(bars, this.tf)[0] ?? (this.last?.time === bucket ? this.last : null)
    if (!candle) return
    this.closedThrough = bucket
    if (this.open === bucket) this.open = null
    this.sink.emit({ candle, closed: true })
  }

  /** The stored base bars of `bucket` opening before `before`, folded into one bar (cached). */
  private storedPart(bucket: number, before: number): Candle | null {
    const c = this.cache
    if (c && c.bucket === bucket && c.upTo === before && c.version === this.feed.version) return c.part
    const bars = readCandleRange(this.feed.deps.db, this.feed.key, bucket, before - 1)
    const part = aggregateCandles(bars, this.tf)[0] ?? null
    this.cache = { bucket, upTo: before, version: this.feed.version, part }
    return part
  }
}
