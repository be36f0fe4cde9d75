import type { Statement } from 'better-sqlite3'
import { AppError } from '../../shared/contract/errors'
import type { OrderSide, OrderType } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Db } from '../storage/database'
import { ceilTo, clean, floorTo, plain } from './decimal'
import type {
  BalanceLookup,
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

interface PaperTradeRow {
  id: number
  order_id: number
  symbol: string
  side: OrderSide
  amount: number
  price: number
  cost: number
  fee_cost: number
  fee_currency: string
  taker_or_maker: 'taker' | 'maker'
  time: number
}

/** Parameters of the set-based limit fills of one symbol. */
interface LimitFill {
  account: string
  symbol: string
  last: number
  now: number
  rate: number
  /** 1: buys pay their fee in base (`received`), 0: in quote. */
  feeInBase: number
  base: string
  quote: string
}

/** Connections `paper_clean` is registered on (an SQL function is per connection). */
const withPaperClean = new WeakSet<Db>()

/**
 * The paper exchange: the same port as a live exchange, over a price source, with its book
 * (orders, trades, balances) in SQLite so it survives restarts.
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
  /** Balances held in memory during runBatch. */
  private batch: { values: Map<string, { free: number; used: number }>; dirty: Set<string> } | null = null
  private readonly s: {
    balance: Statement<[string, string], { free: number; used: number }>
    balances: Statement<[string], { asset: string; free: number; used: number }>
    setBalance: Statement<[string, string, number, number]>
    insertOrder: Statement<unknown[]>
    orderById: Statement<[string, number], PaperOrderRow>
    orderByClientId: Statement<[string, string], PaperOrderRow>
    openOrders: Statement<[string], PaperOrderRow>
    openOrdersOf: Statement<[string, string], PaperOrderRow>
    openSymbols: Statement<[string], { symbol: string }>
    reached: Statement<[{ account: string; symbol: string; last: number }], PaperOrderRow>
    fillLimitTrades: Statement<[LimitFill], { id: number; order_id: number }>
    fillLimitOrders: Statement<[Pick<LimitFill, 'account' | 'symbol' | 'last' | 'now'>]>
    finishOrder: Statement<[VenueOrderStatus, number, number, number, number]>
    insertTrade: Statement<unknown[]>
    tradesOf: Statement<[string, number], PaperTradeRow>
    trades: Statement<[string, string, number, number], PaperTradeRow>
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
        `INSERT INTO paper_orders (account_id, client_order_id, symbol, side, type, amount, price, stop_price, status,
          filled, cost, reserved_asset, reserved, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      // A price move filling many resting limits writes them in two statements, not two per
      // order; the cost and fee are `fill`'s arithmetic (paper_clean is `clean`).
      fillLimitTrades: db.prepare(
        `INSERT INTO paper_trades (account_id, order_id, symbol, side, amount, price, cost, fee_cost, fee_currency,
           taker_or_maker, time)
         SELECT account_id, id, symbol, side, amount, price, paper_clean(amount * price),
           CASE WHEN side = 'buy' AND @feeInBase = 1 THEN paper_clean(amount * @rate)
                ELSE paper_clean(paper_clean(amount * price) * @rate) END,
           CASE WHEN side = 'buy' AND @feeInBase = 1 THEN @base ELSE @quote END,
           'maker', @now
         FROM paper_orders WHERE ${limitsReached} ORDER BY id
         RETURNING id, order_id`,
      ),
      fillLimitOrders: db.prepare(
        `UPDATE paper_orders SET status = 'closed', filled = amount, cost = paper_clean(amount * price), reserved = 0,
           updated_at = @now
         WHERE ${limitsReached}`,
      ),
      finishOrder: db.prepare(
        'UPDATE paper_orders SET status = ?, filled = ?, cost = ?, reserved = 0, updated_at = ? WHERE id = ?',
      ),
      insertTrade: db.prepare(
        `INSERT INTO paper_trades (account_id, order_id, symbol, side, amount, price, cost, fee_cost, fee_currency,
          taker_or_maker, time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      tradesOf: db.prepare('SELECT * FROM paper_trades WHERE account_id = ? AND order_id = ? ORDER BY id'),
      trades: db.prepare(
        'SELECT * FROM paper_trades WHERE account_id = ? AND symbol = ? AND time >= ? ORDER BY time, id LIMIT ?',
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
    return this.toVenueOrder(this.findOrder(ref))
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
  runBatch<T>(fn: () => T): T {
    if (this.batch) return fn()
    const values = new Map<string, { free: number; used: number }>()
    for (const r of this.s.balances.all(this.accountId)) values.set(r.asset, { free: r.free, used: r.used })
    this.batch = { values, dirty: new Set() }
    try {
      const result = fn()
      for (const asset of this.batch.dirty) this.writeBalance(asset, values.get(asset)!)
      return result
    } finally {
      this.batch = null
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
    const row = this.findOrder(ref)
    if (row.status !== 'open') {
      throw new AppError(
        'not_found',
        `Order ${ref.id} is not open on paper (it is ${row.status})`,
        'params.id',
      )
    }
    this.db.transaction(() => {
      if (row.reserved_asset !== null && row.reserved > 0) this.release(row.reserved_asset, row.reserved)
      this.s.finishOrder.run('canceled', row.filled, row.cost, this.clock.now(), row.id)
    })()
    return this.toVenueOrder(this.findOrder(ref))
  }

  /** Fills every resting order the current prices reach, in one transaction. */
  tickSync(now: number): VenueUpdate[] {
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
        // Every limit order reached is written at once; the loop below then moves the balances in
        // order and answers for each, without writing them again.
        const limitTrades = new Map<number, number>()
        for (const [symbol, q] of quotes) {
          const market = markets.get(symbol)
          if (!market) continue
          const which = { account: this.accountId, symbol, last: q.last, now }
          const feeInBase = this.feeCurrency === 'received' ? 1 : 0
          const fill = {
            ...which,
            rate: this.feeRate('maker', market),
            feeInBase,
            base: market.base,
            quote: market.quote,
          }
          for (const t of this.s.fillLimitTrades.all(fill)) limitTrades.set(t.order_id, t.id)
          this.s.fillLimitOrders.run(which)
        }
        for (const row of reached) {
          const market = markets.get(row.symbol)
          const q = quotes.get(row.symbol)
          if (!market || !q) continue
          const tradeId = limitTrades.get(row.id)
          if (row.type === 'limit' && row.price !== null && tradeId !== undefined) {
            updates.push(this.fill(row, market, row.price, 'maker', now, { tradeId }))
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
      }),
    )()
    return updates
  }

  /** Forgets every order and trade and sets the balance to the starting amount. */
  reset(opts: { startingAmount?: number | undefined; asset?: string | undefined } = {}): void {
    const now = this.clock.now()
    this.db.transaction(() => {
      for (const table of ['paper_orders', 'paper_trades', 'paper_balances']) {
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

  private findOrder(ref: { id?: string; clientOrderId?: string }): PaperOrderRow {
    const row =
      ref.id !== undefined
        ? this.s.orderById.get(this.accountId, Number(ref.id))
        : ref.clientOrderId !== undefined
          ? this.s.orderByClientId.get(this.accountId, ref.clientOrderId)
          : undefined
    if (!row)
      throw new AppError('not_found', `Order ${ref.id ?? ref.clientOrderId ?? '?'} does not exist on paper`)
    return row
  }

  /**
   * Writes a new order; the unique (account, client order id) index refuses a reused id, as
   * Binance does ("Duplicate order sent."). Callers write it before moving any balance.
   */
  private insertOrder(row: Omit<PaperOrderRow, 'id'>): number {
    let result: { lastInsertRowid: number | bigint }
    try {
      result = this.s.insertOrder.run(
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
    return Number(result.lastInsertRowid)
  }

  private rest(base: Omit<PaperOrderRow, 'id'>, market: VenueMarket, price: number): PaperOrderRow {
    const asset = base.side === 'buy' ? market.quote : market.base
    const amount = base.side === 'buy' ? clean(base.amount * price) : base.amount
    this.requireFree(asset, amount)
    const unsaved = { ...base, reserved_asset: asset, reserved: amount }
    const row: PaperOrderRow = { ...unsaved, id: this.insertOrder(unsaved) }
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
   * order (no id yet) is written once, already filled, rather than written open and then updated.
   */
  private fill(
    order: PaperOrderRow | Omit<PaperOrderRow, 'id'>,
    market: VenueMarket,
    price: number,
    role: 'taker' | 'maker',
    now: number,
    /** The trade (and the order's new state) are already written, set-based (`fillLimits`). */
    written?: { tradeId: number },
  ): VenueUpdate {
    const rate = this.feeRate(role, market)
    const amount = order.amount
    // The same arithmetic as fillLimits' SQL (paper_clean is `clean`), so both agree to the bit.
    const cost = clean(amount * price)
    let row: PaperOrderRow
    if ('id' in order) {
      row = { ...order, status: 'closed', filled: amount, cost, reserved: 0, updated_at: now }
      if (!written) this.s.finishOrder.run('closed', amount, cost, now, row.id)
    } else {
      // Written once, already filled; its id is the row's.
      row = { ...order, id: 0, status: 'closed', filled: amount, cost, reserved: 0, updated_at: now }
      row.id = this.insertOrder(row)
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
    const tradeId =
      written?.tradeId ??
      Number(
        this.s.insertTrade.run(
          this.accountId,
          row.id,
          row.symbol,
          row.side,
          amount,
          price,
          cost,
          feeCost,
          feeCurrency,
          role,
          now,
        ).lastInsertRowid,
      )
    const trade: VenueTrade = {
      id: String(tradeId),
      orderId: String(row.id),
      symbol: row.symbol,
      side: row.side,
      amount,
      price,
      cost,
      fee: { cost: feeCost, currency: feeCurrency },
      takerOrMaker: role,
      timestamp: now,
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
      trades: trades ?? this.s.tradesOf.all(this.accountId, r.id).map((t) => this.toVenueTrade(t)),
    }
  }

  private toVenueTrade(t: PaperTradeRow): VenueTrade {
    return {
      id: String(t.id),
      orderId: String(t.order_id),
      symbol: t.symbol,
      side: t.side,
      amount: t.amount,
      price: t.price,
      cost: t.cost,
      fee: { cost: t.fee_cost, currency: t.fee_currency },
      takerOrMaker: t.taker_or_maker,
      timestamp: t.time,
    }
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
