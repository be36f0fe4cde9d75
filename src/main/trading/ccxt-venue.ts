import ccxt, {
  errors as E,
  type Exchange,
  type MarketInterface,
  type Order as CcxtOrder,
  type Trade as CcxtTrade,
} from 'ccxt'
import { AppError } from '../../shared/contract/errors'
import type { OrderSide, OrderType } from '../../shared/domain/trading'
import type {
  Quote,
  TradingVenue,
  VenueBalance,
  VenueMarket,
  VenueOrder,
  VenueOrderRequest,
  VenueOrderStatus,
  VenueTrade,
} from './venue'

/**
 * ccxt's errors -> our closed set. Order matters: OrderNotFound is an InvalidOrder, and
 * RequestTimeout, DDoSProtection and RateLimitExceeded are NetworkErrors.
 *
 * - RateLimitExceeded / DDoSProtection (HTTP 429 / 418) -> rate_limited, with retryAfter from
 *   "banned until <ms>" when the exchange says so (418), else 1 s (429) or 60 s (418);
 * - RequestTimeout -> outcome_unknown (the request may have been executed);
 * - ExchangeNotAvailable, other NetworkErrors, BadResponse and unclassified errors -> unavailable
 *   (for createOrder the order path treats these as unknown outcomes too: Binance documents a
 *   5xx as "execution status UNKNOWN");
 * - AuthenticationError / PermissionDenied -> auth_failed; InsufficientFunds ->
 *   insufficient_funds; OrderNotFound -> not_found; InvalidOrder, BadRequest, BadSymbol,
 *   OperationRejected -> invalid_order.
 */
export function fromCcxtError(err: unknown, now: number = Date.now()): AppError {
  if (err instanceof AppError) return err
  const message = err instanceof Error ? err.message : String(err)
  const short = message.length > 400 ? `${message.slice(0, 400)}…` : message
  if (err instanceof E.OrderNotFound) return new AppError('not_found', short)
  if (err instanceof E.InsufficientFunds) return new AppError('insufficient_funds', short)
  if (err instanceof E.InvalidOrder || err instanceof E.BadRequest || err instanceof E.OperationRejected) {
    return new AppError('invalid_order', short)
  }
  if (err instanceof E.AuthenticationError) return new AppError('auth_failed', short)
  if (err instanceof E.RateLimitExceeded || err instanceof E.DDoSProtection) {
    const banned = /banned until (\d{12,14})/i.exec(message)
    const is418 = /\b418\b/.test(message)
    const retryAfter = banned ? Math.max(1, Math.ceil((Number(banned[1]) - now) / 1000)) : is418 ? 60 : 1
    return new AppError('rate_limited', short, undefined, retryAfter)
  }
  if (err instanceof E.RequestTimeout) return new AppError('outcome_unknown', short)
  return new AppError('unavailable', short)
}

export interface CcxtVenueOptions {
  /** Overrides the exchange's recvWindow (Binance: options.recvWindow, 10 s by default). */
  recvWindowMs?: number
}

/** The trading port over a ccxt exchange instance; a thin mapping both ways. */
export class CcxtVenue implements TradingVenue {
  readonly id: string
  readonly recvWindowMs: number
  readonly canFetchByClientOrderId: boolean
  private marketsCache: Map<string, VenueMarket> | undefined

