import { Account, type BalanceInit } from './accounts'
import type { Level } from './book'
import {
  divUnits,
  feeOf,
  floorTo,
  maxUnits,
  minUnits,
  mulUnits,
  roundTo,
  unitsFromNumber,
  type Units,
} from './decimal'
import { err } from './errors'
import type { MarketData } from './market-data'
import { MAX_ALGO_ORDERS, MAX_OPEN_ORDERS, type Market, type OrderType } from './markets'
import { ocoPriceError, type NewOrderList, type OrderList } from './order-lists'
import { isOpen, type Fill, type NewOrder, type Order, type Side } from './orders'
import { hash32 } from './rng'

export interface EngineOptions {
  /** Maker and taker commission in basis points (Binance's default tier: 10 = 0.1%). */
  feeBps: number
  /**
   * When a client order id may be used again. 'filled' is Binance's documented rule (an id is
   * free again once its order is FILLED); 'never' (the default) also refuses ids of filled
   * orders, so a duplicated delivery can never create a second order, whatever the first became.
   */
  clientOrderIdReuse: 'never' | 'filled'
  /**
   * How resting limit orders fill when the price reaches them: all at once, or `fraction` of
   * the original quantity per matching pass (partial fills over time).
   */
  limitFills: { mode: 'full' | 'partial'; fraction: number }
  /** Matching passes happen at multiples of this many milliseconds of simulator time. */
  matchEveryMs: number
  /**
   * False: no passes as time goes by, only explicit `tick()`s (tests that count partial fills
   * pass by pass use this). Default true.
   */
  timeDriven?: boolean
}

/**
 * One change of an order, as Binance's user data stream reports it (executionReport's `x`):
 * `order` is a copy as of this event (status, executed quantities), `fill` the trade of a TRADE.
 */
export interface OrderEvent {
  execution: 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED'
  order: Readonly<Order>
  fill?: Fill
  time: number
}

export type OrderListener = (e: OrderEvent) => void

export interface PlaceResult {
  order: Order
  fills: Fill[]
}

/** Which order a query or cancel means. */
export interface OrderRef {
  orderId?: number
  origClientOrderId?: string
}

interface Take {
  price: Units
  qty: Units
}

