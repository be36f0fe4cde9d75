import { AppError } from '../../shared/contract/errors'
import type { OrderSide } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Db } from '../storage/database'
import { ceilTo, clean, floorTo, plain } from './decimal'
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
import type {
  BalanceLookup,
  LocalBatchOptions,
  LocalVenue,
  PriceSource,
  Quote,
  VenueBalance,
  VenueMarket,
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
 */
export class PaperVenue implements LocalVenue {
  readonly id = 'paper'
  readonly local = true as const
  readonly recvWindowMs = 0
  readonly canFetchByClientOrderId = true
  private readonly db: Db
  private readonly accountId: string
  private readonly clock: Clock
  private readonly prices: PriceSource
  private readonly catalog: () => Iterable<VenueMarket>
  private readonly feeCurrency: 'received' | 'quote'
  private readonly fees: 'settings' | 'market'
  private readonly marketsProblem: (() => string | undefined) | undefined
  private settingsCache: PaperSettings
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
        this.fees === 'market' ? m : { ...m, makerFee: makerFeeBps / 10_000, takerFee: takerFeeBps / 10_000 },
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
    const market = this.markets().get(req.symbol)
    if (!market) {
      const problem = this.marketsProblem?.()
      if (problem !== undefined) throw new AppError('unavailable', problem, 'params.symbol')
      throw new AppError('invalid_order', `Invalid symbol ${req.symbol} on paper`, 'params.symbol')
    }
    requirePositive('amount', req.amount)
    requirePositive('price', req.price)
    requirePositive('stopPrice', req.stopPrice)
    // A reused client order id is refused by the unique index when the order row is written,
    // which comes before any balance moves (see insertOrder).
    const q = this.quoteOf(req.symbol)
    const now = this.clock.now()
    const base: Omit<PaperOrderRow, 'id'> = {
      account_id: this.accountId,
      client_order_id: req.clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      amount: req.amount,
      price: req.type === 'limit' ? (req.price ?? null) : null,
      stop_price: req.type === 'stop' ? (req.stopPrice ?? null) : null,
      status: 'open',
      filled: 0,
      cost: 0,
      reserved_asset: null,
      reserved: 0,
      created_at: now,
      updated_at: now,
    }

    if (req.type === 'market') {
      const price = this.marketPrice(req.side, q, market.priceTick)
      this.funds.requireFree(
        req.side === 'buy' ? market.quote : market.base,
        req.side === 'buy' ? req.amount * price : req.amount,
      )
      return this.fill(base, market, price, 'taker', now).order
    }

    if (req.type === 'limit') {
      const limit = req.price
      if (limit === undefined)
        throw new AppError('invalid_order', 'A limit order needs a price', 'params.price')
      const marketable = req.side === 'buy' ? limit >= q.ask : limit <= q.bid
      if (marketable) {
        const at = this.marketPrice(req.side, q, market.priceTick)
        const price = req.side === 'buy' ? Math.min(limit, at) : Math.max(limit, at)
        this.funds.requireFree(
          req.side === 'buy' ? market.quote : market.base,
          req.side === 'buy' ? req.amount * price : req.amount,
        )
        return this.fill(base, market, price, 'taker', now).order
      }
      return this.toVenueOrder(this.rest(base, market, limit))
    }

    const stop = req.stopPrice
    if (stop === undefined)
      throw new AppError('invalid_order', 'A stop order needs a stop price', 'params.stopPrice')
    if (req.side === 'buy' ? q.last >= stop : q.last <= stop) {
      throw new AppError(
        'invalid_order',
        `Stop price would trigger immediately: last ${plain(q.last)} is already ${req.side === 'buy' ? 'at or above' : 'at or below'} ${plain(stop)}`,
        'params.stopPrice',
      )
    }
    return this.toVenueOrder(this.rest(base, market, stop))
  }

  cancelOrderSync(ref: { symbol: string; id: string }): VenueOrder {
    const row = this.paperOrder(ref)
    const status = row?.status ?? this.filledAtOnce(ref)?.status
    if (status === undefined) throw orderNotFound(ref)
    if (!row || status !== 'open') {
      throw new AppError('not_found', `Order ${ref.id} is not open on paper (it is ${status})`, 'params.id')
    }
    this.db.transaction(() => {
      if (row.reserved_asset !== null && row.reserved > 0)
        this.funds.release(row.reserved_asset, row.reserved)
      this.s.finishOrder.run('canceled', row.filled, row.cost, this.clock.now(), row.id)
    })()
    return this.fetchOrderSync(ref)
  }

  /** Fills every resting order the current prices reach, in one transaction. */
  tickSync(now: number, opts: LocalBatchOptions = {}): VenueUpdate[] {
    const quotes = new Map<string, Quote>()
    let reached: PaperOrderRow[] = []
    for (const { symbol } of this.s.openSymbols.all(this.accountId)) {
      const q = this.prices.quote(symbol)
      if (!q) continue
      quotes.set(symbol, q)
      const rows = this.s.reached.all({ account: this.accountId, symbol, last: q.last })
      reached = reached.length === 0 ? rows : reached.concat(rows)
    }
    if (reached.length === 0) return []
    // In the order they were placed, across symbols: earlier stops get the funds first.
    if (quotes.size > 1) reached.sort((a, b) => a.id - b.id)
    const markets = this.markets()
    const updates: VenueUpdate[] = []
    this.db.transaction(() =>
      this.runBatch(() => {
        // Every limit order reached is closed at once; the loop below then moves the balances in
        // order and answers for each, without writing the orders again.
        for (const [symbol, q] of quotes) {
          if (markets.has(symbol))
            this.s.fillLimitOrders.run({ account: this.accountId, symbol, last: q.last, now })
        }
        for (const row of reached) {
          const market = markets.get(row.symbol)
          const q = quotes.get(row.symbol)
          if (!market || !q) continue
          if (row.type === 'limit' && row.price !== null) {
            updates.push(this.fill(row, market, row.price, 'maker', now, true))
          } else if (row.type === 'stop' && row.stop_price !== null) {
            const price = this.marketPrice(row.side, q, market.priceTick)
            if (row.reserved_asset !== null) this.funds.release(row.reserved_asset, row.reserved)
            const needAsset = row.side === 'buy' ? market.quote : market.base
            const need = row.side === 'buy' ? row.amount * price : row.amount
            if (!this.funds.hasFree(needAsset, need)) {
              this.s.finishOrder.run('expired', 0, 0, now, row.id)
              updates.push({
                order: this.toVenueOrder(this.s.orderById.get(this.accountId, row.id)!),
                trades: [],
              })
              continue
            }
            updates.push(
              this.fill({ ...row, reserved_asset: null, reserved: 0 }, market, price, 'taker', now),
            )
          }
        }
      }, opts),
    )()
    return updates
  }

  /** Forgets every order and trade and sets the balance to the starting amount. */
  reset(opts: { startingAmount?: number | undefined; asset?: string | undefined } = {}): void {
    const now = this.clock.now()
    this.db.transaction(() => {
      // Its trades are fills: the ledger forgets those (the service resets both in one transaction).
      for (const table of ['paper_orders', 'paper_balances']) {
        this.db.prepare(`DELETE FROM ${table} WHERE account_id = ?`).run(this.accountId)
      }
      const asset = opts.asset ?? this.settingsCache.startingAsset
      const amount = opts.startingAmount ?? this.settingsCache.startingAmount
      recordPaperReset(this.db, this.accountId, asset, amount, now)
      this.funds.set(asset, amount)
      this.settingsCache = { ...this.settingsCache, startingAsset: asset, startingAmount: amount }
    })()
  }

  // ------------------------------------------------------------ internals

  private ensureSettings(defaults: PaperSettings): PaperSettings {
    const stored = loadPaperSettings(this.db, this.accountId)
    if (stored) return stored
    this.db.transaction(() => {
      insertPaperSettings(this.db, this.accountId, defaults, this.clock.now())
      this.funds.set(defaults.startingAsset, defaults.startingAmount)
    })()
    return defaults
  }

  private quoteOf(symbol: string): Quote {
    const q = this.prices.quote(symbol)
    if (!q || !(q.bid > 0) || !(q.ask > 0) || !(q.last > 0)) {
      throw new AppError(
        'unavailable',
        this.prices.whyNoQuote?.(symbol) ?? `No price for ${symbol} right now; paper trading needs one`,
        'params.symbol',
      )
    }
    return q
  }

  /** The market's rate: `markets()` has already put the account's settings there unless fees are the market's. */
  private feeRate(role: 'taker' | 'maker', market: VenueMarket): number {
    return role === 'maker' ? market.makerFee : market.takerFee
  }

  /** The best price moved against the trader by the slippage, then to the tick (up for buys, down for sells). */
  private marketPrice(side: OrderSide, q: Quote, tick: number): number {
    const slip = this.settingsCache.slippageBps / 10_000
    return side === 'buy' ? ceilTo(q.ask * (1 + slip), tick) : floorTo(q.bid * (1 - slip), tick)
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
      )
    } catch (err) {
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new AppError('invalid_order', 'Duplicate order sent.', 'params.clientOrderId')
      throw err
    }
  }

  private rest(base: Omit<PaperOrderRow, 'id'>, market: VenueMarket, price: number): PaperOrderRow {
    const asset = base.side === 'buy' ? market.quote : market.base
    const amount = base.side === 'buy' ? clean(base.amount * price) : base.amount
    this.funds.requireFree(asset, amount)
    const row = withId(base, this.newOrderId())
    row.reserved_asset = asset
    row.reserved = amount
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
    price: number,
    role: 'taker' | 'maker',
    now: number,
    /** The order's new state is already written, set-based (`fillLimitOrders`). */
    orderWritten = false,
  ): VenueUpdate {
    const rate = this.feeRate(role, market)
    const amount = order.amount
    // The same arithmetic as fillLimits' SQL (paper_clean is `clean`), so both agree to the bit.
    const cost = clean(amount * price)
    const placed = 'id' in order
    const row = filledRow(order, placed ? order.id : this.newOrderId(), cost, now)
    if (placed) {
      if (!orderWritten) this.s.finishOrder.run('closed', amount, cost, now, row.id)
    } else if (!this.ledgerRecordsFills) {
      this.insertOrder(row)
    }
    let feeCost: number
    let feeCurrency: string
    if (order.reserved_asset !== null && order.reserved > 0)
      this.funds.release(order.reserved_asset, order.reserved)
    if (row.side === 'buy') {
      if (this.feeCurrency === 'received') {
        feeCost = clean(amount * rate)
        feeCurrency = market.base
        this.funds.adjust(market.quote, -cost, 0)
        this.funds.adjust(market.base, amount - feeCost, 0)
      } else {
        feeCost = clean(cost * rate)
        feeCurrency = market.quote
        this.funds.adjust(market.quote, -(cost + feeCost), 0)
        this.funds.adjust(market.base, amount, 0)
      }
    } else {
      feeCost = clean(cost * rate)
      feeCurrency = market.quote
      this.funds.adjust(market.base, -amount, 0)
      this.funds.adjust(market.quote, cost - feeCost, 0)
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
          amount,
          price,
          cost,
          fee: trade.fee,
          takerOrMaker: role,
          time: now,
        },
        now,
      )
    }
    return { order: this.toVenueOrder(row, [trade]), trades: [trade] }
  }

  /**
   * The order as the venue answers for it, with its trades (read unless given). An order fills
   * once, in full, so one not filled has none to read (listing a book of thousands asked for
   * each).
   */
  private toVenueOrder(r: PaperOrderRow, trades?: VenueTrade[]): VenueOrder {
    return toVenueOrder(r, trades ?? (r.filled > 0 ? this.tradesOf(r.symbol, String(r.id)) : []))
  }

  private tradesOf(symbol: string, orderId: string): VenueTrade[] {
    return this.s.tradesOf.all(this.accountId, symbol, orderId).map(toVenueTrade)
  }
}

function requirePositive(key: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
    throw new AppError(
      'invalid_order',
      `${key} must be a positive finite number, got ${String(v)}`,
      `params.${key}`,
    )
  }
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn())
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)))
  }
}
