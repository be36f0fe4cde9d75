import type { Statement } from 'better-sqlite3'
import { AppError } from '../../shared/contract/errors'
import type { OrderSide, OrderType } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Db } from '../storage/database'
import { ceilTo, clean, floorTo, plain } from './decimal'
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
  VenueOrderStatus,
  VenueTrade,
  VenueUpdate,
} from './venue'

export interface PaperSettings {
  /** The asset the account starts with and is reset to (USDT). */
  startingAsset: string
  startingAmount: number
  makerFeeBps: number
  takerFeeBps: number
  /** Market (and triggered stop) orders fill this far beyond the best bid/ask. */
  slippageBps: number
}

export const DEFAULT_PAPER_SETTINGS: PaperSettings = {
  startingAsset: 'USDT',
  startingAmount: 10_000,
  makerFeeBps: 10,
  takerFeeBps: 10,
  slippageBps: 5,
}

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

interface PaperOrderRow {
  id: number
  account_id: string
  client_order_id: string
  symbol: string
  side: OrderSide
  type: OrderType
  amount: number
  price: number | null
  stop_price: number | null
  status: VenueOrderStatus
  filled: number
  cost: number
  reserved_asset: string | null
  reserved: number
  created_at: number
  updated_at: number
}

/** A trade as trading_fills holds it (the columns a VenueTrade needs). */
interface TradeRow {
  trade_id: string
  exchange_order_id: string
  symbol: string
  side: OrderSide
  amount: number
  price: number
  cost: number
  fee_cost: number | null
  fee_currency: string | null
  taker_or_maker: 'taker' | 'maker' | null
  time: number
}

/** Parameters of the set-based limit fills of one symbol. */
interface LimitFill {
  account: string
  symbol: string
  last: number
  now: number
}

