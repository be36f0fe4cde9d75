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
  VenueOcoRequest,
  VenueOrder,
  VenueOrderRequest,
  VenueOrderStatus,
  VenueTrade,
} from './venue'
import { BASIC_FEATURES, BINANCE_FEATURES, type VenueFeatures } from './venue-features'

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
  /** Binance spot's own order types (venue-features.ts); other exchanges: stop-market only. */
  readonly features: VenueFeatures
  private marketsCache: { venue: Venue; markets: Map<string, VenueMarket> } | undefined

  constructor(
    private readonly exchanges: Pick<ExchangeHub, 'venue' | 'connection'>,
    readonly id: string,
    /** `editOrders: false` modifies by cancel-then-place even where ccxt could edit (tests of that path). */
    private readonly opts: { editOrders?: boolean } = {},
  ) {
    this.canFetchByClientOrderId = id.startsWith('binance')
    this.features = id.startsWith('binance') ? BINANCE_FEATURES : BASIC_FEATURES
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

  /**
   * Our request as ccxt's createOrder/editOrder arguments: stops as `triggerPrice` (Binance STOP_LOSS),
   * stop-limits as `stopLossPrice` with a limit price (STOP_LOSS_LIMIT), take-profits as
   * `takeProfitPrice` (TAKE_PROFIT, TAKE_PROFIT_LIMIT), trailing stops as `trailingPercent`
   * (ccxt sends trailingDelta in basis points): a STOP_LOSS trailing from now, or, with an
   * activation price, a TAKE_PROFIT whose stopPrice is that activation (Binance's rule: a sell
   * activates above the market, a buy below). Post-only is ccxt's `postOnly` (LIMIT_MAKER).
   */
  private orderArgs(r: VenueOrderRequest): {
    type: 'market' | 'limit'
    price: number | undefined
    params: Record<string, unknown>
  } {
    const params: Record<string, unknown> = { clientOrderId: r.clientOrderId }
    let type: 'market' | 'limit' = 'market'
    switch (r.type) {
      case 'limit':
        type = 'limit'
        if (r.postOnly === true) params['postOnly'] = true
        break
      case 'stop':
        params['triggerPrice'] = r.stopPrice
        break
      case 'stop_limit':
        type = 'limit'
        params['stopLossPrice'] = r.stopPrice
        break
      case 'take_profit':
        params['takeProfitPrice'] = r.stopPrice
        break
      case 'take_profit_limit':
        type = 'limit'
        params['takeProfitPrice'] = r.stopPrice
        break
      case 'trailing_stop':
        if (r.trailingPercent === undefined) {
          throw markNotSent(
            new AppError(
              'invalid_order',
              `${this.id} takes trailing stops by percent only`,
              'params.trailingAmount',
            ),
          )
        }
        params['trailingPercent'] = r.trailingPercent
        params['stopLossOrTakeProfit'] = r.activationPrice !== undefined ? 'takeProfit' : 'stopLoss'
        if (r.activationPrice !== undefined) params['trailingTriggerPrice'] = r.activationPrice
        break
      case 'market':
        break
    }
    return { type, price: type === 'limit' ? r.price : undefined, params }
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
    const { type, price, params } = this.orderArgs(r)
    const o = await this.call(
      `editOrder ${ref.id}`,
      (ex) => ex.editOrder(ref.id, ref.symbol, type, r.side, r.amount, price, params),
      { mutating: true, signed: true },
    )
    return this.toOrder(o, r)
  }

  async createOrder(r: VenueOrderRequest): Promise<VenueOrder> {
    const { type, price, params } = this.orderArgs(r)
    const o = await this.call(
      `createOrder ${r.symbol}`,
      (ex) => ex.createOrder(r.symbol, type, r.side, r.amount, price, params),
      { mutating: true, signed: true },
    )
    return this.toOrder(o, r)
  }

  /**
   * An OCO as Binance's order list (POST /api/v3/orderList/oco; ccxt has no unified call for it,
   * so its implicit endpoint method is used, with ccxt's own rounding): a SELL's above leg is the
   * take-profit (LIMIT_MAKER) and its below leg the stop (STOP_LOSS, or STOP_LOSS_LIMIT with a
   * limit price); a BUY's the other way round. Answers with the legs, take-profit first.
   */
  async createOco(r: VenueOcoRequest): Promise<VenueOrder[]> {
    const answer = await this.call(
      `createOco ${r.symbol}`,
      async (ex) => {
        await ex.loadMarkets()
        const market = ex.market(r.symbol)
        const px = (v: number) => ex.priceToPrecision(r.symbol, v)
        const take: Record<string, unknown> = {
          Type: 'LIMIT_MAKER',
          Price: px(r.takeProfitPrice),
          ClientOrderId: r.takeProfitClientOrderId,
        }
        const stop: Record<string, unknown> = {
          Type: r.stopLimitPrice !== undefined ? 'STOP_LOSS_LIMIT' : 'STOP_LOSS',
          StopPrice: px(r.stopPrice),
          ClientOrderId: r.stopClientOrderId,
        }
        if (r.stopLimitPrice !== undefined) {
          stop['Price'] = px(r.stopLimitPrice)
          stop['TimeInForce'] = 'GTC'
        }
        const [above, below] = r.side === 'sell' ? [take, stop] : [stop, take]
        const request: Record<string, unknown> = {
          symbol: market.id,
          side: r.side.toUpperCase(),
          quantity: ex.amountToPrecision(r.symbol, r.amount),
          listClientOrderId: r.listClientOrderId,
          newOrderRespType: 'RESULT',
        }
        for (const [k, v] of Object.entries(above)) request[`above${k}`] = v
        for (const [k, v] of Object.entries(below)) request[`below${k}`] = v
        const raw = (await (ex as unknown as OrderListApi).privatePostOrderListOco(request)) as {
          orderReports?: unknown[]
        }
        return (raw.orderReports ?? []).map((report) =>
          ex.parseOrder(report as Record<string, unknown>, market),
        )
      },
      { mutating: true, signed: true },
    )
    const legs = answer.map((o) => this.toOrder(o))
    const tp = legs.find((o) => o.clientOrderId === r.takeProfitClientOrderId)
    const sl = legs.find((o) => o.clientOrderId === r.stopClientOrderId)
    if (!tp || !sl) throw new AppError('outcome_unknown', `${this.id} answered the OCO without both legs`)
    return [tp, sl]
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
    // Binance stop orders carry workingTime -1 until triggered, which ccxt takes as the timestamp.
    const info = (o.info ?? {}) as Record<string, unknown>
    const type: OrderType =
      binanceType(info) ??
      sent?.type ??
      (trigger !== undefined && trigger !== null && trigger > 0
        ? 'stop'
        : o.type === 'limit'
          ? 'limit'
          : 'market')
    const id = String(o.id)
    const symbol = o.symbol ?? sent?.symbol ?? ''
    const side = (o.side ?? sent?.side ?? 'buy') as OrderSide
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
      price: LIMIT_TYPES.includes(type) ? (o.price ?? sent?.price ?? null) : null,
      stopPrice: type !== 'limit' && type !== 'market' ? (trigger ?? null) : null,
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

/** Types whose orders carry a limit price. */
const LIMIT_TYPES: readonly OrderType[] = ['limit', 'stop_limit', 'take_profit_limit']

/** Binance's implicit order-list endpoint, which ccxt generates but does not type on `Exchange`. */
interface OrderListApi {
  privatePostOrderListOco(params: Record<string, unknown>): Promise<unknown>
}

/**
 * Our type from Binance's own (ccxt folds STOP_LOSS into `market`, STOP_LOSS_LIMIT into
 * `limit`): a trailingDelta makes a STOP_LOSS or TAKE_PROFIT a trailing stop.
 */
function binanceType(info: Record<string, unknown>): OrderType | undefined {
  const trailing = info['trailingDelta'] !== undefined && info['trailingDelta'] !== null
  switch (info['type']) {
    case 'MARKET':
      return 'market'
    case 'LIMIT':
    case 'LIMIT_MAKER':
      return 'limit'
    case 'STOP_LOSS':
      return trailing ? 'trailing_stop' : 'stop'
    case 'STOP_LOSS_LIMIT':
      return 'stop_limit'
    case 'TAKE_PROFIT':
      return trailing ? 'trailing_stop' : 'take_profit'
    case 'TAKE_PROFIT_LIMIT':
      return 'take_profit_limit'
    default:
      return undefined
  }
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
