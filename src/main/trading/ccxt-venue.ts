import type { Exchange, MarketInterface, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt'
import { AppError } from '../../shared/contract/errors'
import type { OrderSide, OrderType } from '../../shared/domain/trading'
import { markNotSent } from '../exchange/errors'
import type { ExchangeHub } from '../exchange/hub'
import type { CallOptions, Venue } from '../exchange/venue'
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

/** ccxt's TICK_SIZE precision mode: precisions are increments, not decimal places. */
const TICK_SIZE = 4

/**
 * The trading port over an exchange connection of the hub. Every request goes through the
 * connection's `Venue`: its circuit breaker, health statistics, clock-skew guard and error
 * mapping (`classifyExchangeError`: a timed-out createOrder or cancel is `outcome_unknown`, a
 * refusal before anything was sent is marked `wasNotSent`). The venue is looked up on every
 * call, so new keys or a new API URL (`exchange.setKeys`, `exchange.configure`) apply at once.
 */
export class CcxtVenue implements TradingVenue {
  readonly canFetchByClientOrderId: boolean
  private marketsCache: { venue: Venue; markets: Map<string, VenueMarket> } | undefined

  constructor(
    private readonly exchanges: Pick<ExchangeHub, 'venue' | 'connection'>,
    readonly id: string,
    /** `editOrders: false` modifies by cancel-then-place even where ccxt could edit (tests of that path). */
    private readonly opts: { editOrders?: boolean } = {},
  ) {
    this.canFetchByClientOrderId = id.startsWith('binance')
  }

  /** The connection's recvWindow, which its signed requests carry. */
  get recvWindowMs(): number {
    return this.exchanges.connection(this.id).recvWindowMs
  }

  private async venue(): Promise<Venue> {
    try {
      return await this.exchanges.venue(this.id)
    } catch (err) {
      // No connection, so nothing was sent.
      throw markNotSent(err instanceof AppError ? err : new AppError('unavailable', String(err)))
    }
  }

  private async call<T>(
    operation: string,
    fn: (ex: Exchange) => Promise<T>,
    options: CallOptions,
  ): Promise<T> {
    return (await this.venue()).call(operation, fn, options)
  }

  async loadMarkets(reload = false): Promise<ReadonlyMap<string, VenueMarket>> {
    const venue = await this.venue()
    if (this.marketsCache?.venue === venue && !reload) return this.marketsCache.markets
    const markets = await venue.loadMarkets(reload)
    const tickMode = venue.exchange.precisionMode === TICK_SIZE
    const out = new Map<string, VenueMarket>()
    for (const m of Object.values(markets)) {
      if (!m || m.spot !== true) continue
      out.set(m.symbol, toMarket(m, tickMode))
    }
    this.marketsCache = { venue, markets: out }
    return out
  }

  async fetchQuote(symbol: string): Promise<Quote> {
    const t = await this.call(`fetchTicker ${symbol}`, (ex) => ex.fetchTicker(symbol), {})
    const last = t.last ?? t.close
    const bid = t.bid ?? last
    const ask = t.ask ?? last
    if (bid === undefined || ask === undefined || last === undefined) {
      throw new AppError('unavailable', `${this.id} gave no price for ${symbol}`)
    }
    return { bid, ask, last }
  }

  async canEditOrders(): Promise<boolean> {
    if (this.opts.editOrders === false) return false
    return (await this.venue()).exchange.has['editOrder'] === true
  }

  /**
   * ccxt's editOrder: on Binance spot one cancel-replace request (STOP_ON_FAILURE: the new order
   * is placed only if the old one was canceled), the new order carrying our client order id.
   */
  async editOrder(ref: { symbol: string; id: string }, r: VenueOrderRequest): Promise<VenueOrder> {
    const { type, params } = ccxtOrderArgs(r)
    const o = await this.call(
      `editOrder ${ref.id}`,
      (ex) =>
        ex.editOrder(
          ref.id,
          ref.symbol,
          type,
          r.side,
          r.amount,
          r.type === 'limit' ? r.price : undefined,
          params,
        ),
      { mutating: true, signed: true },
    )
    return this.toOrder(o, r)
  }

  async createOrder(r: VenueOrderRequest): Promise<VenueOrder> {
    const { type, params } = ccxtOrderArgs(r)
    const o = await this.call(
      `createOrder ${r.symbol}`,
      (ex) =>
        ex.createOrder(r.symbol, type, r.side, r.amount, r.type === 'limit' ? r.price : undefined, params),
      { mutating: true, signed: true },
    )
    return this.toOrder(o, r)
  }

  async fetchOrder(ref: { symbol: string; id?: string; clientOrderId?: string }): Promise<VenueOrder> {
    const params: Record<string, unknown> = {}
    if (ref.id === undefined && ref.clientOrderId !== undefined) params['clientOrderId'] = ref.clientOrderId
    const o = await this.call(
      `fetchOrder ${ref.id ?? ref.clientOrderId ?? ''}`,
      (ex) => ex.fetchOrder(ref.id ?? '', ref.symbol, params),
      { signed: true },
    )
    return this.toOrder(o)
  }

  async fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    const op = symbol === undefined ? 'fetchOpenOrders' : `fetchOpenOrders ${symbol}`
    const list = await this.call(op, (ex) => ex.fetchOpenOrders(symbol), { signed: true })
    return list.map((o) => this.toOrder(o))
  }

  /**
   * Trades from `since` on, oldest first, at most `limit`. Binance answers a startTime without
   * an endTime with at most 24 hours of trades (and refuses longer windows), so windows of a day
   * are walked until `limit` trades are found or the present is reached.
   */
  async fetchMyTrades(symbol: string, since?: number, limit = 1000): Promise<VenueTrade[]> {
    const op = `fetchMyTrades ${symbol}`
    if (since === undefined || !this.id.startsWith('binance')) {
      const list = await this.call(op, (ex) => ex.fetchMyTrades(symbol, since, limit), { signed: true })
      return this.sortTrades(list)
    }
    const out: VenueTrade[] = []
    const now = (await this.venue()).exchange.milliseconds()
    for (let start = since; start <= now && out.length < limit; start += DAY) {
      const end = start + DAY - 1
      const list = await this.call(
        op,
        (ex) => ex.fetchMyTrades(symbol, start, limit - out.length, { until: end }),
        { signed: true },
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
    const o = await this.call(`cancelOrder ${ref.id}`, (ex) => ex.cancelOrder(ref.id, ref.symbol), {
      mutating: true,
      signed: true,
    })
    // Binance's cancel answer has the cancel request's own id in clientOrderId; the order's is origClientOrderId.
    const orig = (o.info as Record<string, unknown> | undefined)?.['origClientOrderId']
    return this.toOrder(typeof orig === 'string' ? { ...o, clientOrderId: orig } : o)
  }

  async fetchBalance(): Promise<Map<string, VenueBalance>> {
    const b = await this.call('fetchBalance', (ex) => ex.fetchBalance(), { signed: true })
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

/** Our request as ccxt's createOrder/editOrder arguments: a stop is a market order with a trigger price. */
function ccxtOrderArgs(r: VenueOrderRequest): { type: 'market' | 'limit'; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { clientOrderId: r.clientOrderId }
  if (r.type === 'stop') params['triggerPrice'] = r.stopPrice
  return { type: r.type === 'stop' ? 'market' : r.type, params }
}

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

function toMarket(m: MarketInterface, tickMode: boolean): VenueMarket {
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
