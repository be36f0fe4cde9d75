import type { Exchange, MarketInterface, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt'
import { AppError } from '../../shared/contract/errors'
import type { OrderSide, OrderType } from '../../shared/domain/trading'
import { markNotSent } from '../exchange/errors'
import type { ExchangeHub } from '../exchange/hub'
import type { CallOptions, ExchangeConnection } from '../exchange/connection'
import { averagePrice, Decimal, fromNumber } from './decimal'
import type {
  DustConversion,
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
 * The trading port over an exchange connection of the hub.
 *
 * Money crosses here, once each way: ccxt's answers become exact decimals (`fromInfo`: the
 * exchange's own decimal text where ccxt keeps it in `info`, as Binance's `origQty`, `price`,
 * `commission` and filter `tickSize`s; otherwise ccxt's number, which it parsed from that text,
 * as the shortest decimal that is that double). Requests go to ccxt as numbers (its API takes
 * them; an amount at the step and a price at the tick have at most 15 significant digits, which a
 * double carries exactly, and ccxt writes them back at the market's precision). Every request goes through the
 * connection (`ExchangeConnection`): its circuit breaker, health statistics, clock-skew guard and error
 * mapping (`classifyExchangeError`: a timed-out createOrder or cancel is `outcome_unknown`, a
 * refusal before anything was sent is marked `wasNotSent`). The connection is looked up on every
 * call, so new keys or a new API URL (`exchange.setKeys`, `exchange.configure`) apply at once.
 */
export class CcxtVenue implements TradingVenue {
  readonly canFetchByClientOrderId: boolean
  /** Binance spot's own order types (venue-features.ts); other exchanges: stop-market only. */
  readonly features: VenueFeatures
  private marketsCache: { connection: ExchangeConnection; markets: Map<string, VenueMarket> } | undefined

  constructor(
    private readonly exchanges: Pick<ExchangeHub, 'connection' | 'connectionConfig'>,
    readonly id: string,
    /** `editOrders: false` modifies by cancel-then-place even where ccxt could edit (tests of that path). */
    private readonly opts: { editOrders?: boolean } = {},
  ) {
    this.canFetchByClientOrderId = id.startsWith('binance')
    this.features = id.startsWith('binance') ? BINANCE_FEATURES : BASIC_FEATURES
  }

  /** The connection's recvWindow, which its signed requests carry. */
  get recvWindowMs(): number {
    return this.exchanges.connectionConfig(this.id).recvWindowMs
  }

  private async connection(): Promise<ExchangeConnection> {
    try {
      return await this.exchanges.connection(this.id)
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
    return (await this.connection()).call(operation, fn, options)
  }

  async loadMarkets(reload = false): Promise<ReadonlyMap<string, VenueMarket>> {
    const connection = await this.connection()
    if (this.marketsCache?.connection === connection && !reload) return this.marketsCache.markets
    const markets = await connection.loadMarkets(reload)
    const tickMode = connection.exchange.precisionMode === TICK_SIZE
    const out = new Map<string, VenueMarket>()
    for (const m of Object.values(markets)) {
      if (!m || m.spot !== true) continue
      out.set(m.symbol, toMarket(m, tickMode))
    }
    this.marketsCache = { connection, markets: out }
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
    return { bid: fromNumber(bid), ask: fromNumber(ask), last: fromNumber(last) }
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
        params['triggerPrice'] = num(r.stopPrice)
        break
      case 'stop_limit':
        type = 'limit'
        params['stopLossPrice'] = num(r.stopPrice)
        break
      case 'take_profit':
        params['takeProfitPrice'] = num(r.stopPrice)
        break
      case 'take_profit_limit':
        type = 'limit'
        params['takeProfitPrice'] = num(r.stopPrice)
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
        params['trailingPercent'] = num(r.trailingPercent)
        params['stopLossOrTakeProfit'] = r.activationPrice !== undefined ? 'takeProfit' : 'stopLoss'
        if (r.activationPrice !== undefined) params['trailingTriggerPrice'] = num(r.activationPrice)
        break
      case 'market':
        break
    }
    return { type, price: type === 'limit' ? num(r.price) : undefined, params }
  }

  async canEditOrders(): Promise<boolean> {
    if (this.opts.editOrders === false) return false
    return (await this.connection()).exchange.has['editOrder'] === true
  }

  /**
   * ccxt's editOrder: on Binance spot one cancel-replace request (STOP_ON_FAILURE: the new order
   * is placed only if the old one was canceled), the new order carrying our client order id.
   */
  async editOrder(ref: { symbol: string; id: string }, r: VenueOrderRequest): Promise<VenueOrder> {
    const { type, price, params } = this.orderArgs(r)
    const o = await this.call(
      `editOrder ${ref.id}`,
      (ex) => ex.editOrder(ref.id, ref.symbol, type, r.side, r.amount.toNumber(), price, params),
      { mutating: true, signed: true },
    )
    return this.toOrder(o, r)
  }

  async createOrder(r: VenueOrderRequest): Promise<VenueOrder> {
    const { type, price, params } = this.orderArgs(r)
    const o = await this.call(
      `createOrder ${r.symbol}`,
      (ex) => ex.createOrder(r.symbol, type, r.side, r.amount.toNumber(), price, params),
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
        const px = (v: Decimal) => ex.priceToPrecision(r.symbol, v.toNumber())
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
          quantity: ex.amountToPrecision(r.symbol, r.amount.toNumber()),
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

  /**
   * Binance's small-balance conversion (POST /sapi/v1/asset/dust through ccxt's implicit method,
   * which repeats `asset` once per asset): each asset's balance becomes BNB, less Binance's fee.
   * Amounts are Binance's own decimal text, parsed exactly.
   */
  async convertDust(assets: readonly string[]): Promise<DustConversion[]> {
    if (!this.features.has('dust_conversion')) {
      throw markNotSent(new AppError('invalid_order', `${this.id} does not convert small balances`))
    }
    const raw = (await this.call(
      `convertDust ${assets.join(',')}`,
      (ex) => (ex as unknown as DustApi).sapiPostAssetDust({ asset: [...assets] }),
      { mutating: true, signed: true },
    )) as { transferResult?: Record<string, unknown>[] }
    return (raw.transferResult ?? []).map((r) => ({
      asset: String(r['fromAsset']),
      amount: exact(r['amount'], 'amount'),
      target: 'BNB',
      received: exact(r['transferedAmount'], 'transferedAmount'),
      fee: exact(r['serviceChargeAmount'], 'serviceChargeAmount'),
      transferId: String(r['tranId']),
      time: Number(r['operateTime']),
    }))
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
    const now = (await this.connection()).exchange.milliseconds()
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
    // Binance lists each asset's own text (`free`, `locked`); other exchanges' numbers are converted.
    const raw = new Map<string, Record<string, unknown>>()
    const listed = (b.info as { balances?: unknown } | undefined)?.balances
    if (Array.isArray(listed)) {
      for (const e of listed as Record<string, unknown>[])
        if (typeof e['asset'] === 'string') raw.set(e['asset'], e)
    }
    for (const asset of new Set([...Object.keys(free), ...Object.keys(total)])) {
      const info = raw.get(asset)
      const f = fromInfo(info?.['free'], free[asset]) ?? Decimal.ZERO
      const u = fromInfo(info?.['locked'], used[asset]) ?? Decimal.ZERO
      const t = info ? f.plus(u) : (fromInfo(undefined, total[asset]) ?? f.plus(u))
      if (f.isZero() && u.isZero() && t.isZero()) continue
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
    const price = fromInfo(info['price'], o.price)
    const stop = fromInfo(info['stopPrice'], trigger)
    const filled = fromInfo(info['executedQty'], o.filled) ?? Decimal.ZERO
    // Binance's cummulativeQuoteQty / executedQty is the exact average; ccxt's average is a double.
    const quoteQty = fromInfo(info['cummulativeQuoteQty'], undefined)
    return {
      id,
      clientOrderId: o.clientOrderId ?? sent?.clientOrderId ?? null,
      symbol,
      side,
      type,
      status: toStatus(o.status),
      amount: fromInfo(info['origQty'], o.amount) ?? sent?.amount ?? Decimal.ZERO,
      filled,
      price: LIMIT_TYPES.includes(type) ? (price?.isPositive() ? price : (sent?.price ?? null)) : null,
      stopPrice: type !== 'limit' && type !== 'market' && stop?.isPositive() ? stop : null,
      average:
        quoteQty !== null && filled.isPositive()
          ? averagePrice(quoteQty, filled, this.marketsCache?.markets.get(symbol)?.priceTick)
          : fromInfo(undefined, o.average),
      timestamp,
      trades,
    }
  }

  private toTrade(t: CcxtTrade): VenueTrade {
    // Binance's own text: `qty`, `price`, `quoteQty` and `commission` (order fills and myTrades alike).
    const info = (t.info ?? {}) as Record<string, unknown>
    const feeCost = fromInfo(info['commission'], t.fee?.cost)
    const fee =
      feeCost !== null && t.fee?.currency !== undefined ? { cost: feeCost, currency: t.fee.currency } : null
    const amount = fromInfo(info['qty'], t.amount) ?? Decimal.ZERO
    const price = fromInfo(info['price'], t.price) ?? Decimal.ZERO
    return {
      id: String(t.id),
      orderId: String(t.order ?? ''),
      symbol: t.symbol ?? '',
      side: (t.side ?? 'buy') as OrderSide,
      amount,
      price,
      cost: fromInfo(info['quoteQty'], t.cost) ?? amount.times(price),
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

/** Binance's small-balance conversion endpoint, generated by ccxt but not typed on `Exchange`. */
interface DustApi {
  sapiPostAssetDust(params: { asset: string[] }): Promise<unknown>
}

/** A decimal Binance sent as text (or, from a looser exchange, a number), exactly. */
function exact(v: unknown, field: string): Decimal {
  if (typeof v === 'string') return Decimal.parse(v)
  if (typeof v === 'number' && Number.isFinite(v)) return fromNumber(v)
  throw new AppError('internal', `The exchange answered the dust conversion without ${field}`)
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

/**
 * A market's rules as decimals: Binance's filters as it wrote them (`tickSize`, `stepSize`,
 * `minQty`, `maxQty`, `minNotional`), else ccxt's numbers (an increment in TICK_SIZE mode, else
 * decimal places).
 */
function toMarket(m: MarketInterface, tickMode: boolean): VenueMarket {
  const filters = binanceFilters(m.info)
  const inc = (p: number | undefined) =>
    p === undefined ? Decimal.ZERO : tickMode ? fromNumber(p) : Decimal.fromUnits(1n, Math.max(0, p))
  const positive = (d: Decimal | null) => (d !== null && d.isPositive() ? d : null)
  return {
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    amountStep: positive(fromInfo(filters.LOT_SIZE?.['stepSize'], undefined)) ?? inc(m.precision.amount),
    priceTick: positive(fromInfo(filters.PRICE_FILTER?.['tickSize'], undefined)) ?? inc(m.precision.price),
    minAmount: fromInfo(filters.LOT_SIZE?.['minQty'], m.limits.amount?.min) ?? Decimal.ZERO,
    maxAmount: positive(fromInfo(filters.LOT_SIZE?.['maxQty'], m.limits.amount?.max)),
    minNotional:
      fromInfo(
        filters.NOTIONAL?.['minNotional'] ?? filters.MIN_NOTIONAL?.['minNotional'],
        m.limits.cost?.min,
      ) ?? Decimal.ZERO,
    maxNotional: positive(fromInfo(filters.NOTIONAL?.['maxNotional'], m.limits.cost?.max)),
    makerFee: fromInfo(undefined, m.maker) ?? Decimal.ZERO,
    takerFee: fromInfo(undefined, m.taker) ?? Decimal.ZERO,
    active: m.active !== false,
  }
}

/** Binance's symbol filters by type (empty for other exchanges). */
function binanceFilters(info: unknown): Partial<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {}
  const filters = (info as { filters?: unknown } | undefined)?.filters
  if (!Array.isArray(filters)) return out
  for (const f of filters as Record<string, unknown>[]) {
    if (typeof f['filterType'] === 'string') out[f['filterType']] = f
  }
  return out
}

/**
 * A value from ccxt as a decimal: the exchange's own text when `raw` is decimal text (the
 * `info` field ccxt parsed), else ccxt's number; null when neither is there.
 */
function fromInfo(raw: unknown, value: number | null | undefined): Decimal | null {
  if (typeof raw === 'string') {
    const d = Decimal.tryParse(raw)
    if (d) return d
  }
  return value === undefined || value === null || !Number.isFinite(value) ? null : fromNumber(value)
}

/** A request's decimal as the number ccxt's API takes (see the class comment). */
function num(d: Decimal | undefined): number | undefined {
  return d === undefined ? undefined : d.toNumber()
}
