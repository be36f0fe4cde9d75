import type { ExchangeTicker } from '../../shared/contract/exchange'
import { AppError } from '../../shared/contract/errors'
import type { Clock } from '../clock'
import { tickerSource } from '../exchange/feeds'
import type { ExchangeHub } from '../exchange/hub'
import { DEFAULT_FEED, runFeed, type FeedOptions, type FeedSource } from '../exchange/live'
import type { Venue } from '../exchange/venue'
import type { Logger } from '../log'
import { CcxtVenue } from './ccxt-venue'
import type { PriceSource, Quote, VenueMarket } from './venue'

/**
 * What a paper account trades on: prices for fills and marks, and the markets it may trade
 * (steps, ticks, minimums, fees). The demo market's is `demo-prices.ts`; an exchange's is
 * `ExchangePrices`.
 */
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

export interface ExchangePricesOptions {
  /** The hub's connections: public data only, no keys needed, and nothing is ever sent signed. */
  exchanges: Pick<ExchangeHub, 'venue' | 'connection'> & Partial<Pick<ExchangeHub, 'health'>>
  exchangeId: string
  clock: Clock
  log?: Logger | undefined
  /** A price that arrived longer ago than this (by our clock) is not filled at (default 15 s). */
  maxAgeMs?: number | undefined
  /** The feed loop's pace and backoff (polling every 2 s by default; websockets push). */
  feed?: Partial<FeedOptions> | undefined
  /** A symbol nobody has asked about for this long stops being followed (default 5 min). */
  idleMs?: number | undefined
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

/** After a failed market load, the synchronous path waits this long before trying again by itself. */
const MARKET_RETRY_MS = 5_000

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
export class ExchangePrices implements PaperMarketData {
  private readonly id: string
  private readonly clock: Clock
  private readonly maxAgeMs: number
  private readonly idleMs: number
  private readonly feedOptions: FeedOptions
  private readonly rest: CcxtVenue
  private readonly followed = new Map<string, Followed>()
  private catalog: ReadonlyMap<string, VenueMarket> | undefined
  private loading: Promise<unknown> | undefined
  private marketsError: { message: string; at: number } | undefined
  private sweptAt = 0
  private closed = false

  constructor(private readonly opts: ExchangePricesOptions) {
    this.id = opts.exchangeId
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
    const why = this.marketsError ? `: ${this.marketsError.message}` : ''
    return `${this.id}'s markets are not loaded yet${why}; paper trading on its prices needs them`
  }

  private async loadMarkets(): Promise<ReadonlyMap<string, VenueMarket>> {
    try {
      // Cached by the adapter per connection: reloaded only when the hub makes a new one.
      const markets = await this.rest.loadMarkets()
      this.catalog = markets
      this.marketsError = undefined
      return markets
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      this.marketsError = { message, at: this.clock.now() }
      throw new AppError(
        'unavailable',
        `${this.id}'s markets could not be loaded (${message}); paper trading on its prices needs them`,
      )
    }
  }

  private loadInBackground(): void {
    if (this.closed || this.loading) return
    const e = this.marketsError
    if (e && this.clock.now() - e.at < MARKET_RETRY_MS) return
    this.loading = this.loadMarkets()
      .catch((err: unknown) => this.opts.log?.warn(`paper on ${this.id}: markets not loaded`, err))
      .finally(() => (this.loading = undefined))
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
    // The transport is the connection's (websocket or polling), known once its venue is made.
    void this.opts.exchanges
      .venue(this.id)
      .then((venue) => {
        if (this.closed || this.followed.get(symbol) !== followed) return
        followed.stop = runFeed(
          this.source(venue, symbol),
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
        const venue = await this.opts.exchanges.venue(this.id)
        const at = this.clock.now()
        this.record(f, await this.toQuote(venue, symbol, await venue.ticker(symbol), at))
      } catch (err) {
        f.error = err instanceof Error ? err.message : String(err)
      } finally {
        f.refreshing = undefined
      }
    })()
    return f.refreshing
  }

  private source(venue: Venue, symbol: string): FeedSource<Timed | null> {
    const ticker = tickerSource(venue, symbol)
    const watch = ticker.watch
    return {
      watch: watch && (async () => this.toQuote(venue, symbol, await watch(), this.clock.now())),
      poll: async () => {
        // The hub's current connection: a new API URL (exchange.configure) applies at once.
        const current = await this.opts.exchanges.venue(this.id)
        // Dated when asked, not when answered: a slow answer is as old as its question.
        const at = this.clock.now()
        return this.toQuote(current, symbol, await tickerSource(current, symbol).poll(), at)
      },
      unwatch: ticker.unwatch,
    }
  }

  /** Bid, ask and last from a ticker; exchanges whose tickers lack bid/ask give the order book's top. */
  private async toQuote(venue: Venue, symbol: string, t: ExchangeTicker, at: number): Promise<Timed | null> {
    let bid = t.bid
    let ask = t.ask
    if (bid === null || ask === null) {
      const book = await venue.orderBook(symbol, 5)
      bid = book.bids[0]?.[0] ?? null
      ask = book.asks[0]?.[0] ?? null
    }
    if (bid === null || ask === null || !(bid > 0) || !(ask > 0)) return null
    const last = t.last !== null && t.last > 0 ? t.last : (bid + ask) / 2
    return { quote: { bid, ask, last }, at }
  }
}
