import { AsyncLocalStorage } from 'node:async_hooks'
import { Agent as HttpAgent } from 'node:http'
import type { Exchange, MarketInterface as Market, OHLCV, OrderBook, Ticker } from 'ccxt'
import type {
  ClockSkew,
  ExchangeHealth,
  ExchangeMarket,
  ExchangeTicker,
  OrderBookSnapshot,
} from '../../shared/contract/exchange'
import { AppError } from '../../shared/contract/errors'
import type { Timeframe } from '../../shared/domain/timeframes'
import { CREDENTIALS, type Credential } from '../../shared/domain/credentials'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerOptions, type BreakerState } from './breaker'
import {
  overrideApiUrls,
  proClass,
  restClass,
  restrictToSpot,
  type CcxtModule,
  type ExchangeConstructor,
} from './ccxt-loader'
import {
  effectiveSkew,
  estimateSkew,
  skewError,
  withinWindow,
  type SkewEstimate,
  type SkewSample,
} from './clock-skew'
import { classifyExchangeError, markNotSent, type ClassifiedError } from './errors'
import { DEFAULT_WINDOW, healthScore, RollingWindow, windowStats, type WindowOptions } from './health'
import { keyParts, type ExchangeKeys } from './keys'
import { sourceOf, type ConnectionConfig } from './schema'
import { guardWsClients } from './ws-guards'
import { overrideWsUrls } from './ws-urls'
import { WeightTracker } from './request-weight'

export interface ConnectionOptions {
  breaker?: BreakerOptions
  window?: WindowOptions
  /** ccxt's per-request timeout. */
  timeoutMs?: number
  /**
   * ccxt's rate limiter stays on (`enableRateLimit`); this replaces the exchange's own pace (ms per
   * unit of request weight). Tests against the local simulator use a faster one.
   */
  rateLimitMs?: number
  /** A clock-skew measurement older than this is repeated before the next signed request. */
  skewMaxAgeMs?: number
  /** For request durations; `performance.now` by default. */
  monotonic?: () => number
}

export interface ConnectionDeps {
  ccxt: CcxtModule
  clock: Clock
  log: Logger
  options?: ConnectionOptions
  /** Called after every request and on every breaker change (`stateChanged`). */
  onHealth?: (exchange: string, stateChanged: boolean) => void
}

export interface CallOptions {
  /** The call may change something at the exchange (a timeout is then `outcome_unknown`). */
  mutating?: boolean
  /** The call sends a signed request: the clock skew is measured first if it is stale. */
  signed?: boolean
}

interface Timing {
  sent?: number
  received?: number
}

const requestTiming = new AsyncLocalStorage<Timing>()

/** One `ExchangeConnection.call` in progress: whether any of its HTTP requests got past the breaker. */
interface CallScope {
  sent: boolean
}

const callScope = new AsyncLocalStorage<CallScope>()

