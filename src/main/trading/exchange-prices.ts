import type { ExchangeTicker } from '../../shared/contract/exchange'
import { AppError } from '../../shared/contract/errors'
import { backoffDelay } from '../../shared/net/backoff'
import { CHART_TIMEFRAMES, TIMEFRAMES, type Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import { tickerSource } from '../exchange/feeds'
import type { ExchangeHub } from '../exchange/hub'
import { DEFAULT_FEED, runFeed, type FeedOptions, type FeedSource } from '../exchange/feed-loop'
import { sourceOf } from '../exchange/schema'
import type { ExchangeConnection } from '../exchange/connection'
import type { Logger } from '../log'
import { Decimal, fromNumber } from './decimal'
import { CcxtVenue } from './ccxt-venue'
import type { PriceSource, Quote, VenueMarket } from './venue'

/**
 * What a paper account trades on: prices for fills and marks, and the markets it may trade
 * (steps, ticks, minimums, fees). The demo market's is `demo-prices.ts`; an exchange's is
 * `ExchangePrices`.
 */
const HALF = Decimal.parse('0.5')

export interface PaperMarketData extends PriceSource {
  whyNoQuote(symbol: string): string | undefined
  /** The markets known now (synchronous: the paper venue runs inside SQLite transactions). */
  markets(): Iterable<VenueMarket>
  /** Why `markets()` is empty when that is not the trader's fault, else undefined. */
  marketsProblem(): string | undefined
  /**
   * Before an order: loads the markets (throws `unavailable` when they cannot be had) and tries
   * once to get a fresh price for the symbol. A price it cannot get is not an error here: the
   * paper venue refuses what needs one, with `whyNoQuote`'s reason. Resolves to whether the
   * exchange lists the symbol.
   */
  prepare(symbol: string): Promise<boolean>
  close(): void
}

/**
 * Where the loading of an exchange's markets stands: `ready`; `loading` (the first try is out);
 * or `unavailable`, with the error of the last try and when the next one goes (null while it is out).
 */
export type MarketsStatus =
  | { state: 'ready' }
  | { state: 'loading' }
  | { state: 'unavailable'; error: AppError; breakerOpen: boolean; retryAt: number | null }

/**
 * An exchange's public data as an account's market (`account-market.ts`): its markets' status,
 * its name, where its charts come from, and a signal when any of that changes.
 */
export interface ExchangeMarketData extends PaperMarketData {
  readonly exchangeId: string
  marketsStatus(): MarketsStatus
  /** The exchange's name (`Binance`), once its connection was made; its id until then. */
  label(): string
  /** The candle source of its connection now (`binance`, `binance:custom`, ...). */
  chartSource(): string
  /** The chart timeframes its history offers (all of them until its connection was made). */
  timeframes(): Timeframe[]
  /**
   * Follows the markets' status: while anyone follows it, a failed load is retried on schedule
   * (not only when asked), and `listener` hears of every change. Returns the unfollow.
   */
  onMarketsChange(listener: () => void): () => void
}

/** How the loading of markets is retried: `baseMs`, doubled per failure in a row, up to `maxMs`. */
export interface MarketRetry {
  baseMs: number
  maxMs: number
}

export const DEFAULT_MARKET_RETRY: MarketRetry = { baseMs: 2_000, maxMs: 30_000 }

export interface ExchangePricesOptions {
  /** The hub's connections: public data only, no keys needed, and nothing is ever sent signed. */
  exchanges: Pick<ExchangeHub, 'connection' | 'connectionConfig'> & Partial<Pick<ExchangeHub, 'health'>>
  exchangeId: string
  clock: Clock
  log?: Logger | undefined
  /** A price that arrived longer ago than this (by our clock) is not filled at (default 15 s). */
  maxAgeMs?: number | undefined
  /** The feed loop's pace and backoff (polling every 2 s by default; websockets push). */
  feed?: Partial<FeedOptions> | undefined
  /** A symbol nobody has asked about for this long stops being followed (default 5 min). */
  idleMs?: number | undefined
  /** The pace of retries after failed market loads (2 s doubling to 30 s by default). */
  marketRetry?: MarketRetry | undefined
}

/** A price and when it was known to be current: when its request left (REST) or it arrived (pushed). */
interface Timed {
  quote: Quote
  at: number
}

interface Followed {
  stop: (() => void) | undefined
  latest: Timed | undefined
  error: string | undefined
  askedAt: number
  refreshing: Promise<void> | undefined
}

/**
 * Paper trading on an exchange's public data, through the hub's connection of that exchange (its
 * circuit breaker, health and error mapping): markets from the exchange's loaded markets, bid, ask
 * and last from its ticker (or the order book's top when the ticker has no bid/ask), kept fresh by
 * a live feed per symbol (websocket where the connection uses one, REST polling otherwise). A
 * symbol is followed from the first time it is asked about until it has been idle for `idleMs`.
 *
 * A price is only given out while it is fresh (younger than `maxAgeMs`) and the connection's
 * breaker is not open: an exchange that is down or stopped answering leaves the paper account
 * without a price, so market orders are refused and resting orders wait, never filled at an old
 * price.
 */
export class ExchangePrices implements ExchangeMarketData {
  readonly exchangeId: string
  private readonly id: string
  private readonly clock: Clock
  private readonly maxAgeMs: number
  private readonly idleMs: number
  private readonly feedOptions: FeedOptions
  private readonly rest: CcxtVenue
  private readonly followed = new Map<string, Followed>()
  private catalog: ReadonlyMap<string, VenueMarket> | undefined
  private loading: Promise<unknown> | undefined
  /** The last failed load, its time, and how many failed in a row (the retry backoff). */
  private marketsError: { error: AppError; at: number; failures: number; retryAt: number } | undefined
  private readonly marketRetry: MarketRetry
  private readonly listeners = new Set<() => void>()
  private retryTimer: NodeJS.Timeout | undefined
  private name: string | undefined
  private offered: Timeframe[] | undefined
  private sweptAt = 0
  private closed = false

  constructor(private readonly opts: ExchangePricesOptions) {
    this.id = opts.exchangeId
    this.exchangeId = opts.exchangeId
    this.marketRetry = opts.marketRetry ?? DEFAULT_MARKET_RETRY
    this.clock = opts.clock
    this.maxAgeMs = opts.maxAgeMs ?? 15_000
    this.idleMs = opts.idleMs ?? 5 * 60_000
    this.feedOptions = { ...DEFAULT_FEED, ...opts.feed }
    // The live adapter's market conversion (spot only, tick sizes, limits, fees); only its public
    // loadMarkets is used, so no key and no order ever goes through it.
    this.rest = new CcxtVenue(opts.exchanges, opts.exchangeId)
  }

  // ------------------------------------------------------------ markets

  markets(): Iterable<VenueMarket> {
    if (!this.catalog) this.loadInBackground()
    return this.catalog?.values() ?? []
  }

  marketsProblem(): string | undefined {
    if (this.catalog) return undefined
    this.loadInBackground()
    const why = this.marketsError ? `: ${this.marketsError.error.message}` : ''
    return `${this.id}'s markets are not loaded yet${why}; paper trading on its prices needs them`
  }

  marketsStatus(): MarketsStatus {
    if (this.catalog) return { state: 'ready' }
    this.loadInBackground()
    const e = this.marketsError
    if (!e) return { state: 'loading' }
    return {
      state: 'unavailable',
      error: e.error,
      breakerOpen: this.breakerOpen(),
      retryAt: this.loading ? null : e.retryAt,
    }
  }

  label(): string {
    return this.name ?? this.id
  }

  chartSource(): string {
    return sourceOf(this.opts.exchanges.connectionConfig(this.id))
  }

  timeframes(): Timeframe[] {
    return this.offered ?? [...CHART_TIMEFRAMES]
  }

  onMarketsChange(listener: () => void): () => void {
    this.listeners.add(listener)
    this.scheduleRetry()
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.clearRetry()
    }
  }

  /** Tells the followers, on a later microtask: never from inside a caller's own call. */
  private changed(): void {
    queueMicrotask(() => {
      for (const l of [...this.listeners]) {
        try {
          l()
        } catch (err) {
          this.opts.log?.error(`paper on ${this.id}: market listener failed`, err)
        }
      }
    })
  }

  private async loadMarkets(): Promise<ReadonlyMap<string, VenueMarket>> {
    try {
      const connection = await this.opts.exchanges.connection(this.id)
      this.name = connection.exchange.name || this.id
      const tfs = connection.exchange.timeframes as Record<string, unknown> | undefined
      // Every timeframe the exchange serves itself (Binance: all 13, 1w from Monday, 1M by month).
      this.offered = tfs ? TIMEFRAMES.filter((tf) => tf in tfs) : [...CHART_TIMEFRAMES]
      // Cached by the adapter per connection: reloaded only when the hub makes a new one.
      const markets = await this.rest.loadMarkets()
      const first = !this.catalog
      this.catalog = markets
      this.marketsError = undefined
      this.clearRetry()
      if (first) this.changed()
      return markets
    } catch (err) {
      const error =
        err instanceof AppError
          ? err
          : new AppError('unavailable', err instanceof Error ? err.message : String(err))
      const now = this.clock.now()
      const failures = (this.marketsError?.failures ?? 0) + 1
      const backoff = backoffDelay(failures, this.marketRetry)
      // An open breaker refuses every request until it closes: no sooner than that.
      const openUntil = this.opts.exchanges.health?.(this.id)[0]?.openUntil ?? null
      const retryAt = Math.max(now + backoff, openUntil ?? 0)
      this.marketsError = { error, at: now, failures, retryAt }
      throw new AppError(
        'unavailable',
        `${this.id}'s markets could not be loaded (${error.message}); paper trading on its prices needs them`,
      )
    }
  }

  private loadInBackground(): void {
    if (this.closed || this.loading) return
    const e = this.marketsError
    if (e && this.clock.now() < e.retryAt) return
    this.loading = this.loadMarkets()
      .catch((err: unknown) => this.opts.log?.warn(`paper on ${this.id}: markets not loaded`, err))
      .finally(() => {
        this.loading = undefined
        // Failed: followers hear of the error and the next try, which is scheduled for them.
        if (!this.catalog) {
          this.changed()
          this.scheduleRetry()
        }
      })
    // Trying again after a failure: followers see that the try is out (no wait left).
    if (e) this.changed()
  }

  /** While followed and not loaded: the next try on time (once a try failed), or the first now. */
  private scheduleRetry(): void {
    if (this.closed || this.catalog || this.listeners.size === 0 || this.loading) return
    this.clearRetry()
    const e = this.marketsError
    if (!e) {
      this.loadInBackground()
      return
    }
    // The wall-clock timer waits for the engine clock's deadline (they differ only in tests).
    const wait = Math.max(0, e.retryAt - this.clock.now())
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      this.loadInBackground()
    }, wait)
    this.retryTimer.unref?.()
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
  }

  // ------------------------------------------------------------ prices

  quote(symbol: string): Quote | undefined {
    const f = this.follow(symbol)
    if (!f?.latest || this.breakerOpen()) return undefined
    return this.clock.now() - f.latest.at <= this.maxAgeMs ? f.latest.quote : undefined
  }

  whyNoQuote(symbol: string): string | undefined {
    if (this.quote(symbol)) return undefined
    if (this.breakerOpen()) {
      return `${this.id} is not answering (its circuit breaker is open); paper orders on its prices wait until it is back`
    }
    const f = this.followed.get(symbol)
    const because = f?.error !== undefined ? `: ${f.error}` : ''
    if (!f?.latest) return `No ${this.id} price for ${symbol} yet${because}`
    const age = Math.round((this.clock.now() - f.latest.at) / 1000)
    return `The last ${this.id} price for ${symbol} is ${age} s old${because}; paper orders are not filled at old prices`
  }

  async prepare(symbol: string): Promise<boolean> {
    const markets = await this.loadMarkets()
    if (!markets.has(symbol)) return false
    if (this.quote(symbol)) return true
    const f = this.follow(symbol)
    if (f) await this.refresh(symbol, f)
    return true
  }

  close(): void {
    this.closed = true
    this.clearRetry()
    this.listeners.clear()
    for (const f of this.followed.values()) f.stop?.()
    this.followed.clear()
  }

  private breakerOpen(): boolean {
    return this.opts.exchanges.health?.(this.id)[0]?.state === 'open'
  }

  /** The symbol's feed, started on first use; undefined for a symbol the exchange does not list. */
  private follow(symbol: string): Followed | undefined {
    if (this.closed) return undefined
    const now = this.clock.now()
    this.sweep(now)
    let f = this.followed.get(symbol)
    if (f) {
      f.askedAt = now
      return f
    }
    // Only listed symbols: an unknown one would be polled (and refused) forever.
    if (!this.catalog?.has(symbol)) {
      if (!this.catalog) this.loadInBackground()
      return undefined
    }
    const followed: Followed = {
      stop: undefined,
      latest: undefined,
      error: undefined,
      askedAt: now,
      refreshing: undefined,
    }
    f = followed
    this.followed.set(symbol, f)
    // The transport is the connection's (websocket or polling), known once it is made.
    void this.opts.exchanges
      .connection(this.id)
      .then((connection) => {
        if (this.closed || this.followed.get(symbol) !== followed) return
        followed.stop = runFeed(
          this.source(connection, symbol),
          {
            data: (q) => this.record(followed, q),
            error: (err) => (followed.error = err.message),
          },
          this.feedOptions,
          () => this.clock.now(),
        )
      })
      .catch((err: unknown) => {
        followed.error = err instanceof Error ? err.message : String(err)
        // Forgotten, so that the next question starts over (the connection may be fixed by then).
        if (this.followed.get(symbol) === followed) this.followed.delete(symbol)
      })
    return f
  }

  /** Stops following symbols no one has asked about for `idleMs` (checked at most once a minute). */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return
    this.sweptAt = now
    for (const [symbol, f] of this.followed) {
      if (now - f.askedAt <= this.idleMs) continue
      f.stop?.()
      this.followed.delete(symbol)
    }
  }

  private record(f: Followed, q: Timed | null): void {
    if (!q) {
      f.error = 'the exchange gave no bid and ask'
      return
    }
    // Answers may overtake each other (a refresh and the feed): the newest price wins.
    if (!f.latest || q.at >= f.latest.at) f.latest = q
    f.error = undefined
  }

  /** One REST fetch now (before an order, when the feed's last price is missing or old). */
  private refresh(symbol: string, f: Followed): Promise<void> {
    f.refreshing ??= (async () => {
      try {
        const connection = await this.opts.exchanges.connection(this.id)
        const at = this.clock.now()
        this.record(f, await this.toQuote(connection, symbol, await connection.ticker(symbol), at))
      } catch (err) {
        f.error = err instanceof Error ? err.message : String(err)
      } finally {
        f.refreshing = undefined
      }
    })()
    return f.refreshing
  }

  private source(connection: ExchangeConnection, symbol: string): FeedSource<Timed | null> {
    const ticker = tickerSource(connection, symbol)
    const watch = ticker.watch
    return {
      watch: watch && (async () => this.toQuote(connection, symbol, await watch(), this.clock.now())),
      poll: async () => {
        // The hub's current connection: a new API URL (exchange.configure) applies at once.
        const current = await this.opts.exchanges.connection(this.id)
        // Dated when asked, not when answered: a slow answer is as old as its question.
        const at = this.clock.now()
        return this.toQuote(current, symbol, await tickerSource(current, symbol).poll(), at)
      },
      unwatch: ticker.unwatch,
    }
  }

  /** Bid, ask and last from a ticker; exchanges whose tickers lack bid/ask give the order book's top. */
  private async toQuote(
    connection: ExchangeConnection,
    symbol: string,
    t: ExchangeTicker,
    at: number,
  ): Promise<Timed | null> {
    let bid = t.bid
    let ask = t.ask
    if (bid === null || ask === null) {
      const book = await connection.orderBook(symbol, 5)
      bid = book.bids[0]?.[0] ?? null
      ask = book.asks[0]?.[0] ?? null
    }
    if (bid === null || ask === null || !(bid > 0) || !(ask > 0)) return null
    // The ticker's doubles become exact decimals here, once (decimal.ts, fromNumber); without a
    // last trade the mid price stands in for it, exactly.
    const b = fromNumber(bid)
    const a = fromNumber(ask)
    const last = t.last !== null && t.last > 0 ? fromNumber(t.last) : b.plus(a).times(HALF)
    return { quote: { bid: b, ask: a, last }, at }
  }
}