  constructor(
    readonly exchange: Exchange,
    opts: CcxtVenueOptions = {},
  ) {
    this.id = exchange.id
    const fromOptions = Number((exchange.options as Record<string, unknown>)['recvWindow'])
    this.recvWindowMs =
      opts.recvWindowMs ?? (Number.isFinite(fromOptions) && fromOptions > 0 ? fromOptions : 10_000)
    this.canFetchByClientOrderId = exchange.id.startsWith('binance')
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      throw fromCcxtError(err)
    }
  }

  async loadMarkets(reload = false): Promise<ReadonlyMap<string, VenueMarket>> {
    if (this.marketsCache && !reload) return this.marketsCache
    const markets = await this.call(() => this.exchange.loadMarkets(reload))
    const out = new Map<string, VenueMarket>()
    for (const m of Object.values(markets)) {
      if (!m || m.spot !== true) continue
      out.set(m.symbol, this.toMarket(m))
    }
    this.marketsCache = out
    return out
  }

  private toMarket(m: MarketInterface): VenueMarket {
    const tickMode = this.exchange.precisionMode === ccxt.TICK_SIZE
    const inc = (p: number | undefined) => (p === undefined ? 0 : tickMode ? p : 10 ** -p)
    return {
      symbol: m.symbol,
      base: m.base,
      quote: m.quote,
      amountStep: inc(m.precision.amount),
      priceTick: inc(m.precision.price),
      minAmount: m.limits.amount?.min ?? 0,
      maxAmount: m.limits.amount?.max ?? null,
      minNotional: m.limits.cost?.min ?? 0,
      maxNotional: m.limits.cost?.max ?? null,
      makerFee: m.maker ?? 0,
      takerFee: m.taker ?? 0,
      active: m.active !== false,
    }
  }

  async fetchQuote(symbol: string): Promise<Quote> {
    const t = await this.call(() => this.exchange.fetchTicker(symbol))
    const last = t.last ?? t.close
    const bid = t.bid ?? last
    const ask = t.ask ?? last
    if (bid === undefined || ask === undefined || last === undefined) {
      throw new AppError('unavailable', `${this.id} gave no price for ${symbol}`)
    }
    return { bid, ask, last }
  }

  async createOrder(r: VenueOrderRequest): Promise<VenueOrder> {
    const params: Record<string, unknown> = { clientOrderId: r.clientOrderId }
    if (r.type === 'stop') params['triggerPrice'] = r.stopPrice
    const type = r.type === 'stop' ? 'market' : r.type
    const o = await this.call(() =>
      this.exchange.createOrder(
        r.symbol,
        type,
        r.side,
        r.amount,
        r.type === 'limit' ? r.price : undefined,
        params,
      ),
    )
    return this.toOrder(o, r)
  }

  async fetchOrder(ref: { symbol: string; id?: string; clientOrderId?: string }): Promise<VenueOrder> {
    const params: Record<string, unknown> = {}
    if (ref.id === undefined && ref.clientOrderId !== undefined) params['clientOrderId'] = ref.clientOrderId
    const o = await this.call(() => this.exchange.fetchOrder(ref.id ?? '', ref.symbol, params))
    return this.toOrder(o)
  }

  async fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    const list = await this.call(() => this.exchange.fetchOpenOrders(symbol))
    return list.map((o) => this.toOrder(o))
  }

  /**
   * Trades from `since` on, oldest first, at most `limit`. Binance answers a startTime without
   * an endTime with at most 24 hours of trades (and refuses longer windows), so windows of a day
   * are walked until `limit` trades are found or the present is reached.
   */
  async fetchMyTrades(symbol: string, since?: number, limit = 1000): Promise<VenueTrade[]> {
    if (since === undefined || !this.exchange.id.startsWith('binance')) {
      const list = await this.call(() => this.exchange.fetchMyTrades(symbol, since, limit))
      return this.sortTrades(list)
    }
    const out: VenueTrade[] = []
    const now = this.exchange.milliseconds()
    for (let start = since; start <= now && out.length < limit; start += DAY) {
      const end = start + DAY - 1
      const list = await this.call(() =>
        this.exchange.fetchMyTrades(symbol, start, limit - out.length, { until: end }),
      )
      out.push(...this.sortTrades(list))
    }
    return out
  }

  private sortTrades(list: CcxtTrade[]): VenueTrade[] {
    return list
      .map((t) => this.toTrade(t))
      .sort((a, b) => a.timestamp - b.timestamp || compareIds(a.id, b.id))
  }

  async cancelOrder(ref: { symbol: string; id: string }): Promise<VenueOrder> {
    const o = await this.call(() => this.exchange.cancelOrder(ref.id, ref.symbol))
    // Binance's cancel answer has the cancel request's own id in clientOrderId; the order's is origClientOrderId.
    const orig = (o.info as Record<string, unknown> | undefined)?.['origClientOrderId']
    return this.toOrder(typeof orig === 'string' ? { ...o, clientOrderId: orig } : o)
  }

  async fetchBalance(): Promise<Map<string, VenueBalance>> {
    const b = await this.call(() => this.exchange.fetchBalance())
    const out = new Map<string, VenueBalance>()
    const free = (b.free ?? {}) as unknown as Record<string, number | undefined>
    const used = (b.used ?? {}) as unknown as Record<string, number | undefined>
    const total = (b.total ?? {}) as unknown as Record<string, number | undefined>
    for (const asset of new Set([...Object.keys(free), ...Object.keys(total)])) {
      const f = free[asset] ?? 0
      const u = used[asset] ?? 0
      const t = total[asset] ?? f + u
      if (f === 0 && u === 0 && t === 0) continue
      out.set(asset, { free: f, used: u, total: t })
    }
    return out
  }

  private toOrder(o: CcxtOrder, sent?: VenueOrderRequest): VenueOrder {
    const trigger = o.triggerPrice ?? (o as { stopPrice?: number }).stopPrice
    const type: OrderType =
      trigger !== undefined && trigger !== null && trigger > 0
        ? 'stop'
        : o.type === 'limit'
          ? 'limit'
          : 'market'
    const id = String(o.id)
    const symbol = o.symbol ?? sent?.symbol ?? ''
    const side = (o.side ?? sent?.side ?? 'buy') as OrderSide
    // Binance stop orders carry workingTime -1 until triggered, which ccxt takes as the timestamp.
    const info = (o.info ?? {}) as Record<string, unknown>
    const timestamp =
      o.timestamp !== undefined && o.timestamp > 0
        ? o.timestamp
        : Number(info['transactTime'] ?? info['updateTime']) || Date.now()
    // Fills in an order answer are what matched when it arrived: always taker fills.
    const trades = (o.trades ?? []).map((t) =>
      this.toTrade({
        ...t,
        order: t.order ?? id,
        symbol: t.symbol ?? symbol,
        side: t.side ?? side,
        timestamp: t.timestamp ?? timestamp,
        takerOrMaker: t.takerOrMaker ?? (sent ? 'taker' : undefined),
      }),
    )
    return {
      id,
      clientOrderId: o.clientOrderId ?? sent?.clientOrderId ?? null,
      symbol,
      side,
      type,
      status: toStatus(o.status),
      amount: o.amount ?? sent?.amount ?? 0,
      filled: o.filled ?? 0,
      price: type === 'limit' ? (o.price ?? sent?.price ?? null) : null,
      stopPrice: type === 'stop' ? (trigger ?? null) : null,
      average: o.average ?? null,
      timestamp,
      trades,
    }
  }

  private toTrade(t: CcxtTrade): VenueTrade {
    const fee =
      t.fee && t.fee.cost !== undefined && t.fee.currency !== undefined
        ? { cost: t.fee.cost, currency: t.fee.currency }
        : null
    const amount = t.amount ?? 0
    const price = t.price ?? 0
    return {
      id: String(t.id),
      orderId: String(t.order ?? ''),
      symbol: t.symbol ?? '',
      side: (t.side ?? 'buy') as OrderSide,
      amount,
      price,
      cost: t.cost ?? amount * price,
      fee,
      takerOrMaker: t.takerOrMaker === 'maker' || t.takerOrMaker === 'taker' ? t.takerOrMaker : null,
      timestamp: t.timestamp ?? 0,
    }
  }
}