/** Connections `paper_clean` is registered on (an SQL function is per connection). */
const withPaperClean = new WeakSet<Db>()

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
  /** Balances (and the next order id, once asked for) held in memory during runBatch. */
  private batch: {
    values: Map<string, { free: number; used: number }>
    dirty: Set<string>
    nextId: number | null
  } | null = null
  /** True while the caller's transaction records this venue's trades (see the class comment). */
  private ledgerRecordsFills = false
  private readonly s: {
    balance: Statement<[string, string], { free: number; used: number }>
    balances: Statement<[string], { asset: string; free: number; used: number }>
    setBalance: Statement<[string, string, number, number]>
    insertOrder: Statement<unknown[]>
    nextId: Statement<[], { next_order_id: number }>
    setNextId: Statement<[number]>
    ledgerOrder: Statement<[string, string], LedgerOrderRow>
    ledgerOrderByExchangeId: Statement<[string, string, string], LedgerOrderRow>
    orderById: Statement<[string, number], PaperOrderRow>
    orderByClientId: Statement<[string, string], PaperOrderRow>
    openOrders: Statement<[string], PaperOrderRow>
    openOrdersOf: Statement<[string, string], PaperOrderRow>
    openSymbols: Statement<[string], { symbol: string }>
    reached: Statement<[{ account: string; symbol: string; last: number }], PaperOrderRow>
    fillLimitOrders: Statement<[LimitFill]>
    finishOrder: Statement<[VenueOrderStatus, number, number, number, number]>
    tradesOf: Statement<[string, string, string], TradeRow>
    trades: Statement<[string, string, number, number], TradeRow>
  }

  constructor(opts: PaperVenueOptions) {
    this.db = opts.db
    this.accountId = opts.accountId
    this.clock = opts.clock
    this.prices = opts.prices
    this.catalog = opts.markets
    this.feeCurrency = opts.feeCurrency ?? 'received'
    this.fees = opts.fees ?? 'settings'
    this.marketsProblem = opts.marketsProblem
    const db = this.db
    if (!withPaperClean.has(db)) {
      db.function('paper_clean', { deterministic: true }, (x: unknown) => clean(Number(x)))
      withPaperClean.add(db)
    }
    // The limit orders of one symbol its last price has traded through.
    const limitsReached = `account_id = @account AND symbol = @symbol AND status = 'open' AND type = 'limit'
      AND ((side = 'buy' AND price > @last) OR (side = 'sell' AND price < @last))`
    this.s = {
      balance: db.prepare('SELECT free, used FROM paper_balances WHERE account_id = ? AND asset = ?'),
      balances: db.prepare(
        'SELECT asset, free, used FROM paper_balances WHERE account_id = ? ORDER BY asset',
      ),
      setBalance: db.prepare(
        `INSERT INTO paper_balances (account_id, asset, free, used) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, asset) DO UPDATE SET free = excluded.free, used = excluded.used`,
      ),
      insertOrder: db.prepare(
        `INSERT INTO paper_orders (id, account_id, client_order_id, symbol, side, type, amount, price, stop_price,
          status, filled, cost, reserved_asset, reserved, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      nextId: db.prepare('SELECT next_order_id FROM paper_sequence'),
      setNextId: db.prepare('UPDATE paper_sequence SET next_order_id = ?'),
      // Orders filled the moment they were placed, as the order path recorded them.
      ledgerOrder: db.prepare(
        `SELECT ${LEDGER_ORDER_COLUMNS} FROM trading_orders
         WHERE account_id = ? AND client_order_id = ? AND exchange_order_id IS NOT NULL`,
      ),
      ledgerOrderByExchangeId: db.prepare(
        `SELECT ${LEDGER_ORDER_COLUMNS} FROM trading_orders
         WHERE account_id = ? AND symbol = ? AND exchange_order_id = ?`,
      ),
      orderById: db.prepare('SELECT * FROM paper_orders WHERE account_id = ? AND id = ?'),
      orderByClientId: db.prepare('SELECT * FROM paper_orders WHERE account_id = ? AND client_order_id = ?'),
      openOrders: db.prepare(
        "SELECT * FROM paper_orders WHERE account_id = ? AND status = 'open' ORDER BY id",
      ),
      openOrdersOf: db.prepare(
        "SELECT * FROM paper_orders WHERE account_id = ? AND symbol = ? AND status = 'open' ORDER BY id",
      ),
      openSymbols: db.prepare(
        "SELECT DISTINCT symbol FROM paper_orders WHERE account_id = ? AND status = 'open'",
      ),
      // The open orders of a symbol its last price reaches: limits traded through, stops
      // triggered. The rest of the book is never read into JS.
      reached: db.prepare(
        `SELECT * FROM paper_orders WHERE account_id = @account AND symbol = @symbol AND status = 'open' AND (
           (type = 'limit' AND ((side = 'buy' AND price > @last) OR (side = 'sell' AND price < @last)))
           OR (type = 'stop' AND ((side = 'buy' AND stop_price <= @last) OR (side = 'sell' AND stop_price >= @last))))
         ORDER BY id`,
      ),
      // A price move filling many resting limits closes them in one statement, not one per
      // order; the cost is `fill`'s arithmetic (paper_clean is `clean`).
      fillLimitOrders: db.prepare(
        `UPDATE paper_orders SET status = 'closed', filled = amount, cost = paper_clean(amount * price), reserved = 0,
           updated_at = @now
         WHERE ${limitsReached}`,
      ),
      finishOrder: db.prepare(
        'UPDATE paper_orders SET status = ?, filled = ?, cost = ?, reserved = 0, updated_at = ? WHERE id = ?',
      ),
      tradesOf: db.prepare(
        `SELECT ${TRADE_COLUMNS} FROM trading_fills
         WHERE account_id = ? AND symbol = ? AND exchange_order_id = ? ORDER BY time, rowid`,
      ),
      trades: db.prepare(
        `SELECT ${TRADE_COLUMNS} FROM trading_fills
         WHERE account_id = ? AND symbol = ? AND time >= ? ORDER BY time, rowid LIMIT ?`,
      ),
    }
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
    throw notFound(ref)
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

  fetchMyTrades(symbol: string, since = 0, limit = 1000): Promise<VenueTrade[]> {
    return settle(() =>
      this.s.trades.all(this.accountId, symbol, since, limit).map((t) => this.toVenueTrade(t)),
    )
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
    return this.lookup
  }

  /** One balance on demand: a batch validates each order against one asset, not all of them. */
  private readonly lookup: BalanceLookup = {
    get: (asset) => {
      const b = this.batch ? this.batch.values.get(asset) : this.s.balance.get(this.accountId, asset)
      return b && { free: clean(b.free), used: clean(b.used), total: clean(b.free + b.used) }
    },
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
    const out = new Map<string, VenueBalance>()
    const rows = this.batch
      ? this.batch.values
      : this.s.balances.all(this.accountId).map((r) => [r.asset, r] as const)
    for (const [asset, b] of rows) {
      out.set(asset, { free: clean(b.free), used: clean(b.used), total: clean(b.free + b.used) })
    }
    return out
  }

  /**
   * Runs `fn` with the account's balances held in memory (read once) and the changed ones
   * written once at the end: a tick filling many orders, or a batch of orders, touches each
   * balance row once instead of once per fill. Must run inside a transaction so that a failure
   * discards both.
   */
  runBatch<T>(fn: () => T, opts: LocalBatchOptions = {}): T {
    if (this.batch) return fn()
    const values = new Map<string, { free: number; used: number }>()
    for (const r of this.s.balances.all(this.accountId)) values.set(r.asset, { free: r.free, used: r.used })
    this.batch = { values, dirty: new Set(), nextId: null }
    this.ledgerRecordsFills = opts.ledgerRecordsFills === true && this.db.inTransaction
    try {
      const result = fn()
      for (const asset of this.batch.dirty) this.writeBalance(asset, values.get(asset)!)
      if (this.batch.nextId !== null) this.s.setNextId.run(this.batch.nextId)
      return result
    } finally {
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
      this.requireFree(
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
        this.requireFree(
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
    if (status === undefined) throw notFound(ref)
    if (!row || status !== 'open') {
      throw new AppError('not_found', `Order ${ref.id} is not open on paper (it is ${status})`, 'params.id')
    }
    this.db.transaction(() => {
      if (row.reserved_asset !== null && row.reserved > 0) this.release(row.reserved_asset, row.reserved)
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
            if (row.reserved_asset !== null) this.release(row.reserved_asset, row.reserved)
            const needAsset = row.side === 'buy' ? market.quote : market.base
            const need = row.side === 'buy' ? row.amount * price : row.amount
            if (!this.hasFree(needAsset, need)) {
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
      this.db
        .prepare(
          'UPDATE paper_settings SET starting_asset = ?, starting_amount = ?, reset_at = ? WHERE account_id = ?',
        )
        .run(asset, amount, now, this.accountId)
      this.s.setBalance.run(this.accountId, asset, amount, 0)
      this.settingsCache = { ...this.settingsCache, startingAsset: asset, startingAmount: amount }
    })()
  }

  // ------------------------------------------------------------ internals

  private ensureSettings(defaults: PaperSettings): PaperSettings {
    const row = this.db
      .prepare<
        [string],
        {
          starting_asset: string
          starting_amount: number
          maker_fee_bps: number
          taker_fee_bps: number
          slippage_bps: number
        }
      >('SELECT * FROM paper_settings WHERE account_id = ?')
      .get(this.accountId)
    if (row) {
      return {
        startingAsset: row.starting_asset,
        startingAmount: row.starting_amount,
        makerFeeBps: row.maker_fee_bps,
        takerFeeBps: row.taker_fee_bps,
        slippageBps: row.slippage_bps,
      }
    }
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO paper_settings (account_id, starting_asset, starting_amount, maker_fee_bps, taker_fee_bps, slippage_bps, reset_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          this.accountId,
          defaults.startingAsset,
          defaults.startingAmount,
          defaults.makerFeeBps,
          defaults.takerFeeBps,
          defaults.slippageBps,
          this.clock.now(),
        )
      this.s.setBalance.run(this.accountId, defaults.startingAsset, defaults.startingAmount, 0)
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
    if (!r || r.exchange_order_id === null || r.status !== 'filled') return undefined
    return {
      id: r.exchange_order_id,
      clientOrderId: r.client_order_id,
      symbol: r.symbol,
      side: r.side,
      type: r.type,
      status: 'closed',
      amount: r.amount,
      filled: r.filled,
      price: r.price,
      stopPrice: r.stop_price,
      average: r.average,
      timestamp: r.created_at,
      trades: this.s.tradesOf
        .all(this.accountId, r.symbol, r.exchange_order_id)
        .map((t) => this.toVenueTrade(t)),
    }
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
    this.requireFree(asset, amount)
    const row = withId(base, this.newOrderId())
    row.reserved_asset = asset
    row.reserved = amount
    this.insertOrder(row)
    this.reserve(asset, amount)
    return row
  }

  private balanceOf(asset: string): { free: number; used: number } {
    if (this.batch) {
      let held = this.batch.values.get(asset)
      if (!held) this.batch.values.set(asset, (held = { free: 0, used: 0 }))
      return held
    }
    return this.s.balance.get(this.accountId, asset) ?? { free: 0, used: 0 }
  }

  private writeBalance(asset: string, b: { free: number; used: number }): void {
    // Clamp dust: sums of doubles may leave -1e-13 where the true value is 0.
    const free = clean(b.free)
    const used = clean(b.used)
    this.s.setBalance.run(
      this.accountId,
      asset,
      Math.abs(free) < 1e-12 ? 0 : free,
      Math.abs(used) < 1e-12 ? 0 : used,
    )
  }

  private hasFree(asset: string, amount: number): boolean {
    const free = this.balanceOf(asset).free
    return amount <= free * (1 + 1e-12) + 1e-12
  }

  private requireFree(asset: string, amount: number): void {
    if (!this.hasFree(asset, amount)) {
      throw new AppError(
        'insufficient_funds',
        `Account has insufficient balance for requested action: needs ${plain(amount, 8)} ${asset}, ${plain(this.balanceOf(asset).free, 8)} free`,
      )
    }
  }

  private adjust(asset: string, dFree: number, dUsed: number): void {
    const b = this.balanceOf(asset)
    if (this.batch) {
      b.free += dFree
      b.used += dUsed
      this.batch.dirty.add(asset)
    } else {
      this.writeBalance(asset, { free: b.free + dFree, used: b.used + dUsed })
    }
  }

  private reserve(asset: string, amount: number): void {
    this.adjust(asset, -amount, amount)
  }

  private release(asset: string, amount: number): void {
    this.adjust(asset, amount, -amount)
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
      this.release(order.reserved_asset, order.reserved)
    if (row.side === 'buy') {
      if (this.feeCurrency === 'received') {
        feeCost = clean(amount * rate)
        feeCurrency = market.base
        this.adjust(market.quote, -cost, 0)
        this.adjust(market.base, amount - feeCost, 0)
      } else {
        feeCost = clean(cost * rate)
        feeCurrency = market.quote
        this.adjust(market.quote, -(cost + feeCost), 0)
        this.adjust(market.base, amount, 0)
      }
    } else {
      feeCost = clean(cost * rate)
      feeCurrency = market.quote
      this.adjust(market.base, -amount, 0)
      this.adjust(market.quote, cost - feeCost, 0)
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

  private toVenueOrder(r: PaperOrderRow, trades?: VenueTrade[]): VenueOrder {
    return {
      id: String(r.id),
      clientOrderId: r.client_order_id,
      symbol: r.symbol,
      side: r.side,
      type: r.type,
      status: r.status,
      amount: r.amount,
      filled: r.filled,
      price: r.price,
      stopPrice: r.stop_price,
      average: r.filled > 0 ? clean(r.cost / r.filled) : null,
      timestamp: r.created_at,
      trades:
        trades ??
        this.s.tradesOf.all(this.accountId, r.symbol, String(r.id)).map((t) => this.toVenueTrade(t)),
    }
  }

  private toVenueTrade(t: TradeRow): VenueTrade {
    return {
      id: t.trade_id,
      orderId: t.exchange_order_id,
      symbol: t.symbol,
      side: t.side,
      amount: t.amount,
      price: t.price,
      cost: t.cost,
      fee:
        t.fee_cost !== null && t.fee_currency !== null
          ? { cost: t.fee_cost, currency: t.fee_currency }
          : null,
      takerOrMaker: t.taker_or_maker ?? 'taker',
      timestamp: t.time,
    }
  }
}

/*
 * Rows are spelled out field by field below: on the hot path, `{ ...row, status }` (a spread
 * with overrides) made objects V8 reads slowly, which cost a fifth of a paper fill.
 */

/** `order` with its id. */
function withId(o: Omit<PaperOrderRow, 'id'>, id: number): PaperOrderRow {
  return {
    id,
    account_id: o.account_id,
    client_order_id: o.client_order_id,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    amount: o.amount,
    price: o.price,
    stop_price: o.stop_price,
    status: o.status,
    filled: o.filled,
    cost: o.cost,
    reserved_asset: o.reserved_asset,
    reserved: o.reserved,
    created_at: o.created_at,
    updated_at: o.updated_at,
  }
}

/** `order` filled in full at `cost`, its reservation released. */
function filledRow(o: Omit<PaperOrderRow, 'id'>, id: number, cost: number, now: number): PaperOrderRow {
  const row = withId(o, id)
  row.status = 'closed'
  row.filled = o.amount
  row.cost = cost
  row.reserved = 0
  row.updated_at = now
  return row
}

interface LedgerOrderRow {
  client_order_id: string
  exchange_order_id: string | null
  symbol: string
  side: OrderSide
  type: OrderType
  amount: number
  price: number | null
  stop_price: number | null
  status: string
  filled: number
  average: number | null
  created_at: number
}

const LEDGER_ORDER_COLUMNS =
  'client_order_id, exchange_order_id, symbol, side, type, amount, price, stop_price, status, filled, average, created_at'

function notFound(ref: { id?: string; clientOrderId?: string }): AppError {
  return new AppError('not_found', `Order ${ref.id ?? ref.clientOrderId ?? '?'} does not exist on paper`)
}

const TRADE_COLUMNS =
  'trade_id, exchange_order_id, symbol, side, amount, price, cost, fee_cost, fee_currency, taker_or_maker, time'

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