const PRECISION_MODES: Record<number, ExchangeMarket['precisionMode']> = {
  2: 'decimals',
  3: 'significant',
  4: 'tick',
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/**
 * One exchange, reached through one ccxt instance (the ccxt.pro class where there is one, which
 * does REST too). Every HTTP request it sends passes its circuit breaker and is timed into its
 * health window; every error leaves it as a contract error (`classifyExchangeError`); signed
 * requests are refused before they are signed when the measured clock skew would put them outside
 * the recvWindow.
 */
export class ExchangeConnection {
  readonly id: string
  readonly source: string
  readonly exchange: Exchange
  /** Live data through websockets (ccxt.pro) rather than polling. */
  readonly websocket: boolean
  private readonly breaker: CircuitBreaker
  private readonly window: RollingWindow
  private readonly monotonic: () => number
  private readonly skewMaxAgeMs: number
  private skew: (ClockSkew & { estimate: SkewEstimate }) | null = null
  private lastError: AppError | null = null
  private lastErrorAt: number | null = null
  private keys: ExchangeKeys | null = null
  private readonly weight = new WeightTracker()
  /** When the last websocket message arrived (any stream of this exchange). */
  private wsMessageAt: number | null = null

  constructor(
    readonly config: ConnectionConfig,
    keys: ExchangeKeys | null,
    private readonly deps: ConnectionDeps,
  ) {
    const { ccxt, clock } = deps
    const opts = deps.options ?? {}
    this.id = config.exchange
    this.source = sourceOf(config)
    this.monotonic = opts.monotonic ?? (() => performance.now())
    this.skewMaxAgeMs = opts.skewMaxAgeMs ?? 10 * 60_000
    const build = (Ctor: ExchangeConstructor): Exchange => {
      const made = new Ctor({
        enableRateLimit: true,
        timeout: opts.timeoutMs ?? 10_000,
        ...(opts.rateLimitMs !== undefined ? { rateLimit: opts.rateLimitMs } : {}),
      })
      if (config.sandbox) {
        // ccxt swaps in `urls.test`, even when an exchange lists that key with nothing in it.
        if (!made.urls['test']) {
          throw new AppError(
            'validation',
            `${config.exchange} has no sandbox (testnet) in ccxt`,
            'params.sandbox',
          )
        }
        made.setSandboxMode(true)
      }
      return made
    }
    const Pro = config.websocket ? proClass(ccxt, config.exchange) : undefined
    let ex = build(Pro ?? restClass(ccxt, config.exchange))
    let websocket = Pro !== undefined
    if (config.apiUrl !== null) {
      // A custom URL (a testnet, a proxy, the local simulator) takes the websockets along to its
      // host (`overrideWsUrls`). When they cannot be moved there (kept outside `urls.api.ws`, as
      // bitopro's are, or with templated paths), the pro class would still stream from the real
      // exchange, so the account stays on REST polling.
      const api = ex.urls.api as unknown as Record<string, unknown>
      const ws = websocket ? overrideWsUrls(api['ws'], config.apiUrl) : null
      if (websocket && ws === null) {
        ex = build(restClass(ccxt, config.exchange))
        websocket = false
      }
      const moved = overrideApiUrls(ex.urls.api, config.apiUrl)
      if (ws !== null) {
        const movedApi = moved as unknown as Record<string, unknown>
        movedApi['ws'] = ws
        // ccxt.pro refuses plain ws:// URLs unless an HTTP agent is there (`loadHttpProxyAgent`).
        const plain = ex as Exchange & { httpAgent?: unknown }
        if (JSON.stringify(ws).includes('"ws://')) plain.httpAgent ??= new HttpAgent()
      }
      ex.urls.api = moved
      restrictToSpot(ex.options)
    }
    if (websocket) guardWsClients(ex)
    this.exchange = ex
    this.websocket = websocket
    ex.options['recvWindow'] = config.recvWindowMs
    // Binance's class watches single tickers on the mini-ticker stream, which has no best bid and
    // ask; the full 24hrTicker stream has them, as the polled ticker does.
    const watchTickers = ex.options['watchTickers'] as Record<string, unknown> | undefined
    if (websocket && watchTickers?.['name'] === 'miniTicker') watchTickers['name'] = 'ticker'
    // Reconciliation asks for the open orders of every symbol at once; Binance's class refuses
    // that unless its (costlier) rate-limit weight is acknowledged.
    const openOrders = ex.options['fetchOpenOrders'] as Record<string, unknown> | undefined
    if (openOrders && typeof openOrders === 'object') openOrders['warnWithoutSymbol'] = false
    // Candlework measures the offset itself (NTP-style) and sets timeDifference; ccxt's own
    // adjustment would overwrite it with a cruder estimate.
    ex.options['adjustForTimeDifference'] = false
    ex.options['timeDifference'] = 0
    // One notion of "now" for the engine and for ccxt's request timestamps.
    ex.milliseconds = () => clock.now()
    this.breaker = new CircuitBreaker(clock, opts.breaker ?? DEFAULT_BREAKER, (state) =>
      this.breakerChanged(state),
    )
    this.window = new RollingWindow(opts.window ?? DEFAULT_WINDOW)
    this.hookRequests()
    if (websocket) this.hookWsMessages()
    this.setKeys(keys)
  }

  /** Puts (or clears) API credentials on the ccxt instance, each under ccxt's own name for it. */
  setKeys(keys: ExchangeKeys | null): void {
    this.keys = keys
    const ex = this.exchange as unknown as Record<Credential, string | undefined>
    for (const c of CREDENTIALS) ex[c] = keys?.[c] ?? ''
  }

  get hasKeys(): boolean {
    return this.keys !== null
  }

  private secretParts(): string[] {
    const k = this.keys
    return k ? keyParts(k) : []
  }

  private breakerChanged(state: BreakerState): void {
    this.deps.log.info(`exchange ${this.id}: circuit ${state}`)
    this.deps.onHealth?.(this.id, true)
  }

  /** Wraps ccxt's `fetch` (every HTTP request) and `checkRequiredCredentials` (every signature). */
  private hookRequests(): void {
    const ex = this.exchange
    const fetch = ex.fetch.bind(ex)
    ex.fetch = async (url: unknown, method?: string, headers?: unknown, body?: unknown) => {
      this.breaker.acquire(this.id)
      const scope = callScope.getStore()
      if (scope) scope.sent = true
      const timing = requestTiming.getStore()
      const t0 = this.monotonic()
      if (timing) timing.sent = this.deps.clock.now()
      // A request that got no answer (a network error) leaves the previous answer's headers.
      const earlierHeaders: unknown = ex.last_response_headers
      try {
        const response: unknown = await fetch(url, method, headers, body)
        if (timing) timing.received = this.deps.clock.now()
        this.weight.note(ex.last_response_headers, response, this.deps.clock.now())
        this.answered(this.monotonic() - t0)
        return response
      } catch (err) {
        if (timing) timing.received = this.deps.clock.now()
        if (ex.last_response_headers !== earlierHeaders)
          this.weight.note(ex.last_response_headers, null, this.deps.clock.now())
        const c = classifyExchangeError(err, {
          exchange: this.id,
          exchangeName: ex.name,
          operation: `${method ?? 'GET'} request`,
          mutating: method !== undefined && method !== 'GET',
          headers: ex.last_response_headers,
          now: this.deps.clock.now(),
          secrets: this.secretParts(),
        })
        if (c.outage) this.outage(c)
        else this.answered(this.monotonic() - t0)
        throw err
      }
    }
    const check = ex.checkRequiredCredentials.bind(ex)
    ex.checkRequiredCredentials = (error = true) => {
      const ok = check(error)
      if (error !== false) this.guardSigning()
      return ok
    }
  }

  /**
   * Notes when each websocket message arrives: ccxt.pro binds `handleMessage` when it opens a
   * client, so the wrapper set here sees every message of every stream.
   */
  private hookWsMessages(): void {
    const ex = this.exchange as Exchange & { handleMessage(client: unknown, message: unknown): unknown }
    const handle = ex.handleMessage.bind(ex)
    ex.handleMessage = (client: unknown, message: unknown) => {
      this.wsMessageAt = this.deps.clock.now()
      return handle(client, message)
    }
  }

  /** The websocket as health shows it: off, idle (nothing streams), connected or disconnected. */
  wsHealth(now: number): ExchangeHealth['websocket'] {
    if (!this.websocket) return { state: 'off', clients: 0, lastMessageAt: null, lastMessageAgeMs: null }
    const clients = Object.values(
      (this.exchange as unknown as { clients?: Record<string, { isConnected?: boolean }> }).clients ?? {},
    )
    const connected = clients.filter((c) => c.isConnected === true).length
    const at = this.wsMessageAt
    return {
      state: clients.length === 0 ? 'idle' : connected > 0 ? 'connected' : 'disconnected',
      clients: connected,
      lastMessageAt: at,
      lastMessageAgeMs: at === null ? null : Math.max(0, now - at),
    }
  }

  private answered(latencyMs: number): void {
    this.breaker.success()
    this.window.record({ at: this.deps.clock.now(), ok: true, latencyMs })
    this.deps.onHealth?.(this.id, false)
  }

  private outage(c: ClassifiedError): void {
    const now = this.deps.clock.now()
    this.lastError = c.error
    this.lastErrorAt = now
    this.window.record({ at: now, ok: false, latencyMs: null })
    this.deps.log.warn(`exchange ${this.id}: ${c.error.kind}: ${c.error.message} (${c.detail})`)
    const retryAfter = c.error.retryAfter
    this.breaker.failure({
      rateLimited: c.rateLimited,
      banned: c.banned,
      retryAfterMs: retryAfter === undefined ? undefined : retryAfter * 1000,
    })
    this.deps.onHealth?.(this.id, false)
  }

  /** Throws the clear refusal when a signed request would land outside the recvWindow. */
  private guardSigning(): void {
    const s = this.skew
    if (!s) return
    if (!withinWindow(s.estimate, this.config.adjustForTimeDifference, this.config.recvWindowMs)) {
      throw skewError(this.id, s.estimate, this.config.adjustForTimeDifference, this.config.recvWindowMs)
    }
  }

  /**
   * Runs one exchange operation: errors come out as contract errors, scrubbed of the keys. Signed
   * operations first refresh a stale clock-skew measurement. An error raised before any request
   * of the operation left (open breaker, unsafe clock skew, ccxt's own argument checks) is marked
   * `wasNotSent`: for an order, that means it was provably not placed.
   */
  async call<T>(operation: string, fn: (ex: Exchange) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const signed = options.signed ?? false
    if (signed && this.keys) await this.ensureFreshSkew()
    const scope: CallScope = { sent: false }
    try {
      return await callScope.run(scope, () => fn(this.exchange))
    } catch (err) {
      const c = classifyExchangeError(err, {
        exchange: this.id,
        exchangeName: this.exchange.name,
        operation,
        mutating: options.mutating ?? false,
        headers: this.exchange.last_response_headers,
        now: this.deps.clock.now(),
        secrets: this.secretParts(),
      })
      // The trader reads the sentence; ccxt's own words (scrubbed) stay in the log.
      if (!(err instanceof AppError))
        this.deps.log.info(`exchange ${this.id}: ${operation} failed: ${c.detail}`)
      throw scope.sent ? c.error : markNotSent(c.error)
    }
  }

  private async ensureFreshSkew(): Promise<void> {
    if (!this.exchange.has['fetchTime']) return
    const s = this.skew
    if (s && this.deps.clock.now() - s.measuredAt < this.skewMaxAgeMs) return
    try {
      await this.measureClockSkew(3)
    } catch (err) {
      this.deps.log.warn(`exchange ${this.id}: clock skew not measured`, err)
    }
  }

  /**
   * Measures the exchange's clock against ours (`estimateSkew`: the fastest of `samples` round
   * trips to its time endpoint, timed around the HTTP request itself so rate-limiter waits do not
   * count), then signs with the exchange's clock when adjustment is on.
   */
  async measureClockSkew(samples = 3): Promise<ClockSkew> {
    if (!this.exchange.has['fetchTime']) {
      throw new AppError(
        'unavailable',
        `${this.id} has no time endpoint, so its clock cannot be compared with ours`,
      )
    }
    const taken: SkewSample[] = []
    for (let i = 0; i < samples; i++) {
      const timing: Timing = {}
      const server = await requestTiming.run(timing, () => this.call('fetchTime', (ex) => ex.fetchTime()))
      if (typeof server !== 'number' || timing.sent === undefined || timing.received === undefined) continue
      taken.push({ sent: timing.sent, received: timing.received, server })
    }
    if (taken.length === 0) {
      throw new AppError('unavailable', `${this.id} did not tell its time`)
    }
    const estimate = estimateSkew(taken)
    const adjusted = this.config.adjustForTimeDifference
    // ccxt signs with milliseconds() - timeDifference; timeDifference = ours - theirs = -offset.
    this.exchange.options['timeDifference'] = adjusted ? -Math.round(estimate.offsetMs) : 0
    const skew: ClockSkew = {
      exchange: this.id,
      offsetMs: Math.round(estimate.offsetMs),
      rttMs: Math.round(estimate.rttMs),
      uncertaintyMs: Math.round(estimate.uncertaintyMs),
      samples: estimate.samples,
      measuredAt: this.deps.clock.now(),
      recvWindowMs: this.config.recvWindowMs,
      adjusted,
      effectiveSkewMs: Math.round(effectiveSkew(estimate, adjusted)),
      withinWindow: withinWindow(estimate, adjusted, this.config.recvWindowMs),
    }
    this.skew = { ...skew, estimate }
    this.deps.onHealth?.(this.id, false)
    return skew
  }

  clockSkew(): ClockSkew | null {
    if (!this.skew) return null
    const { estimate: _estimate, ...skew } = this.skew
    return skew
  }

  health(): ExchangeHealth {
    const now = this.deps.clock.now()
    const b = this.breaker.snapshot()
    const stats = windowStats(this.window.recent(now))
    return {
      exchange: this.id,
      state: b.state,
      score: healthScore(stats.successRate, stats.latency.p95, b.state),
      successRate: stats.successRate,
      samples: stats.samples,
      consecutiveFailures: b.consecutiveFailures,
      latencyMs: stats.latency,
      openUntil: b.openUntil,
      lastError: this.lastError ? this.lastError.toShape() : null,
      lastErrorAt: this.lastErrorAt,
      clockSkew: this.clockSkew(),
      requestWeight: this.weight.current(),
      websocket: this.wsHealth(now),
    }
  }

  /**
   * The exchange's markets, loaded once. ccxt keeps the promise of its first load, a rejected one
   * too: until markets have loaded, every call asks again (`reload`; one load at a time still), so
   * an exchange that was down at the first try is not taken for down forever.
   */
  async loadMarkets(reload = false): Promise<Record<string, Market>> {
    const loaded = Object.keys(this.exchange.markets ?? {}).length > 0
    return this.call(
      'loadMarkets',
      async (ex) => (await ex.loadMarkets(reload || !loaded)) as Record<string, Market>,
    )
  }

  async markets(reload = false): Promise<ExchangeMarket[]> {
    const markets = await this.loadMarkets(reload)
    const mode = PRECISION_MODES[this.exchange.precisionMode ?? 2] ?? 'decimals'
    return Object.values(markets).map((m) => ({
      symbol: m.symbol,
      id: String(m.id),
      base: m.base,
      quote: m.quote,
      type: String(m.type ?? 'spot'),
      active: typeof m.active === 'boolean' ? m.active : null,
      precisionMode: mode,
      precision: { price: num(m.precision?.price), amount: num(m.precision?.amount) },
      limits: {
        amount: { min: num(m.limits?.amount?.min), max: num(m.limits?.amount?.max) },
        price: { min: num(m.limits?.price?.min), max: num(m.limits?.price?.max) },
        cost: { min: num(m.limits?.cost?.min), max: num(m.limits?.cost?.max) },
      },
      maker: num(m.maker),
      taker: num(m.taker),
    }))
  }

  /** The market for a symbol, or `not_found` (markets are loaded first). */
  async market(symbol: string): Promise<Market> {
    const markets = await this.loadMarkets()
    const m = markets[symbol]
    if (!m) {
      throw new AppError('not_found', `${this.id} has no market ${symbol}`, 'params.symbol')
    }
    return m
  }

  async ticker(symbol: string): Promise<ExchangeTicker> {
    await this.market(symbol)
    const t = await this.call(`fetchTicker ${symbol}`, (ex) => ex.fetchTicker(symbol))
    return this.toTicker(symbol, t)
  }

  toTicker(symbol: string, t: Ticker): ExchangeTicker {
    return {
      exchange: this.id,
      symbol: t.symbol ?? symbol,
      time: num(t.timestamp) ?? this.deps.clock.now(),
      last: num(t.last) ?? num(t.close),
      bid: num(t.bid),
      ask: num(t.ask),
      high: num(t.high),
      low: num(t.low),
      baseVolume: num(t.baseVolume),
      quoteVolume: num(t.quoteVolume),
      change24h: num(t.percentage),
    }
  }

  async orderBook(symbol: string, depth: number): Promise<OrderBookSnapshot> {
    await this.market(symbol)
    const ob = await this.call(`fetchOrderBook ${symbol}`, (ex) => ex.fetchOrderBook(symbol, depth))
    return this.toOrderBook(symbol, ob, depth)
  }

  toOrderBook(symbol: string, ob: OrderBook, depth: number): OrderBookSnapshot {
    const side = (levels: unknown[][]): [number, number][] =>
      levels.slice(0, depth).flatMap((l) => {
        const price = num(l[0])
        const amount = num(l[1])
        return price === null || amount === null ? [] : [[price, amount] as [number, number]]
      })
    return {
      exchange: this.id,
      symbol: ob.symbol ?? symbol,
      time: num(ob.timestamp),
      bids: side(ob.bids as unknown[][]),
      asks: side(ob.asks as unknown[][]),
    }
  }

  /** The most bars one OHLCV request returns, when ccxt knows it (`features.<type>.fetchOHLCV.limit`). */
  ohlcvPageLimit(market: Market): number | undefined {
    const features = this.exchange.features as Record<string, Record<string, unknown> | undefined> | undefined
    if (!features) return undefined
    const type = String(market.type ?? 'spot')
    const byType = features[type]
    const sub = market.linear ? 'linear' : market.inverse ? 'inverse' : undefined
    const holder = (sub && (byType?.[sub] as Record<string, unknown> | undefined)) || byType
    const limit = (holder?.['fetchOHLCV'] as { limit?: unknown } | undefined)?.limit
    return typeof limit === 'number' && limit > 0 ? limit : undefined
  }

  async fetchOHLCV(symbol: string, timeframe: Timeframe, since: number, limit: number): Promise<OHLCV[]> {
    if (this.exchange.timeframes && !(timeframe in this.exchange.timeframes)) {
      throw new AppError('validation', `${this.id} has no ${timeframe} candles`, 'params.timeframe')
    }
    return this.call(`fetchOHLCV ${symbol} ${timeframe}`, (ex) =>
      ex.fetchOHLCV(symbol, timeframe, since, limit),
    )
  }

  async close(): Promise<void> {
    const ex = this.exchange as Exchange & { close?: () => Promise<void> }
    if (this.websocket && typeof ex.close === 'function') {
      try {
        await ex.close()
      } catch {
        // Closing sockets that never opened.
      }
    }
  }
}
