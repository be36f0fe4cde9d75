import { AppError } from '../../shared/contract/errors'
import type { OrderSide } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Db } from '../storage/database'
import { bpsToFraction, ceilTo, Decimal, floorTo, toDecimal, toOptionalDecimal } from './decimal'
import { conditionalReference, direction, firesAs, reached, step, type TriggerState } from './triggers'
import { PaperBalances } from './paper-balances'
import {
  filledAtOnceToVenue,
  filledRow,
  orderNotFound,
  paperStatements,
  toVenueOrder,
  toVenueTrade,
  withId,
  type PaperOrderRow,
  type PaperStatements,
} from './paper-book'
import {
  DEFAULT_PAPER_SETTINGS,
  insertPaperSettings,
  loadPaperSettings,
  recordPaperReset,
  type PaperSettings,
} from './paper-settings'
import { insertFill } from './store'
import { ALL_FEATURES } from './venue-features'
import type {
  BalanceLookup,
  DustConversion,
  LocalBatchOptions,
  LocalVenue,
  OrderAmendment,
  PriceSource,
  Quote,
  VenueBalance,
  VenueMarket,
  VenueOcoRequest,
  VenueOrder,
  VenueOrderRequest,
  VenueTrade,
  VenueUpdate,
} from './venue'

export { DEFAULT_PAPER_SETTINGS, type PaperSettings }

export interface PaperVenueOptions {
  db: Db
  accountId: string
  clock: Clock
  prices: PriceSource
  /** The markets paper trading offers (their steps, ticks and minimums). */
  markets: () => Iterable<VenueMarket>
  /** Settings for a new paper account; a stored account keeps its own. */
  settings?: Partial<PaperSettings>
  /**
   * Which currency fees are charged in: `received` (Binance's default: buys pay in base, sells
   * in quote) or `quote` (always quote).
   */
  feeCurrency?: 'received' | 'quote'
  /**
   * Where fee rates come from: the account's settings (the demo market), or each market's own
   * rates (paper trading on an exchange's prices pays what that exchange would charge).
   */
  fees?: 'settings' | 'market'
  /**
   * Why the catalog is empty or lacks a symbol when that is not the trader's fault (an exchange's
   * markets not loaded yet); the order is then refused as `unavailable`, not as an unknown symbol.
   */
  marketsProblem?: () => string | undefined
}

/**
 * What converting dust costs on paper: 2% of what it is worth at the bid, in the quote asset.
 * Binance's small-balance conversion (to BNB) charges 2% too, so a paper account's result is
 * what the trader would see there, in the asset paper accounts are kept in rather than BNB (a
 * paper account has no BNB price of its own to rely on).
 */
export const PAPER_DUST_FEE_RATE = Decimal.parse('0.02')

/**
 * The paper exchange: the same port as a live exchange, over a price source, with its book
 * (orders, balances) in SQLite so it survives restarts.
 *
 * Its trades are rows of trading_fills, the ledger's own table: each paper order fills once, in
 * full, so a trade's id is its order's id. Inside the order path's transaction (`runBatch` and
 * `tickSync` with `ledgerRecordsFills`) the order path writes them as it adopts the answer, and
 * an order filled the moment it is placed is written only there too (trading_orders), never in
 * paper_orders: both sides commit together, so a second copy could never differ, and two writes
 * per fill are saved. paper_orders keeps what rests (and what rested), so everything that can
 * change later is the venue's own. Outside the order path (a paper venue standing in for a
 * remote exchange in tests, an order sent outside a transaction) the venue writes it all itself.
 * Order ids come from one sequence (paper_sequence), as they no longer all have a paper_orders row.
 *
 * Fill rules:
 * - market orders fill at once, in full, at the ask (buys) or bid (sells) moved against the
 *   trader by `slippageBps` and then to the market's tick (up for buys, down for sells), paying
 *   the taker fee;
 * - a limit order that is marketable when placed (buy at or above the ask, sell at or below
 *   the bid) fills at once like a market order but never beyond its limit, as taker; otherwise
 *   it rests, reserving its funds, and fills in full at its limit price, as maker, once the
 *   last price trades through it (strictly below a buy, strictly above a sell);
 * - a stop order rests until the last price reaches its stop (at or above for buys, at or
 *   below for sells), then fills as a market order; one that would trigger at once is refused
 *   (as Binance does). Its funds are reserved at the stop price; if a buy's fill then costs
 *   more than is free, it expires unfilled.
 * - Fees: `received` mode (default) charges buys in base and sells in quote, like Binance.
 * - An amended order (amendOrderSync) keeps its place only when its amount goes down.
 */
export class PaperVenue implements LocalVenue {
  readonly id = 'paper'
  readonly local = true as const
  readonly recvWindowMs = 0
  readonly canFetchByClientOrderId = true
  /** The paper book holds every order type itself, OCO lists included. */
  readonly features = ALL_FEATURES
  private readonly db: Db
  private readonly accountId: string
  private readonly clock: Clock
  private readonly prices: PriceSource
  private readonly catalog: () => Iterable<VenueMarket>
  private readonly feeCurrency: 'received' | 'quote'
  private readonly fees: 'settings' | 'market'
  private readonly marketsProblem: (() => string | undefined) | undefined
  private settingsCache: PaperSettings
  private slippageCache: { bps: number; fraction: Decimal } | undefined
  private marketsCache: { at: number; markets: Map<string, VenueMarket> } | undefined
  private readonly funds: PaperBalances
  /** During runBatch: the next order id once asked for, written once at the batch's end. */
  private batch: { nextId: number | null } | null = null
  /** True while the caller's transaction records this venue's trades (see the class comment). */
  private ledgerRecordsFills = false
  private readonly s: PaperStatements