/** Catch-up after a long idle stretch is capped (one day of one-second passes). */
const MAX_CATCH_UP_PASSES = 86_400
const STOP_TYPES: readonly OrderType[] = ['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export const isStopType = (t: OrderType): boolean => STOP_TYPES.includes(t)
const isLimitStop = (t: OrderType): boolean => t === 'STOP_LOSS_LIMIT' || t === 'TAKE_PROFIT_LIMIT'

/**
 * Walks one side of the book as a taker: up to `limit` if given, for `qty` base units or until
 * `budget` quote units are spent (quoteOrderQty), each level's take rounded down to the lot step.
 * `exhausted` tells that liquidity ran out before the order was satisfied.
 */
function walk(
  levels: Iterable<Level>,
  side: Side,
  want: { limit?: Units; qty?: Units; budget?: Units; step: Units },
): { takes: Take[]; exhausted: boolean } {
  const takes: Take[] = []
  let qtyLeft = want.qty
  let budgetLeft = want.budget
  let n = 0
  for (const level of levels) {
    if (++n > 10_000) break
    if (want.limit !== undefined && (side === 'BUY' ? level.price > want.limit : level.price < want.limit)) {
      return { takes, exhausted: false }
    }
    let take: Units
    if (budgetLeft !== undefined) {
      take = minUnits(level.qty, floorTo(divUnits(budgetLeft, level.price), want.step))
      if (take <= 0n) return { takes, exhausted: false }
      budgetLeft -= mulUnits(level.price, take)
    } else {
      take = minUnits(level.qty, qtyLeft ?? 0n)
      qtyLeft = (qtyLeft ?? 0n) - take
    }
    takes.push({ price: level.price, qty: take })
    if (qtyLeft !== undefined && qtyLeft <= 0n) return { takes, exhausted: false }
  }
  return { takes, exhausted: true }
}

/** Keeps only the first `cap` base units of a walk (the partial-fill fault). */
function trim(takes: readonly Take[], cap: Units): Take[] {
  const out: Take[] = []
  let left = cap
  for (const t of takes) {
    if (left <= 0n) break
    const qty = minUnits(t.qty, left)
    out.push({ price: t.price, qty })
    left -= qty
  }
  return out
}

const sumQty = (takes: readonly Take[]): Units => takes.reduce((a, t) => a + t.qty, 0n)
const sumCost = (takes: readonly Take[]): Units => takes.reduce((a, t) => a + mulUnits(t.price, t.qty), 0n)

/**
 * The matching engine and the books of every account: order placement against the synthetic
 * book (taker fills), resting orders filled by later matching passes as the price moves (maker
 * fills at the limit price), stop and trailing-stop triggers, commissions in the received asset,
 * and locked/free balances. Every method runs synchronously, so each request is atomic.
 */
export class Engine {
  readonly accounts = new Map<string, Account>()
  private orders: Order[] = []
  private lists: OrderList[] = []
  private open = new Set<Order>()
  private fills: Fill[] = []
  private nextOrderId = 0
  private nextTradeId = 0
  private nextClientId = 0
  private nextListId = 0
  private lastPass: number
  private readonly listeners = new Set<OrderListener>()

  constructor(
    private readonly data: MarketData,
    readonly opts: EngineOptions,
    private readonly seed: number,
    now: number,
  ) {
    this.lastPass = Math.floor(now / opts.matchEveryMs)
    this.reset(now)
  }

  reset(now: number): void {
    this.orders = []
    this.lists = []
    this.open = new Set()
    this.fills = []
    // Ids start high and seed-dependent, like real ids, and never collide with small test numbers.
    this.nextOrderId = 3_000_000_000 + (hash32(this.seed, 1) % 1_000_000)
    this.nextTradeId = 300_000_000 + (hash32(this.seed, 2) % 1_000_000)
    this.nextClientId = 0
    this.nextListId = 7_000 + (hash32(this.seed, 3) % 1_000)
    this.lastPass = Math.floor(now / this.opts.matchEveryMs)
    for (const a of this.accounts.values()) a.reset(now)
  }

  /** Calls `fn` with every order event (placements, fills, cancels, expiries); returns the unsubscribe. */
  onOrderEvent(fn: OrderListener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private emit(
    execution: OrderEvent['execution'],
    order: Order,
    time: number,
    fill?: Fill,
    progress?: Pick<Order, 'status' | 'executedQty' | 'cumQuote'>,
  ): void {
    if (this.listeners.size === 0) return
    const e: OrderEvent = { execution, order: { ...order, ...progress }, time, ...(fill ? { fill } : {}) }
    for (const fn of this.listeners) fn(e)
  }

  /**
   * NEW, then one TRADE per fill with the executed quantities as of that fill, then EXPIRED when
   * the order ended that way: the events of fills that already happened, in Binance's order.
   */
  private emitFills(order: Order, fills: readonly Fill[], time: number, withNew: boolean): void {
    if (this.listeners.size === 0) return
    const before = fills.reduce((a, f) => a + f.qty, 0n)
    const beforeQuote = fills.reduce((a, f) => a + f.quoteQty, 0n)
    let executedQty = order.executedQty - before
    let cumQuote = order.cumQuote - beforeQuote
    if (withNew) this.emit('NEW', order, time, undefined, { status: 'NEW', executedQty, cumQuote })
    fills.forEach((f, i) => {
      executedQty += f.qty
      cumQuote += f.quoteQty
      const last = i === fills.length - 1
      const status = last && order.status === 'FILLED' ? 'FILLED' : 'PARTIALLY_FILLED'
      this.emit('TRADE', order, f.time, f, { status, executedQty, cumQuote })
    })
    if (order.status === 'EXPIRED') this.emit('EXPIRED', order, time)
  }

  addAccount(apiKey: string, secret: string, balances: BalanceInit, now: number): Account {
    const account = new Account(apiKey, secret, 100_000_000 + this.accounts.size + 1, balances, now)
    this.accounts.set(apiKey, account)
    return account
  }

  /** A fresh id in Binance's style (22 base-62 characters). */
  generateClientId(): string {
    const n = ++this.nextClientId
    let s = ''
    for (let i = 0; i < 22; i++) s += BASE62[hash32(this.seed, 7, n, i) % 62]
    return s
  }

  allOrders(): readonly Order[] {
    return this.orders
  }

  allFills(): readonly Fill[] {
    return this.fills
  }

  ordersOf(apiKey: string, symbol?: string): Order[] {
    return this.orders.filter((o) => o.apiKey === apiKey && (symbol === undefined || o.symbol === symbol))
  }

  openOrdersOf(apiKey: string, symbol?: string): Order[] {
    return this.ordersOf(apiKey, symbol).filter(isOpen)
  }

  fillsOf(apiKey: string, symbol: string): Fill[] {
    return this.fills.filter((f) => f.apiKey === apiKey && f.symbol === symbol)
  }

  find(apiKey: string, symbol: string, ref: OrderRef): Order | undefined {
    const mine = this.ordersOf(apiKey, symbol)
    if (ref.orderId !== undefined) return mine.find((o) => o.orderId === ref.orderId)
    for (let i = mine.length - 1; i >= 0; i--)
      if (mine[i]?.clientOrderId === ref.origClientOrderId) return mine[i]
    return undefined
  }

  private market(symbol: string): Market {
    const m = this.data.market(symbol)
    if (!m) throw err.invalidSymbol()
    return m
  }

  private checkClientId(apiKey: string, clientOrderId: string | undefined): void {
    if (clientOrderId === undefined) return
    const clash = this.orders.some(
      (o) =>
        o.apiKey === apiKey &&
        o.clientOrderId === clientOrderId &&
        (this.opts.clientOrderIdReuse === 'never' || o.status !== 'FILLED'),
    )
    if (clash) throw err.duplicateOrder()
  }

  /** Last traded price, as the stop triggers see it. */
  private last(m: Market, t: number): Units {
    return roundTo(unitsFromNumber(this.data.price(m.symbol, t)), m.tick)
  }

  place(account: Account, req: NewOrder, now: number, fault: { partialFraction?: number } = {}): PlaceResult {
    const m = this.market(req.symbol)
    this.checkClientId(account.apiKey, req.newClientOrderId)
    const mine = this.openOrdersOf(account.apiKey, m.symbol)
    if (mine.length >= MAX_OPEN_ORDERS) throw err.filter('MAX_NUM_ORDERS')
    if (isStopType(req.type) && mine.filter((o) => isStopType(o.type)).length >= MAX_ALGO_ORDERS) {
      throw err.filter('MAX_NUM_ALGO_ORDERS')
    }
    const order: Order = {
      apiKey: account.apiKey,
      symbol: m.symbol,
      orderId: 0,
      clientOrderId: req.newClientOrderId ?? this.generateClientId(),
      side: req.side,
      type: req.type,
      timeInForce: req.timeInForce ?? 'GTC',
      price: req.price ?? 0n,
      origQty: req.quantity ?? 0n,
      origQuoteOrderQty: req.quoteOrderQty ?? 0n,
      executedQty: 0n,
      cumQuote: 0n,
      status: 'NEW',
      stopPrice: req.stopPrice ?? 0n,
      ...(req.trailingDelta !== undefined ? { trailingDelta: req.trailingDelta } : {}),
      icebergQty: req.icebergQty ?? 0n,
      selfTradePreventionMode: req.selfTradePreventionMode,
      time: now,
      updateTime: now,
      workingTime: now,
      locked: 0n,
      trailingActive: false,
      trailingExtreme: 0n,
      placedAt: this.last(m, now),
      orderListId: -1,
    }
    if (isStopType(req.type)) return { order: this.placeStop(account, m, order, now), fills: [] }

    const { bid, ask } = this.data.quotes(m.symbol, now)
    if (req.type === 'LIMIT_MAKER' && (req.side === 'BUY' ? order.price >= ask : order.price <= bid)) {
      throw err.wouldTake()
    }
    let takes: Take[] = []
    let complete = true
    if (req.type !== 'LIMIT_MAKER') {
      const w = walk(this.data.levels(m.symbol, req.side === 'BUY' ? 'asks' : 'bids', now), req.side, {
        ...(req.type === 'LIMIT' ? { limit: order.price } : {}),
        ...(req.quoteOrderQty !== undefined ? { budget: req.quoteOrderQty } : { qty: order.origQty }),
        step: m.step,
      })
      takes = w.takes
      complete = !w.exhausted
    }
    if (fault.partialFraction !== undefined && takes.length > 0) {
      const total = sumQty(takes)
      const cap = maxUnits(
        m.step,
        floorTo((total * BigInt(Math.round(fault.partialFraction * 1e6))) / 1_000_000n, m.step),
      )
      if (cap < total) {
        takes = trim(takes, cap)
        complete = false
      }
    }
    const wanted = req.quoteOrderQty !== undefined ? undefined : order.origQty
    if (order.timeInForce === 'FOK' && sumQty(takes) !== wanted) takes = []
    const filled = sumQty(takes)
    const rests = req.type === 'LIMIT_MAKER' || (req.type === 'LIMIT' && order.timeInForce === 'GTC')
    const restQty = rests ? order.origQty - filled : 0n

    // Funds are checked for the whole order before anything changes, as Binance rejects up front.
    if (req.side === 'BUY') {
      if (account.get(m.quote).free < sumCost(takes) + mulUnits(order.price, restQty))
        throw err.insufficientBalance()
    } else if (account.get(m.base).free < filled + restQty) {
      throw err.insufficientBalance()
    }

    order.orderId = this.nextOrderId++
    this.orders.push(order)
    const fills = takes.map((t) => this.applyFill(account, m, order, t.price, t.qty, false, now, false))
    if (req.quoteOrderQty !== undefined) order.origQty = order.executedQty
    if (restQty > 0n) {
      const lockAsset = req.side === 'BUY' ? m.quote : m.base
      order.locked = req.side === 'BUY' ? mulUnits(order.price, restQty) : restQty
      account.lock(lockAsset, order.locked, now)
      order.status = filled > 0n ? 'PARTIALLY_FILLED' : 'NEW'
      this.open.add(order)
    } else {
      const done = wanted === undefined ? complete : filled === wanted
      order.status = done && filled > 0n ? 'FILLED' : 'EXPIRED'
    }
    this.emitFills(order, fills, now, true)
    return { order, fills }
  }

  private placeStop(account: Account, m: Market, order: Order, now: number): Order {
    if (order.trailingDelta === undefined && this.stopCondition(order, order.placedAt))
      throw err.stopWouldTrigger()
    let lockAsset: string | undefined
    let lock = 0n
    if (order.side === 'SELL') {
      lockAsset = m.base
      lock = order.origQty
    } else if (isLimitStop(order.type)) {
      lockAsset = m.quote
      lock = mulUnits(order.price, order.origQty)
    }
    if (lockAsset !== undefined) {
      if (account.get(lockAsset).free < lock) throw err.insufficientBalance()
      account.lock(lockAsset, lock, now)
      order.locked = lock
    }
    order.workingTime = -1
    if (order.trailingDelta !== undefined && order.stopPrice === 0n) {
      order.trailingActive = true
      order.trailingExtreme = order.placedAt
    }
    order.orderId = this.nextOrderId++
    this.orders.push(order)
    this.open.add(order)
    this.emit('NEW', order, now)
    return order
  }

  /** Plain stop condition: has the last price reached the stop price in the trigger direction? */
  private stopCondition(o: Order, last: Units): boolean {
    const stopLoss = o.type === 'STOP_LOSS' || o.type === 'STOP_LOSS_LIMIT'
    const fallsTrigger = stopLoss === (o.side === 'SELL')
    return fallsTrigger ? last <= o.stopPrice : last >= o.stopPrice
  }

  /**
   * Whether a waiting stop fires at `last`. Trailing stops (trailingDelta, in basis points) start
   * tracking when the activation price (stopPrice) is reached, or at once without one; sells then
   * fire when the price falls trailingDelta below the highest price seen, buys when it rises that
   * much above the lowest. (Simplified from Binance's trailing-stop FAQ.)
   */
  private stopFires(o: Order, last: Units): boolean {
    if (o.trailingDelta === undefined) return this.stopCondition(o, last)
    if (!o.trailingActive) {
      const reached = o.placedAt > o.stopPrice ? last <= o.stopPrice : last >= o.stopPrice
      if (!reached) return false
      o.trailingActive = true
      o.trailingExtreme = last
      return false
    }
    const delta = BigInt(o.trailingDelta)
    if (o.side === 'SELL') {
      o.trailingExtreme = maxUnits(o.trailingExtreme, last)
      return last * 10_000n <= o.trailingExtreme * (10_000n - delta)
    }
    o.trailingExtreme = minUnits(o.trailingExtreme, last)
    return last * 10_000n >= o.trailingExtreme * (10_000n + delta)
  }

  private applyFill(
    account: Account,
    m: Market,
    order: Order,
    price: Units,
    qty: Units,
    isMaker: boolean,
    t: number,
    fromLocked: boolean,
  ): Fill {
    const quote = mulUnits(price, qty)
    const bps = BigInt(this.opts.feeBps)
    let commission: Units
    let commissionAsset: string
    if (order.side === 'BUY') {
      if (fromLocked) {
        const part = minUnits(order.locked, mulUnits(order.price, qty))
        account.spendLocked(m.quote, part, t)
        order.locked -= part
        if (part >= quote) account.credit(m.quote, part - quote, t)
        else account.debit(m.quote, quote - part, t)
      } else {
        account.debit(m.quote, quote, t)
      }
      commission = feeOf(qty, bps)
      commissionAsset = m.base
      account.credit(m.base, qty - commission, t)
    } else {
      if (fromLocked) {
        account.spendLocked(m.base, qty, t)
        order.locked -= qty
      } else {
        account.debit(m.base, qty, t)
      }
      commission = feeOf(quote, bps)
      commissionAsset = m.quote
      account.credit(m.quote, quote - commission, t)
    }
    order.executedQty += qty
    order.cumQuote += quote
    order.updateTime = t
    const fill: Fill = {
      apiKey: account.apiKey,
      symbol: m.symbol,
      id: this.nextTradeId++,
      orderId: order.orderId,
      price,
      qty,
      quoteQty: quote,
      commission,
      commissionAsset,
      time: t,
      isBuyer: order.side === 'BUY',
      isMaker,
    }
    this.fills.push(fill)
    return fill
  }

  /** Ends an order's life: releases whatever it still has locked. */
  private finish(account: Account, order: Order, status: Order['status'], t: number): void {
    order.status = status
    order.updateTime = t
    if (order.locked > 0n) {
      const m = this.market(order.symbol)
      account.unlock(order.side === 'BUY' ? m.quote : m.base, order.locked, t)
      order.locked = 0n
    }
    this.open.delete(order)
  }

  cancel(account: Account, symbol: string, ref: OrderRef, now: number): Order {
    const o = this.find(account.apiKey, symbol, ref)
    if (!o || !isOpen(o)) throw err.unknownOrder()
    this.finish(account, o, 'CANCELED', now)
    this.emit('CANCELED', o, now)
    // Canceling one leg of an order list cancels the list.
    for (const other of this.listLegs(o)) {
      if (!isOpen(other)) continue
      this.finish(account, other, 'CANCELED', now)
      this.emit('CANCELED', other, now)
    }
    return o
  }

  // ------------------------------------------------------------ OCO order lists (order-lists.ts)

  allLists(): readonly OrderList[] {
    return this.lists
  }

  /** The other legs of the list an order belongs to. */
  private listLegs(o: Order): Order[] {
    if (o.orderListId === -1) return []
    return this.orders.filter((x) => x.orderListId === o.orderListId && x !== o && x.apiKey === o.apiKey)
  }

  legsOf(list: OrderList): Order[] {
    return list.orderIds.map((id) => this.orders.find((o) => o.orderId === id && o.apiKey === list.apiKey)!)
  }

  findList(apiKey: string, ref: { orderListId?: number; listClientOrderId?: string }): OrderList | undefined {
    return this.lists.find(
      (l) =>
        l.apiKey === apiKey &&
        (ref.orderListId !== undefined
          ? l.orderListId === ref.orderListId
          : l.listClientOrderId === ref.listClientOrderId),
    )
  }

  /**
   * Places an OCO: both legs rest at once (the limit-maker on the book, the stop waiting), after
   * Binance's checks: the legs' prices on their sides of the last price (a SELL: limit-maker price
   * above it, stop below; a BUY the reverse), client ids unused, the funds free. They are locked
   * once for the list: a SELL's quantity, a BUY's larger leg cost, on one leg; when a leg fills or
   * triggers the others expire (`pass`) and the firing leg takes what it needs from the freed funds.
   */
  placeOrderList(account: Account, req: NewOrderList, now: number): { list: OrderList; orders: Order[] } {
    const m = this.market(req.symbol)
    for (const leg of [req.above, req.below]) this.checkClientId(account.apiKey, leg.newClientOrderId)
    if (
      req.listClientOrderId !== undefined &&
      this.lists.some(
        (l) =>
          l.apiKey === account.apiKey &&
          l.listClientOrderId === req.listClientOrderId &&
          this.legsOf(l).some(isOpen),
      )
    )
      throw err.duplicateOrder()
    const mine = this.openOrdersOf(account.apiKey, m.symbol)
    if (mine.length + 2 > MAX_OPEN_ORDERS) throw err.filter('MAX_NUM_ORDERS')
    const last = this.last(m, now)
    const { bid, ask } = this.data.quotes(m.symbol, now)
    const make = (leg: NewOrder): Order => ({
      apiKey: account.apiKey,
      symbol: m.symbol,
      orderId: 0,
      clientOrderId: leg.newClientOrderId ?? this.generateClientId(),
      side: req.side,
      type: leg.type,
      timeInForce: leg.timeInForce ?? 'GTC',
      price: leg.price ?? 0n,
      origQty: leg.quantity ?? 0n,
      origQuoteOrderQty: 0n,
      executedQty: 0n,
      cumQuote: 0n,
      status: 'NEW',
      stopPrice: leg.stopPrice ?? 0n,
      ...(leg.trailingDelta !== undefined ? { trailingDelta: leg.trailingDelta } : {}),
      icebergQty: leg.icebergQty ?? 0n,
      selfTradePreventionMode: leg.selfTradePreventionMode,
      time: now,
      updateTime: now,
      workingTime: leg.type === 'LIMIT_MAKER' ? now : -1,
      locked: 0n,
      trailingActive: false,
      trailingExtreme: 0n,
      placedAt: last,
      orderListId: 0,
    })
    const below = make(req.below)
    const above = make(req.above)
    for (const o of [below, above]) {
      if (o.type === 'LIMIT_MAKER') {
        if (req.side === 'BUY' ? o.price >= ask : o.price <= bid) throw ocoPriceError()
      } else if (o.trailingDelta === undefined && this.stopCondition(o, last)) {
        throw ocoPriceError()
      }
    }
    const need = (o: Order): Units =>
      req.side === 'SELL' ? o.origQty : o.price > 0n ? mulUnits(o.price, o.origQty) : 0n
    const holder = need(above) >= need(below) ? above : below
    const lockAsset = req.side === 'SELL' ? m.base : m.quote
    const lock = need(holder)
    if (account.get(lockAsset).free < lock) throw err.insufficientBalance()
    if (lock > 0n) account.lock(lockAsset, lock, now)
    holder.locked = lock
    const list: OrderList = {
      orderListId: this.nextListId++,
      listClientOrderId: req.listClientOrderId ?? this.generateClientId(),
      apiKey: account.apiKey,
      symbol: m.symbol,
      orderIds: [],
      transactionTime: now,
    }
    for (const o of [below, above]) {
      o.orderId = this.nextOrderId++
      o.orderListId = list.orderListId
      if (o.trailingDelta !== undefined && o.stopPrice === 0n) {
        o.trailingActive = true
        o.trailingExtreme = last
      }
      list.orderIds.push(o.orderId)
      this.orders.push(o)
      this.open.add(o)
    }
    this.lists.push(list)
    for (const o of [below, above]) this.emit('NEW', o, now)
    return { list, orders: [below, above] }
  }

  /**
   * A leg of a list fills or fires: the other legs expire, and the leg locks what it still needs
   * from the freed funds (expiring too if they are gone).
   */
  private settleList(account: Account, m: Market, o: Order, t: number): boolean {
    const others = this.listLegs(o).filter(isOpen)
    if (others.length === 0) return true
    for (const other of others) {
      this.finish(account, other, 'EXPIRED', t)
      this.emit('EXPIRED', other, t)
    }
    const remaining = o.origQty - o.executedQty
    const need =
      o.side === 'SELL'
        ? remaining
        : isLimitStop(o.type) || o.type === 'LIMIT_MAKER'
          ? mulUnits(o.price, remaining)
          : 0n
    const asset = o.side === 'SELL' ? m.base : m.quote
    if (need > o.locked) {
      if (account.get(asset).free < need - o.locked) {
        this.finish(account, o, 'EXPIRED', t)
        this.emit('EXPIRED', o, t)
        return false
      }
      account.lock(asset, need - o.locked, t)
      o.locked = need
    }
    return true
  }

  /** Runs the matching passes due between the last one and `now`. */
  catchUp(now: number): void {
    const k = Math.floor(now / this.opts.matchEveryMs)
    if (this.open.size > 0 && this.opts.timeDriven !== false) {
      for (let i = Math.max(this.lastPass + 1, k - MAX_CATCH_UP_PASSES + 1); i <= k; i++) {
        this.pass(i * this.opts.matchEveryMs)
      }
    }
    this.lastPass = Math.max(this.lastPass, k)
  }

  /** Catches up, then runs one more pass right now (tests use this after moving the price). */
  tick(now: number): void {
    this.catchUp(now)
    this.pass(now)
  }

  private pass(t: number): void {
    for (const o of [...this.open]) {
      // A leg of a list may have expired earlier in this pass, when its other leg filled or fired.
      if (!isOpen(o)) continue
      // Orders placed after this pass time wait for the next one.
      if (o.time > t) continue
      const account = this.accounts.get(o.apiKey)
      if (!account) continue
      const m = this.market(o.symbol)
      if (o.workingTime === -1) {
        if (this.stopFires(o, this.last(m, t)) && this.settleList(account, m, o, t))
          this.trigger(account, m, o, t)
        continue
      }
      const { bid, ask } = this.data.quotes(m.symbol, t)
      const crossed = o.side === 'BUY' ? ask <= o.price : bid >= o.price
      if (!crossed || !isOpen(o)) continue
      if (!this.settleList(account, m, o, t)) continue
      const remaining = o.origQty - o.executedQty
      let qty = remaining
      if (this.opts.limitFills.mode === 'partial') {
        const chunk = floorTo(
          (o.origQty * BigInt(Math.round(this.opts.limitFills.fraction * 1e6))) / 1_000_000n,
          m.step,
        )
        qty = minUnits(remaining, maxUnits(chunk, m.step))
      }
      const fill = this.applyFill(account, m, o, o.price, qty, true, t, true)
      if (o.executedQty >= o.origQty) this.finish(account, o, 'FILLED', t)
      else o.status = 'PARTIALLY_FILLED'
      this.emitFills(o, [fill], t, false)
    }
  }

  /** A stop fired: stop-limits become limit orders (taking first if they cross), stops go to market. */
  private trigger(account: Account, m: Market, o: Order, t: number): void {
    o.workingTime = t
    o.updateTime = t
    const side = o.side === 'BUY' ? 'asks' : 'bids'
    const limitStop = isLimitStop(o.type)
    const w = walk(this.data.levels(m.symbol, side, t), o.side, {
      ...(limitStop ? { limit: o.price } : {}),
      qty: o.origQty,
      step: m.step,
    })
    if (o.side === 'BUY' && !limitStop && account.get(m.quote).free < sumCost(w.takes)) {
      this.finish(account, o, 'EXPIRED', t)
      return
    }
    const fills = w.takes.map((take) =>
      this.applyFill(account, m, o, take.price, take.qty, false, t, o.locked > 0n),
    )
    if (o.executedQty >= o.origQty) this.finish(account, o, 'FILLED', t)
    else if (!limitStop) this.finish(account, o, 'EXPIRED', t)
    else if (o.executedQty > 0n) o.status = 'PARTIALLY_FILLED'
    this.emitFills(o, fills, t, false)
  }
}