const DAY = 24 * 3600_000

function toStatus(s: string | undefined): VenueOrderStatus {
  switch (s) {
    case 'closed':
      return 'closed'
    case 'canceled':
    case 'cancelled':
      return 'canceled'
    case 'expired':
      return 'expired'
    case 'rejected':
      return 'rejected'
    default:
      return 'open'
  }
}

function compareIds(a: string, b: string): number {
  const x = Number(a)
  const y = Number(b)
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y
  return a < b ? -1 : a > b ? 1 : 0
}

export interface CcxtVenueConfig {
  exchangeId: string
  /** Replaces the origin of every REST URL of the exchange (a testnet, the simulator). */
  apiUrl?: string | null
  credentials?: { apiKey: string; secret: string } | undefined
  /** Extra ccxt options (merged over Candlework's defaults). */
  options?: Record<string, unknown>
  recvWindowMs?: number
  timeoutMs?: number
  /** ccxt's own request pacing by endpoint weight (default on; tests against the simulator turn it off). */
  enableRateLimit?: boolean
}

/** A ccxt exchange configured for spot trading through Candlework, wrapped as a venue. */
export function createCcxtVenue(config: CcxtVenueConfig): CcxtVenue {
  return new CcxtVenue(
    createCcxtExchange(config),
    config.recvWindowMs !== undefined ? { recvWindowMs: config.recvWindowMs } : {},
  )
}

export function createCcxtExchange(config: CcxtVenueConfig): Exchange {
  const ctor = (ccxt as unknown as Record<string, new (c: Record<string, unknown>) => Exchange>)[
    config.exchangeId
  ]
  if (!(ccxt.exchanges as string[]).includes(config.exchangeId) || typeof ctor !== 'function') {
    throw new AppError('validation', `ccxt has no exchange "${config.exchangeId}"`, 'params.exchangeId')
  }
  const options: Record<string, unknown> = {
    // Spot only, no private currency endpoint at start-up, and open orders of every symbol in one call.
    defaultType: 'spot',
    fetchMarkets: { types: ['spot'] },
    fetchCurrencies: false,
    fetchMargins: false,
    warnOnFetchOpenOrdersWithoutSymbol: false,
    fetchOpenOrders: { warnWithoutSymbol: false },
    ...config.options,
  }
  if (config.recvWindowMs !== undefined) options['recvWindow'] = config.recvWindowMs
  const exchange = new ctor({
    enableRateLimit: config.enableRateLimit ?? true,
    timeout: config.timeoutMs ?? 10_000,
    options,
    ...(config.credentials ? { apiKey: config.credentials.apiKey, secret: config.credentials.secret } : {}),
  })
  if (config.apiUrl) rewriteOrigins(exchange.urls as Record<string, unknown>, config.apiUrl)
  return exchange
}

/** Points every REST URL under `urls.api` at `apiUrl`'s origin, keeping each URL's path. */
function rewriteOrigins(urls: Record<string, unknown>, apiUrl: string): void {
  const origin = new URL(apiUrl).origin
  const walk = (node: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && /^https?:\/\//.test(v)) node[k] = v.replace(/^https?:\/\/[^/]+/, origin)
      else if (v && typeof v === 'object') walk(v as Record<string, unknown>)
    }
  }
  if (urls['api'] && typeof urls['api'] === 'object') walk(urls['api'] as Record<string, unknown>)
}