  constructor(opts: PaperVenueOptions) {
    this.db = opts.db
    this.accountId = opts.accountId
    this.clock = opts.clock
    this.prices = opts.prices
    this.catalog = opts.markets
    this.feeCurrency = opts.feeCurrency ?? 'received'
    this.fees = opts.fees ?? 'settings'
    this.marketsProblem = opts.marketsProblem
    this.s = paperStatements(this.db)
    this.funds = new PaperBalances(this.s, this.accountId)
    this.settingsCache = this.ensureSettings({ ...DEFAULT_PAPER_SETTINGS, ...opts.settings })
  }

  get settings(): PaperSettings {
    return this.settingsCache
  }

  // ------------------------------------------------------------ the port

  loadMarkets(): Promise<ReadonlyMap<string, VenueMarket>> {
    return Promise.resolve(this.markets())
  }

  fetchQuote(symbol: string): Promise<Quote> {
    return settle(() => this.quoteOf(symbol))
  }

  createOrder(request: VenueOrderRequest): Promise<VenueOrder> {
    return settle(() => this.createOrderSync(request))
  }

  fetchOrder(ref: { symbol: string; id?: string; clientOrderId?: string }): Promise<VenueOrder> {
    return settle(() => this.fetchOrderSync(ref))
  }

  fetchOrderSync(ref: { symbol: string; id?: string; clientOrderId?: string }): VenueOrder {
    const row = this.paperOrder(ref)
    if (row) return this.toVenueOrder(row)
    const filled = this.filledAtOnce(ref)
    if (filled) return filled
    throw orderNotFound(ref)
  }

  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]> {
    return settle(() => {
      const rows =
        symbol === undefined
          ? this.s.openOrders.all(this.accountId)
          : this.s.openOrdersOf.all(this.accountId, symbol)
      return rows.map((r) => this.toVenueOrder(r))
    })
  }

  openOrderSymbolsSync(): string[] {
    return this.s.openSymbols.all(this.accountId).map((r) => r.symbol)
  }

  openOrdersPageSync(symbol: string, afterId: number, limit: number): VenueOrder[] {
    return this.s.openPage.all(this.accountId, symbol, afterId, limit).map((r) => this.toVenueOrder(r))
  }

  fetchMyTrades(symbol: string, since = 0, limit = 1000): Promise<VenueTrade[]> {
    return settle(() => this.s.trades.all(this.accountId, symbol, since, limit).map(toVenueTrade))
  }

  cancelOrder(ref: { symbol: string; id: string }): Promise<VenueOrder> {
    return settle(() => this.cancelOrderSync(ref))
  }

  fetchBalance(): Promise<Map<string, VenueBalance>> {
    return settle(() => this.balances())
  }

  // ------------------------------------------------------------ synchronous core

  marketsSync(): Map<string, VenueMarket> {
    return this.markets()
  }

  quoteSync(symbol: string): Quote {
    return this.quoteOf(symbol)
  }

  balancesSync(): BalanceLookup {
    return this.funds.lookup
  }

  /** The catalog with this account's fees; rebuilt at most once per second of clock time. */
  markets(): Map<string, VenueMarket> {
    const now = this.clock.now()
    if (this.marketsCache && now - this.marketsCache.at < 1_000 && now >= this.marketsCache.at)
      return this.marketsCache.markets
    const out = new Map<string, VenueMarket>()
    const { makerFeeBps, takerFeeBps } = this.settingsCache
    for (const m of this.catalog()) {
      out.set(
        m.symbol,
        this.fees === 'market'
          ? m
          : { ...m, makerFee: bpsToFraction(makerFeeBps), takerFee: bpsToFraction(takerFeeBps) },
      )
    }
    // An empty catalog is an exchange's markets still loading: asked again next time, not held for a second.
    if (out.size > 0) this.marketsCache = { at: now, markets: out }
    return out
  }

  balances(): Map<string, VenueBalance> {
    return this.funds.all()
  }

  /**
   * Runs `fn` with the account's balances held in memory (read once) and the changed ones
   * written once at the end: a tick filling many orders, or a batch of orders, touches each
   * balance row once instead of once per fill. Must run inside a transaction so that a failure
   * discards both.
   */
  runBatch<T>(fn: () => T, opts: LocalBatchOptions = {}): T {
    if (this.batch) return fn()
    const batch: { nextId: number | null } = { nextId: null }
    this.batch = batch
    this.funds.beginBatch()
    this.ledgerRecordsFills = opts.ledgerRecordsFills === true && this.db.inTransaction
    try {
      const result = fn()
      this.funds.endBatch(true)
      if (batch.nextId !== null) this.s.setNextId.run(batch.nextId)
      return result
    } finally {
      if (this.funds.inBatch) this.funds.endBatch(false)
      this.batch = null
      this.ledgerRecordsFills = false
    }
  }

  /** Places an order; atomic on its own (a savepoint inside the caller's transaction). */
  createOrderSync(req: VenueOrderRequest): VenueOrder {
    // placeSync refuses only before its first write (balances included), so inside the caller's
    // transaction no savepoint is needed; alone, it gets its own transaction.
    if (this.db.inTransaction) return this.runBatch(() => this.placeSync(req))
    return this.db.transaction(() => this.runBatch(() => this.placeSync(req)))()
  }

  /** Every check that can refuse the order comes before the first write. */
  private placeSync(req: VenueOrderRequest): VenueOrder {
    const market = this.marketOf(req.symbol)
    requirePositive('amount', req.amount)
    requirePositive('price', req.price)
    requirePositive('stopPrice', req.stopPrice)
    requirePositive('trailingPercent', req.trailingPercent)
    requirePositive('trailingAmount', req.trailingAmount)
    requirePositive('activationPrice', req.activationPrice)
    // A reused client order id is refused by the unique index when the order row is written,
    // which comes before any balance moves (see insertOrder).
    const q = this.quoteOf(req.symbol)
    const now = this.clock.now()
    const base = this.newRow(req, now)

    if (req.type === 'market') {
      const price = this.marketPrice(req.side, q, market.priceTick)
      this.funds.requireFree(
        req.side === 'buy' ? market.quote : market.base,
        req.side === 'buy' ? req.amount.times(price) : req.amount,
      )
      return this.fill(base, market, price, 'taker', now).order
    }

    if (req.type === 'limit') {
      const limit = req.price
      if (limit === undefined)
        throw new AppError('invalid_order', 'A limit order needs a price', 'params.price')
      if (this.marketable(req.side, limit, q)) {
        if (req.postOnly === true)
          throw new AppError('invalid_order', 'Order would immediately match and take.', 'params.price')
        return this.fillMarketable(base, market, limit, q, now)
      }
      return this.toVenueOrder(this.rest(base, market, limit))
    }

    if (firesAs(req.type) === 'limit' && req.price === undefined)
      throw new AppError('invalid_order', `A ${req.type} order needs a price`, 'params.price')
    if (req.type === 'trailing_stop') {
      if ((req.trailingPercent === undefined) === (req.trailingAmount === undefined))
        throw new AppError(
          'invalid_order',
          'A trailing stop needs a percent or an amount',
          'params.trailingPercent',
        )
    } else if (req.stopPrice === undefined) {
      throw new AppError('invalid_order', `A ${req.type} order needs a stop price`, 'params.stopPrice')
    }
    // Binance refuses a trigger the last price has already reached; a trailing stop starts tracking.
    const first = step(triggerState(base), q.last, market.priceTick)
    if (first.fires) {
      throw new AppError(
        'invalid_order',
        `Stop price would trigger immediately: last ${q.last.toString()} has already reached ${base.stop_price ?? '0'}`,
        'params.stopPrice',
      )
    }
    base.water_mark = first.waterMark?.toString() ?? null
    base.stop_price = first.stopPrice?.toString() ?? null
    const reference =
      req.price ?? conditionalReference(triggerState(base), q.last, market.priceTick) ?? q.last
    return this.toVenueOrder(this.rest(base, market, reference), undefined, market)
  }

  /**
   * Places an OCO: a post-only take-profit limit and a stop (or stop-limit) resting together
   * under one group; the funds are reserved once, on the take-profit leg, for the larger of the
   * two. When one fills or fires the other is expired (tickSync); canceling one cancels both.
   */
  createOcoSync(req: VenueOcoRequest): VenueOrder[] {
    const run = () =>
      this.runBatch(() => {
        const market = this.marketOf(req.symbol)
        const q = this.quoteOf(req.symbol)
        const now = this.clock.now()
        const tp = this.newRow(
          {
            symbol: req.symbol,
            side: req.side,
            type: 'limit',
            amount: req.amount,
            price: req.takeProfitPrice,
            postOnly: true,
            clientOrderId: req.takeProfitClientOrderId,
          },
          now,
        )
        const stopRequest: VenueOrderRequest = {
          symbol: req.symbol,
          side: req.side,
          type: req.stopLimitPrice !== undefined ? 'stop_limit' : 'stop',
          amount: req.amount,
          stopPrice: req.stopPrice,
          clientOrderId: req.stopClientOrderId,
        }
        if (req.stopLimitPrice !== undefined) stopRequest.price = req.stopLimitPrice
        const sl = this.newRow(stopRequest, now)
        tp.oco_group = sl.oco_group = req.listClientOrderId
        if (this.marketable(req.side, req.takeProfitPrice, q))
          throw new AppError(
            'invalid_order',
            'Order would immediately match and take.',
            'params.takeProfit.price',
          )
        if (step(triggerState(sl), q.last, market.priceTick).fires) {
          throw new AppError(
            'invalid_order',
            `Stop price would trigger immediately: last ${q.last.toString()} has already reached ${req.stopPrice.toString()}`,
            'params.stopLoss.stopPrice',
          )
        }
        const worst = Decimal.max(req.takeProfitPrice, req.stopLimitPrice ?? req.stopPrice)
        const held = this.rest(tp, market, worst)
        const stop = withId(sl, this.newOrderId())
        this.insertOrder(stop)
        return [this.toVenueOrder(held, [], market), this.toVenueOrder(stop, [], market)]
      })
    return this.db.inTransaction ? run() : this.db.transaction(run)()
  }

  convertDust(assets: readonly string[]): Promise<DustConversion[]> {
    return settle(() => this.convertDustSync(assets))
  }

  /**
   * Converts each asset's whole free balance into the account's quote asset (its starting
   * asset, USDT) at the bid of `<asset>/<quote>`, less `PAPER_DUST_FEE_RATE` of what it was
   * worth, paid in the quote asset. Only dust converts: a free balance below that market's lot
   * step, which no order can sell; more, none, or no such market refuses the whole request
   * before anything changes (Binance refuses an asset it will not convert the same way). Atomic
   * like createOrderSync. The conversion is not a trade of the book: the engine records it as a
   * fill in the same transaction (dust-conversion.ts), so balances stay their start plus their fills.
   */
  convertDustSync(assets: readonly string[]): DustConversion[] {
    if (this.db.inTransaction) return this.runBatch(() => this.dustSync(assets))
    return this.db.transaction(() => this.runBatch(() => this.dustSync(assets)))()
  }

  private dustSync(assets: readonly string[]): DustConversion[] {
    const target = this.settingsCache.startingAsset
    // Every asset is checked before anything moves.
    const plan = [...new Set(assets)].map((asset) => {
      const symbol = `${asset}/${target}`
      if (asset === target) {
        throw new AppError('invalid_order', `${asset} is what paper converts dust into`, 'params.assets')
      }
      const market = this.markets().get(symbol)
      if (!market) {
        throw new AppError(
          'invalid_order',
          `Paper converts ${asset} into ${target} through ${symbol}, which this market does not list`,
          'params.assets',
        )
      }
      const free = this.funds.lookup.get(asset)?.free ?? Decimal.ZERO
      if (!free.isPositive()) {
        throw new AppError(
          'insufficient_funds',
          `No ${asset} is free in this account to convert`,
          'params.assets',
        )
      }
      if (!market.amountStep.isPositive() || free.gte(market.amountStep)) {
        throw new AppError(
          'invalid_order',
          `${free.toString()} ${asset} is not dust: it is not below the ${symbol} lot step ${market.amountStep.toString()}; sell it with an order`,
          'params.assets',
        )
      }
      return { asset, symbol, free, price: this.quoteOf(symbol).bid }
    })
    const now = this.clock.now()
    return plan.map(({ asset, symbol, free, price }) => {
      const worth = free.times(price)
      // Exact, unrounded, like every paper fee: the balance stays its start plus its fills.
      const fee = worth.times(PAPER_DUST_FEE_RATE)
      const received = worth.minus(fee)
      this.funds.adjust(asset, free.neg(), Decimal.ZERO)
      this.funds.adjust(target, received, Decimal.ZERO)
      return {
        asset,
        amount: free,
        target,
        received,
        fee,
        transferId: `paper-dust-${this.newOrderId()}`,
        time: now,
        valuedAt: { symbol, price },
      }
    })
  }

  cancelOrderSync(ref: { symbol: string; id: string }): VenueOrder {
    const row = this.paperOrder(ref)
    const status = row?.status ?? this.filledAtOnce(ref)?.status
    if (status === undefined) throw orderNotFound(ref)
    if (!row || status !== 'open') {
      throw new AppError('not_found', `Order ${ref.id} is not open on paper (it is ${status})`, 'params.id')
    }
    this.db.transaction(() => {
      // Canceling one leg of an OCO cancels the list, as on Binance.
      const legs =
        row.oco_group !== null
          ? [row, ...this.s.ocoSiblings.all(this.accountId, row.oco_group, row.id)]
          : [row]
      for (const leg of legs) this.finish(leg, 'canceled', this.clock.now())
    })()
    return this.fetchOrderSync(ref)
  }

  /**
   * Amends an open order in place; atomic on its own, like createOrderSync. Its client order id
   * stays. Priority follows Binance's rules for amending: a smaller amount keeps the order's place;
   * a new price or stop price, or a larger amount, loses it, and the order takes a new id from the
   * sequence, so it stands behind every order placed before the change (ids decide which of the
   * stops one price reaches gets the funds first). Funds are counted with what the order already
   * holds. A limit moved through the market fills at once, as taker, as a new order there would; a
   * stop moved to where the last price already triggers it is refused, as when placing one.
   */
  amendOrderSync(ref: { symbol: string; id: string }, change: OrderAmendment): VenueOrder {
    if (this.db.inTransaction) return this.runBatch(() => this.amendSync(ref, change))
    return this.db.transaction(() => this.runBatch(() => this.amendSync(ref, change)))()
  }

  /** Every check that can refuse comes before the first write (the released funds are the batch's, in memory). */
  private amendSync(ref: { symbol: string; id: string }, change: OrderAmendment): VenueOrder {
    const row = this.paperOrder(ref)
    if (!row || row.status !== 'open') {
      const status = row?.status ?? this.filledAtOnce(ref)?.status
      if (status === undefined) throw orderNotFound(ref)
      throw new AppError('not_found', `Order ${ref.id} is not open on paper (it is ${status})`, 'params.id')
    }
    const market = this.markets().get(row.symbol)
    if (!market) {
      const problem = this.marketsProblem?.()
      throw new AppError(
        problem === undefined ? 'invalid_order' : 'unavailable',
        problem ?? `Invalid symbol ${row.symbol} on paper`,
        'params.symbol',
      )
    }
    requirePositive('amount', change.amount)
    requirePositive('price', change.price)
    requirePositive('stopPrice', change.stopPrice)
    // A trailing stop's stop follows its water mark: only its distance could change, not its stop.
    const hasStop = row.stop_price !== null && row.type !== 'trailing_stop'
    if (change.price !== undefined && row.price === null)
      throw new AppError('invalid_order', `A ${row.type} order has no limit price`, 'params.price')
    if (change.stopPrice !== undefined && !hasStop)
      throw new AppError('invalid_order', `A ${row.type} order has no stop price to move`, 'params.stopPrice')
    const rowAmount = toDecimal(row.amount)
    const rowPrice = toOptionalDecimal(row.price)
    const rowStop = toOptionalDecimal(row.stop_price)
    const amount = change.amount ?? rowAmount
    const price = rowPrice === null ? null : (change.price ?? rowPrice)
    const stop = hasStop ? (change.stopPrice ?? rowStop) : rowStop
    const q = this.quoteOf(row.symbol)
    const now = this.clock.now()
    const dir = direction(row.type, row.side)
    if (hasStop && stop !== null && row.triggered === 0 && reached(dir, q.last, stop)) {
      throw new AppError(
        'invalid_order',
        `Stop price would trigger immediately: last ${q.last.toString()} is already ${dir === 'rise' ? 'at or above' : 'at or below'} ${stop.toString()}`,
        'params.stopPrice',
      )
    }
    const keepsPlace = sameOrNull(price, rowPrice) && sameOrNull(stop, rowStop) && amount.lte(rowAmount)
    this.releaseReserved(row)
    const asset = row.side === 'buy' ? market.quote : market.base
    // Only a limit on the book (a plain limit, or a triggered stop-limit) can take at once.
    const onBook = row.type === 'limit' || row.triggered === 1
    let fillAt: Decimal | null = null
    if (price !== null && onBook && this.marketable(row.side, price, q)) {
      const at = this.marketPrice(row.side, q, market.priceTick)
      fillAt = row.side === 'buy' ? Decimal.min(price, at) : Decimal.max(price, at)
    }
    const valuedAt =
      fillAt ??
      price ??
      conditionalReference({ ...triggerState(row), stopPrice: stop }, q.last, market.priceTick)
    const holds = row.side === 'buy' ? amount.times(valuedAt ?? q.last) : amount
    this.funds.requireFree(asset, holds)
    const next = withId(row, keepsPlace ? row.id : this.newOrderId())
    next.amount = amount.toString()
    next.price = price?.toString() ?? null
    next.stop_price = stop?.toString() ?? null
    next.updated_at = now
    next.reserved_asset = fillAt === null ? asset : null
    next.reserved = fillAt === null ? holds.toString() : '0'
    this.s.amendOrder.run({
      old: row.id,
      id: next.id,
      amount: next.amount,
      price: next.price,
      stop: next.stop_price,
      asset: next.reserved_asset,
      reserved: next.reserved,
      now,
    })
    if (fillAt !== null) return this.fill(next, market, fillAt, 'taker', now).order
    this.funds.reserve(asset, holds)
    return this.toVenueOrder(next, undefined, market)
  }

  /** Ends a resting order unfilled, releasing what it reserved. */
  private finish(row: PaperOrderRow, status: 'canceled' | 'expired', now: number): void {
    this.releaseReserved(row)
    this.s.finishOrder.run(status, row.filled, row.cost, now, row.id)
  }

  /** Gives back what a resting order holds (nothing, for one that holds nothing). */
  private releaseReserved(row: Pick<PaperOrderRow, 'reserved_asset' | 'reserved'>): void {
    if (row.reserved_asset !== null && row.reserved !== '0')
      this.funds.release(row.reserved_asset, toDecimal(row.reserved))
  }

  /**
   * Fills every resting order the current prices reach, in one transaction: limits the last
   * price traded through (maker, at their price), and orders whose trigger fired (triggers.ts):
   * stops, take-profits and trailing stops fill as market orders, stop-limits and
   * take-profit-limits become limits (taking at once if marketable). A trailing stop's moved
   * water mark is written and reported. An OCO leg that fills or fires expires the others.
   */
  tickSync(now: number, opts: LocalBatchOptions = {}): VenueUpdate[] {
    const quotes = new Map<string, Quote>()
    let reached: PaperOrderRow[] = []
    const moved: PaperOrderRow[] = []
    const markets = this.markets()
    for (const { symbol } of this.s.openSymbols.all(this.accountId)) {
      const q = this.prices.quote(symbol)
      if (!q) continue
      quotes.set(symbol, q)
      const last = q.last.toString()
      const rows = this.s.reached.all({ account: this.accountId, symbol, last })
      reached = reached.length === 0 ? rows : reached.concat(rows)
      const market = markets.get(symbol)
      if (!market) continue
      for (const row of this.s.waiting.all(this.accountId, symbol)) {
        const next = step(triggerState(row), q.last, market.priceTick)
        const waterMark = next.waterMark?.toString() ?? null
        const stopPrice = next.stopPrice?.toString() ?? null
        if (waterMark !== row.water_mark || stopPrice !== row.stop_price) {
          row.water_mark = waterMark
          row.stop_price = stopPrice
          moved.push(row)
        }
        if (next.fires) reached.push(row)
      }
    }
    if (reached.length === 0 && moved.length === 0) return []
    // In the order they were placed, across symbols: earlier stops get the funds first.
    if (reached.length > 1) reached.sort((a, b) => a.id - b.id)
    const updates: VenueUpdate[] = []
    this.db.transaction(() =>
      this.runBatch(() => {
        for (const row of moved) {
          this.s.setWaterMark.run(row.water_mark, row.stop_price, now, row.id)
          if (!reached.includes(row))
            updates.push({ order: this.toVenueOrder(row, undefined, markets.get(row.symbol)), trades: [] })
        }
        // Every limit order reached is closed at once; the loop below then moves the balances in
        // order and answers for each, without writing the orders again.
        const limits = reached.filter(
          (r) => (r.type === 'limit' || r.triggered === 1) && markets.has(r.symbol),
        )
        if (limits.length > 0) {
          const ids = JSON.stringify(limits.map((r) => r.id))
          this.s.fillLimitOrders.run({ account: this.accountId, ids, now })
        }
        const ended = new Set<number>()
        for (const row of reached) {
          const market = markets.get(row.symbol)
          const q = quotes.get(row.symbol)
          if (!market || !q || ended.has(row.id)) continue
          if (row.oco_group !== null) this.expireSiblings(row, now, ended, updates)
          if (row.type === 'limit' || row.triggered === 1) {
            updates.push(this.fill(row, market, toDecimal(row.price!), 'maker', now, true))
          } else if (firesAs(row.type) === 'limit') {
            updates.push(this.fireLimit(row, market, q, now))
          } else {
            updates.push(this.fireMarket(row, market, q, now))
          }
        }
      }, opts),
    )()
    return updates
  }

  /** Expires the other open legs of an OCO whose leg `row` fills or fires, releasing their funds. */
  private expireSiblings(row: PaperOrderRow, now: number, ended: Set<number>, updates: VenueUpdate[]): void {
    for (const other of this.s.ocoSiblings.all(this.accountId, row.oco_group!, row.id)) {
      this.finish(other, 'expired', now)
      ended.add(other.id)
      const order = this.toVenueOrder(this.s.orderById.get(this.accountId, other.id)!)
      updates.push({ order, trades: [] })
    }
  }

  /** A fired stop, take-profit or trailing stop: a market order now, or expired if the funds are gone. */
  private fireMarket(row: PaperOrderRow, market: VenueMarket, q: Quote, now: number): VenueUpdate {
    const price = this.marketPrice(row.side, q, market.priceTick)
    this.releaseReserved(row)
    const needAsset = row.side === 'buy' ? market.quote : market.base
    const amount = toDecimal(row.amount)
    const need = row.side === 'buy' ? amount.times(price) : amount
    if (!this.funds.hasFree(needAsset, need)) {
      this.s.finishOrder.run('expired', '0', '0', now, row.id)
      return { order: this.toVenueOrder(this.s.orderById.get(this.accountId, row.id)!), trades: [] }
    }
    return this.fill({ ...row, reserved_asset: null, reserved: '0' }, market, price, 'taker', now)
  }

  /** A fired stop-limit or take-profit-limit: takes at once if marketable, else rests as a limit. */
  private fireLimit(row: PaperOrderRow, market: VenueMarket, q: Quote, now: number): VenueUpdate {
    const limit = toDecimal(row.price!)
    if (!this.marketable(row.side, limit, q)) {
      this.s.setTriggered.run(now, row.id)
      row.triggered = 1
      return { order: this.toVenueOrder(row, undefined, market), trades: [] }
    }
    const at = this.marketPrice(row.side, q, market.priceTick)
    const price = row.side === 'buy' ? Decimal.min(limit, at) : Decimal.max(limit, at)
    this.releaseReserved(row)
    const needAsset = row.side === 'buy' ? market.quote : market.base
    const amount = toDecimal(row.amount)
    if (!this.funds.hasFree(needAsset, row.side === 'buy' ? amount.times(price) : amount)) {
      this.s.finishOrder.run('expired', '0', '0', now, row.id)
      return { order: this.toVenueOrder(this.s.orderById.get(this.accountId, row.id)!), trades: [] }
    }
    return this.fill({ ...row, reserved_asset: null, reserved: '0' }, market, price, 'taker', now)
  }

  /**
   * Forgets every order and trade and sets the balances to the starting ones: `balances` (one per
   * asset), else `startingAmount` of `asset`, else the settings' starting amount. The first of
   * them is recorded as the settings' starting asset and amount.
   */
  reset(
    opts: {
      startingAmount?: Decimal | undefined
      asset?: string | undefined
      balances?: readonly { asset: string; amount: Decimal }[] | undefined
    } = {},
  ): void {
    const now = this.clock.now()
    this.db.transaction(() => {
      // Its trades are fills: the ledger forgets those (the service resets both in one transaction).
      for (const table of ['paper_orders', 'paper_balances']) {
        this.db.prepare(`DELETE FROM ${table} WHERE account_id = ?`).run(this.accountId)
      }
      const list = opts.balances ?? [
        {
          asset: opts.asset ?? this.settingsCache.startingAsset,
          amount: opts.startingAmount ?? toDecimal(this.settingsCache.startingAmount),
        },
      ]
      const first = list[0]!
      recordPaperReset(this.db, this.accountId, first.asset, first.amount.toString(), now)
      for (const b of list) this.funds.set(b.asset, b.amount)
      this.settingsCache = {
        ...this.settingsCache,
        startingAsset: first.asset,
        startingAmount: first.amount.toString(),
      }
    })()
  }

  // ------------------------------------------------------------ internals

  private ensureSettings(defaults: PaperSettings): PaperSettings {
    const stored = loadPaperSettings(this.db, this.accountId)
    if (stored) return stored
    this.db.transaction(() => {
      insertPaperSettings(this.db, this.accountId, defaults, this.clock.now())
      this.funds.set(defaults.startingAsset, toDecimal(defaults.startingAmount))
    })()
    return defaults
  }

  private quoteOf(symbol: string): Quote {
    const q = this.prices.quote(symbol)
    if (!q || !q.bid.isPositive() || !q.ask.isPositive() || !q.last.isPositive()) {
      throw new AppError(
        'unavailable',
        this.prices.whyNoQuote?.(symbol) ?? `No price for ${symbol} right now; paper trading needs one`,
        'params.symbol',
      )
    }
    return q
  }

  /** The market's rate: `markets()` has already put the account's settings there unless fees are the market's. */
  private feeRate(role: 'taker' | 'maker', market: VenueMarket): Decimal {
    return role === 'maker' ? market.makerFee : market.takerFee
  }

  /** The best price moved against the trader by the slippage, then to the tick (up for buys, down for sells). */
  private marketPrice(side: OrderSide, q: Quote, tick: Decimal): Decimal {
    const slippage = this.slippage()
    if (slippage.isZero()) return side === 'buy' ? ceilTo(q.ask, tick) : floorTo(q.bid, tick)
    return side === 'buy'
      ? ceilTo(q.ask.plus(q.ask.times(slippage)), tick)
      : floorTo(q.bid.minus(q.bid.times(slippage)), tick)
  }

  /** The settings' slippage as a fraction, converted once per settings. */
  private slippage(): Decimal {
    const bps = this.settingsCache.slippageBps
    if (this.slippageCache?.bps !== bps) this.slippageCache = { bps, fraction: bpsToFraction(bps) }
    return this.slippageCache.fraction
  }

  private marketOf(symbol: string): VenueMarket {
    const market = this.markets().get(symbol)
    if (market) return market
    const problem = this.marketsProblem?.()
    if (problem !== undefined) throw new AppError('unavailable', problem, 'params.symbol')
    throw new AppError('invalid_order', `Invalid symbol ${symbol} on paper`, 'params.symbol')
  }

  /** A new order's row from its request (no id yet, nothing reserved). */
  private newRow(req: VenueOrderRequest, now: number): Omit<PaperOrderRow, 'id'> {
    return {
      account_id: this.accountId,
      client_order_id: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      amount: req.amount.toString(),
      price: req.type === 'limit' || firesAs(req.type) === 'limit' ? text(req.price) : null,
      stop_price: req.type !== 'limit' && req.type !== 'market' ? text(req.stopPrice) : null,
      status: 'open',
      filled: '0',
      cost: '0',
      reserved_asset: null,
      reserved: '0',
      created_at: now,
      updated_at: now,
      trailing_percent: req.type === 'trailing_stop' ? text(req.trailingPercent) : null,
      trailing_amount: req.type === 'trailing_stop' ? text(req.trailingAmount) : null,
      activation_price: req.type === 'trailing_stop' ? text(req.activationPrice) : null,
      water_mark: null,
      post_only: req.postOnly === true ? 1 : 0,
      oco_group: null,
      triggered: 0,
    }
  }

  /** Whether a limit at `limit` would take at once (a buy at or above the ask, a sell at or below the bid). */
  private marketable(side: OrderSide, limit: Decimal, q: Quote): boolean {
    return side === 'buy' ? limit.gte(q.ask) : limit.lte(q.bid)
  }

  /** A marketable limit: fills at once like a market order but never beyond its limit, as taker. */
  private fillMarketable(
    base: Omit<PaperOrderRow, 'id'>,
    market: VenueMarket,
    limit: Decimal,
    q: Quote,
    now: number,
  ): VenueOrder {
    const at = this.marketPrice(base.side, q, market.priceTick)
    const price = base.side === 'buy' ? Decimal.min(limit, at) : Decimal.max(limit, at)
    const amount = toDecimal(base.amount)
    this.funds.requireFree(
      base.side === 'buy' ? market.quote : market.base,
      base.side === 'buy' ? amount.times(price) : amount,
    )
    return this.fill(base, market, price, 'taker', now).order
  }

  /** An order of paper_orders: one that rests or rested, or any, outside the order path. */
  private paperOrder(ref: { id?: string; clientOrderId?: string }): PaperOrderRow | undefined {
    return ref.id !== undefined
      ? this.s.orderById.get(this.accountId, Number(ref.id))
      : ref.clientOrderId !== undefined
        ? this.s.orderByClientId.get(this.accountId, ref.clientOrderId)
        : undefined
  }

  /** An order filled the moment it was placed, as the order path recorded it (see the class comment). */
  private filledAtOnce(ref: { symbol: string; id?: string; clientOrderId?: string }): VenueOrder | undefined {
    const r =
      ref.id !== undefined
        ? this.s.ledgerOrderByExchangeId.get(this.accountId, ref.symbol, ref.id)
        : ref.clientOrderId !== undefined
          ? this.s.ledgerOrder.get(this.accountId, ref.clientOrderId)
          : undefined
    return r && r.exchange_order_id !== null
      ? filledAtOnceToVenue(r, this.tradesOf(r.symbol, r.exchange_order_id))
      : undefined
  }

  /** The next order id; during a batch counted in memory and written once at its end. */
  private newOrderId(): number {
    if (this.batch) {
      const id = this.batch.nextId ?? this.s.nextId.get()!.next_order_id
      this.batch.nextId = id + 1
      return id
    }
    const id = this.s.nextId.get()!.next_order_id
    this.s.setNextId.run(id + 1)
    return id
  }

  /**
   * Writes a new order; the unique (account, client order id) index refuses a reused id, as
   * Binance does ("Duplicate order sent."). Callers write it before moving any balance.
   */
  private insertOrder(row: PaperOrderRow): void {
    try {
      this.s.insertOrder.run(
        row.id,
        row.account_id,
        row.client_order_id,
        row.symbol,
        row.side,
        row.type,
        row.amount,
        row.price,
        row.stop_price,
        row.status,
        row.filled,
        row.cost,
        row.reserved_asset,
        row.reserved,
        row.created_at,
        row.updated_at,
        row.trailing_percent,
        row.trailing_amount,
        row.activation_price,
        row.water_mark,
        row.post_only,
        row.oco_group,
        row.triggered,
      )
    } catch (err) {
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new AppError('invalid_order', 'Duplicate order sent.', 'params.clientOrderId')
      throw err
    }
  }

  private rest(base: Omit<PaperOrderRow, 'id'>, market: VenueMarket, price: Decimal): PaperOrderRow {
    const asset = base.side === 'buy' ? market.quote : market.base
    const size = toDecimal(base.amount)
    const amount = base.side === 'buy' ? size.times(price) : size
    this.funds.requireFree(asset, amount)
    const row = withId(base, this.newOrderId())
    row.reserved_asset = asset
    row.reserved = amount.toString()
    this.insertOrder(row)
    this.funds.reserve(asset, amount)
    return row
  }

  /**
   * Fills an order in full at `price`; releases its reservation and moves the balances. A new
   * order (no id yet) is written once, already filled, rather than written open and then updated,
   * or not at all when the order path records it.
   */
  private fill(
    order: PaperOrderRow | Omit<PaperOrderRow, 'id'>,
    market: VenueMarket,
    price: Decimal,
    role: 'taker' | 'maker',
    now: number,
    /** The order's new state is already written, set-based (`fillLimitOrders`). */
    orderWritten = false,
  ): VenueUpdate {
    const rate = this.feeRate(role, market)
    const amount = toDecimal(order.amount)
    // Exact: the same product as fillLimitOrders' SQL (dec_mul), so both agree to the last unit.
    const cost = amount.times(price)
    const costText = cost.toString()
    const placed = 'id' in order
    const row = filledRow(order, placed ? order.id : this.newOrderId(), costText, now)
    if (placed) {
      if (!orderWritten) this.s.finishOrder.run('closed', order.amount, costText, now, row.id)
    } else if (!this.ledgerRecordsFills) {
      this.insertOrder(row)
    }
    // A fee is the rate times what it is charged on, exactly: no rounding, so every balance is
    // its start plus the sum of its fills to the last unit (an exchange rounds its fees; the
    // paper market keeps them whole, and shows them at the asset's places).
    let feeCost: Decimal
    let feeCurrency: string
    this.releaseReserved(order)
    if (row.side === 'buy') {
      if (this.feeCurrency === 'received') {
        feeCost = amount.times(rate)
        feeCurrency = market.base
        this.funds.adjust(market.quote, cost.neg(), Decimal.ZERO)
        this.funds.adjust(market.base, amount.minus(feeCost), Decimal.ZERO)
      } else {
        feeCost = cost.times(rate)
        feeCurrency = market.quote
        this.funds.adjust(market.quote, cost.plus(feeCost).neg(), Decimal.ZERO)
        this.funds.adjust(market.base, amount, Decimal.ZERO)
      }
    } else {
      feeCost = cost.times(rate)
      feeCurrency = market.quote
      this.funds.adjust(market.base, amount.neg(), Decimal.ZERO)
      this.funds.adjust(market.quote, cost.minus(feeCost), Decimal.ZERO)
    }
    // One trade per order, so the order's id is the trade's.
    const id = String(row.id)
    const trade: VenueTrade = {
      id,
      orderId: id,
      symbol: row.symbol,
      side: row.side,
      amount,
      price,
      cost,
      fee: { cost: feeCost, currency: feeCurrency },
      takerOrMaker: role,
      timestamp: now,
    }
    if (!this.ledgerRecordsFills) {
      insertFill(
        this.db,
        {
          accountId: this.accountId,
          tradeId: id,
          exchangeOrderId: id,
          clientOrderId: row.client_order_id,
          symbol: row.symbol,
          side: row.side,
          amount: row.amount,
          price: price.toString(),
          cost: costText,
          fee: { cost: feeCost.toString(), currency: feeCurrency },
          takerOrMaker: role,
          time: now,
        },
        now,
      )
    }
    // Filled in full by one trade at `price`: its average is that price, exactly (no quotient).
    const answer: VenueOrder = {
      id,
      clientOrderId: row.client_order_id,
      symbol: row.symbol,
      side: row.side,
      type: row.type,
      status: 'closed',
      amount,
      filled: amount,
      price: toOptionalDecimal(row.price),
      stopPrice: toOptionalDecimal(row.stop_price),
      average: price,
      timestamp: row.created_at,
      waterMark: toOptionalDecimal(row.water_mark),
      trades: [trade],
    }
    return { order: answer, trades: [trade] }
  }

  /**
   * The order as the venue answers for it, with its trades (read unless given). An order fills
   * once, in full, so one not filled has none to read (listing a book of thousands asked for
   * each).
   */
  private toVenueOrder(r: PaperOrderRow, trades?: VenueTrade[], market?: VenueMarket): VenueOrder {
    const tick = (market ?? this.markets().get(r.symbol))?.priceTick
    return toVenueOrder(r, trades ?? (r.filled !== '0' ? this.tradesOf(r.symbol, String(r.id)) : []), tick)
  }

  private tradesOf(symbol: string, orderId: string): VenueTrade[] {
    return this.s.tradesOf.all(this.accountId, symbol, orderId).map(toVenueTrade)
  }
}

/** What triggers.ts reads of a paper order. */
function triggerState(r: Omit<PaperOrderRow, 'id'>): TriggerState {
  return {
    type: r.type,
    side: r.side,
    stopPrice: toOptionalDecimal(r.stop_price),
    trailingPercent: toOptionalDecimal(r.trailing_percent),
    trailingAmount: toOptionalDecimal(r.trailing_amount),
    activationPrice: toOptionalDecimal(r.activation_price),
    waterMark: toOptionalDecimal(r.water_mark),
  }
}

function requirePositive(key: string, v: Decimal | undefined): void {
  if (v !== undefined && !v.isPositive()) {
    throw new AppError(
      'invalid_order',
      `${key} must be greater than zero, got ${v.toString()}`,
      `params.${key}`,
    )
  }
}

/** An optional Decimal as stored text. */
function text(v: Decimal | undefined): string | null {
  return v === undefined ? null : v.toString()
}

/** Two optional prices are the same (both absent, or equal). */
function sameOrNull(a: Decimal | null, b: Decimal | null): boolean {
  return a === null || b === null ? a === b : a.eq(b)
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn())
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)))
  }
}
