import { AppError } from '../../shared/contract/errors'
import type {
  Fill,
  NormalizedOrder,
  Order,
  OrderRequest,
  OrderStatus,
  ReconciliationEvent,
  ReconciliationKind,
} from '../../shared/domain/trading'
import { TERMINAL_STATUSES } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import { wasNotSent } from '../exchange/errors'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import type { ChangeBus, TradingChange } from './bus'
import { clientOrderIdGenerator } from './client-order-id'
import { clean, plain } from './decimal'
import {
  adoptOrderState,
  fillOpenOrder,
  fillTotals,
  getOrderRow,
  getOrderRowByExchangeId,
  getOrderState,
  getOrderStateByExchangeId,
  insertEvent,
  insertFill,
  insertOrder,
  orderFromRow,
  ordersWithStatus,
  updateOrder,
  type OrderRow,
  type OrderState,
  type StoredAccount,
} from './store'
import { splitSymbol } from './positions'
import { validateOrder } from './validation'
import {
  isLocalVenue,
  type LocalVenue,
  type Quote,
  type TradingVenue,
  type VenueBalance,
  type VenueOrder,
  type VenueOrderRequest,
  type VenueTrade,
  type VenueUpdate,
} from './venue'

export interface OrderPathOptions {
  db: Db
  clock: Clock
  bus: ChangeBus
  log?: Logger | undefined
  newClientOrderId?: (() => string) | undefined
  /**
   * Added to the venue's recvWindow before an order that is still not found is declared not
   * placed: covers clock skew between us and the exchange and time a request spends queued
   * (default 5 s).
   */
  outcomeMarginMs?: number | undefined
  /** Backoff for looking up unknown outcomes: base doubling per attempt up to max (0.5 s .. 30 s). */
  backoffBaseMs?: number | undefined
  backoffMaxMs?: number | undefined
  /** How old a remote quote or balance may be for pre-trade checks (2 s, 5 s). */
  quoteTtlMs?: number | undefined
  balanceTtlMs?: number | undefined
  /** Test seam: runs after the intent is written and before anything is sent. */
  afterIntent?: ((order: Order) => void | Promise<void>) | undefined
}

/**
 * Error kinds after which an order provably did not reach the book (the exchange refused it;
 * `not_found`: no such market).
 */
const DEFINITE_REJECTIONS = new Set([
  'invalid_order',
  'insufficient_funds',
  'auth_failed',
  'rate_limited',
  'validation',
  'not_found',
])

/** ccxt's order status -> ours. */
export function statusOf(vo: VenueOrder): OrderStatus {
  switch (vo.status) {
    case 'open':
      return vo.filled > 0 ? 'partially_filled' : 'open'
    case 'closed':
      return 'filled'
    case 'canceled':
    case 'expired':
      return 'canceled'
    case 'rejected':
      return 'rejected'
  }
}

function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  const message = err instanceof Error ? err.message : String(err)
  return new AppError('outcome_unknown', `unexpected failure: ${message}`)
}

/** Fees per currency, in currency order (as the order's fees are read from the database). */
function sumFees(trades: readonly VenueTrade[]): Order['fees'] {
  if (trades.length === 1) {
    const fee = trades[0]!.fee
    return fee ? [{ currency: fee.currency, cost: fee.cost }] : []
  }
  const by = new Map<string, number>()
  for (const t of trades) if (t.fee) by.set(t.fee.currency, (by.get(t.fee.currency) ?? 0) + t.fee.cost)
  return [...by]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, cost]) => ({ currency, cost }))
}

const key = (accountId: string, clientOrderId: string) => `${accountId}\u0000${clientOrderId}`

/** Whether the fills reported with an order add up to what it says is filled. */
function tradesComplete(vo: VenueOrder): boolean {
  if (vo.trades.length === 0) return false
  let amount = 0
  for (const t of vo.trades) amount += t.amount
  return Math.abs(amount - vo.filled) <= 1e-12 * Math.max(1, vo.filled)
}

export interface ApplyResult {
  order: Order
  newFills: Fill[]
  previous: OrderStatus | null
  /** The exchange reports more filled than our fills add up to: fetch its trades. */
  missingFills: boolean
}

/**
 * The one order path for paper and live.
 *
 * 1. validate and round (validation.ts); 2. write the intent (`pending`) with a fresh client
 * order id; 3. mark it `sent` and send it once; 4. adopt the answer. A timeout, network error,
 * 5xx or unparseable answer after sending makes the order `unknown`: it is never sent again.
 * It is looked up by its client order id; found -> the exchange's id and state are adopted;
 * not found after the request's recvWindow (plus a margin) has passed -> `not_placed`; lookup
 * failing or too early -> still `unknown`, looked up again with backoff.
 *
 * For a local venue (paper) steps 2-4 run in one SQLite transaction: there is no network, so
 * an intent can never be left half sent.
 */
export class OrderPath {
  readonly db: Db
  readonly clock: Clock
  private readonly bus: ChangeBus
  private readonly log: Logger | undefined
  private readonly newId: () => string
  private readonly marginMs: number
  private readonly backoffBase: number
  private readonly backoffMax: number
  private readonly quoteTtl: number
  private readonly balanceTtl: number
  private readonly afterIntent: OrderPathOptions['afterIntent']
  /** Orders between intent and answer in this process; the reconciler leaves them alone. */
  private readonly inFlight = new Set<string>()
  /** Orders being looked up, so two lookups never race. */
  private readonly resolving = new Map<string, Promise<Order>>()
  private readonly quotes = new Map<string, { at: number; quote: Quote }>()
  private readonly balanceCache = new Map<string, { at: number; balances: Map<string, VenueBalance> }>()
  private txDepth = 0
  private buffered: TradingChange[] = []

  constructor(opts: OrderPathOptions) {
    this.db = opts.db
    this.clock = opts.clock
    this.bus = opts.bus
    this.log = opts.log
    this.newId = opts.newClientOrderId ?? clientOrderIdGenerator(() => opts.clock.now())
    this.marginMs = opts.outcomeMarginMs ?? 5_000
    this.backoffBase = opts.backoffBaseMs ?? 500
    this.backoffMax = opts.backoffMaxMs ?? 30_000
    this.quoteTtl = opts.quoteTtlMs ?? 2_000
    this.balanceTtl = opts.balanceTtlMs ?? 5_000
    this.afterIntent = opts.afterIntent
  }

  onChange(listener: (change: TradingChange) => void): () => void {
    return this.bus.on(listener)
  }

  isInFlight(accountId: string, clientOrderId: string): boolean {
    return this.inFlight.has(key(accountId, clientOrderId))
  }

  // ------------------------------------------------------------ validation

  /** Pre-trade checks against the venue's market, quote and free balance. */
  async validate(account: StoredAccount, venue: TradingVenue, req: OrderRequest): Promise<NormalizedOrder> {
    const markets = await venue.loadMarkets()
    const market = markets.get(req.symbol)
    let quote: Quote | undefined
    if (market && req.type === 'market') {
      // Market orders cannot be checked without a price.
      quote = await this.quoteFor(venue, account.id, req.symbol)
    } else if (market) {
      // Limit and stop orders can: a quote only sharpens the fee estimate, so a remote one is not fetched for it.
      quote = isLocalVenue(venue)
        ? await venue.fetchQuote(req.symbol).catch(() => undefined)
        : this.cachedQuote(account.id, req.symbol)
    }
    let balances: ReadonlyMap<string, VenueBalance> | undefined
    try {
      balances = await this.balancesFor(venue, account.id)
    } catch (err) {
      // The exchange checks balances itself; ours is a courtesy.
      this.log?.warn(`balance check skipped for ${account.id}`, err)
    }
    return validateOrder(req, { market, quote, balances, venue: venue.id })
  }

  private async quoteFor(venue: TradingVenue, accountId: string, symbol: string): Promise<Quote> {
    if (isLocalVenue(venue)) return venue.fetchQuote(symbol)
    const k = `${accountId}\u0000${symbol}`
    const hit = this.quotes.get(k)
    const now = this.clock.now()
    if (hit && now - hit.at <= this.quoteTtl) return hit.quote
    const quote = await venue.fetchQuote(symbol)
    this.quotes.set(k, { at: now, quote })
    return quote
  }

  private cachedQuote(accountId: string, symbol: string): Quote | undefined {
    const hit = this.quotes.get(`${accountId}\u0000${symbol}`)
    return hit && this.clock.now() - hit.at <= this.quoteTtl ? hit.quote : undefined
  }

  private async balancesFor(venue: TradingVenue, accountId: string): Promise<Map<string, VenueBalance>> {
    if (isLocalVenue(venue)) return venue.fetchBalance()
    const hit = this.balanceCache.get(accountId)
    const now = this.clock.now()
    if (hit && now - hit.at <= this.balanceTtl) return hit.balances
    const balances = await venue.fetchBalance()
    this.balanceCache.set(accountId, { at: now, balances })
    return balances
  }

  /** Seeds the balance cache (after a balance fetch elsewhere). */
  rememberBalances(accountId: string, balances: Map<string, VenueBalance>): void {
    this.balanceCache.set(accountId, { at: this.clock.now(), balances })
  }

  // ------------------------------------------------------------ placing

  async placeOrder(account: StoredAccount, venue: TradingVenue, req: OrderRequest): Promise<Order> {
    if (isLocalVenue(venue) && !this.afterIntent) {
      const [result] = this.placeLocalBatch(account, venue, [req])
      if (result instanceof AppError) throw result
      return result!
    }
    const n = await this.validate(account, venue, req)
    const { row, request } = this.intent(account.id, n, 'pending', null)
    return this.placeRemote(venue, row, request)
  }

  private intent(
    accountId: string,
    n: NormalizedOrder,
    status: 'pending' | 'sent',
    sentAt: number | null,
  ): { row: OrderRow; request: VenueOrderRequest } {
    const now = this.clock.now()
    const row: OrderRow = {
      account_id: accountId,
      client_order_id: this.newId(),
      exchange_order_id: null,
      symbol: n.symbol,
      side: n.side,
      type: n.type,
      amount: n.amount,
      price: n.price,
      stop_price: n.stopPrice,
      status,
      filled: 0,
      average: null,
      origin: 'local',
      error_kind: null,
      error_message: null,
      created_at: now,
      sent_at: sentAt,
      updated_at: now,
      outcome_deadline: null,
      check_attempts: 0,
      next_check_at: null,
    }
    const request: VenueOrderRequest = {
      symbol: n.symbol,
      side: n.side,
      type: n.type,
      amount: n.amount,
      clientOrderId: row.client_order_id,
    }
    if (n.price !== null) request.price = n.price
    if (n.stopPrice !== null) request.stopPrice = n.stopPrice
    return { row, request }
  }

  /**
   * Places orders on a local venue (paper) in one transaction: each is validated, written as an
   * intent, sent and adopted in turn, so each still has its intent before it is sent, and the
   * whole batch commits or vanishes together. Returns per order the order, or the error that
   * refused it (validation errors leave no intent; venue rejections leave a rejected order).
   */
  placeLocalBatch(
    account: StoredAccount,
    venue: LocalVenue,
    reqs: readonly OrderRequest[],
  ): Array<Order | AppError> {
    const markets = venue.marketsSync()
    return this.tx(() =>
      venue.runBatch(() =>
        reqs.map((req): Order | AppError => {
          let n: NormalizedOrder
          try {
            let quote: Quote | undefined
            try {
              quote = venue.quoteSync(req.symbol)
            } catch {
              quote = undefined
            }
            n = validateOrder(req, {
              market: markets.get(req.symbol),
              quote,
              balances: venue.balancesSync(),
              venue: venue.id,
            })
          } catch (err) {
            return asAppError(err)
          }
          // The intent (with its client order id) is made before the venue sees the order, and
          // written together with the venue's answer: both are in this transaction, so nothing
          // can see, or a crash keep, one without the other. One write instead of two.
          const { row, request } = this.intent(account.id, n, 'sent', this.clock.now())
          let vo: VenueOrder
          try {
            vo = venue.createOrderSync(request)
          } catch (err) {
            const failure = asAppError(err)
            insertOrder(this.db, row)
            this.reject(row, failure)
            return failure
          }
          return this.apply(account.id, vo, { current: row, unwritten: true }).order
        }),
      ),
    )
  }

  private async placeRemote(venue: TradingVenue, row: OrderRow, request: VenueOrderRequest): Promise<Order> {
    const k = key(row.account_id, row.client_order_id)
    insertOrder(this.db, row)
    this.inFlight.add(k)
    try {
      this.emit({ type: 'order', order: orderFromRow(this.db, row) })
      if (this.afterIntent) await this.afterIntent(orderFromRow(this.db, row))
      const sentAt = this.clock.now()
      updateOrder(this.db, row.account_id, row.client_order_id, {
        status: 'sent',
        sent_at: sentAt,
        updated_at: sentAt,
      })
      let vo: VenueOrder
      try {
        vo = await venue.createOrder(request)
      } catch (err) {
        const e = asAppError(err)
        // Refused before it left (open circuit, unsafe clock skew): nothing to look up.
        const definite = wasNotSent(err) || DEFINITE_REJECTIONS.has(e.kind)
        if (definite && !/duplicate order/i.test(e.message)) {
          this.tx(() => this.reject({ ...row, sent_at: sentAt }, e))
          this.invalidateBalances(row.account_id)
          throw e
        }
        // The request may have reached the exchange: never resend, find out.
        const t = this.clock.now()
        updateOrder(this.db, row.account_id, row.client_order_id, {
          status: 'unknown',
          error_kind: 'outcome_unknown',
          error_message: `No answer to the order (${e.message}); looking it up by its client order id`,
          updated_at: t,
          outcome_deadline: t + venue.recvWindowMs + this.marginMs,
          check_attempts: 0,
          next_check_at: t,
        })
        this.emitOrderRow(row.account_id, row.client_order_id)
        this.inFlight.delete(k)
        return await this.resolve(venue, row.account_id, row.client_order_id)
      }
      const result = this.tx(() => this.apply(row.account_id, vo, { expected: row }))
      this.adjustCachedBalances(result)
      if (result.missingFills)
        await this.syncFills(venue, row.account_id, row.symbol, row.created_at - 1_000, false)
      return result.missingFills ? this.order(row.account_id, row.client_order_id) : result.order
    } finally {
      this.inFlight.delete(k)
    }
  }

  private reject(row: OrderRow, e: AppError): Order {
    const status: OrderStatus =
      wasNotSent(e) || e.kind === 'rate_limited' || e.kind === 'auth_failed' ? 'not_placed' : 'rejected'
    const t = this.clock.now()
    updateOrder(this.db, row.account_id, row.client_order_id, {
      status,
      error_kind: e.kind,
      error_message: e.message,
      updated_at: t,
    })
    const order = this.order(row.account_id, row.client_order_id)
    this.emit({ type: 'order', order })
    return order
  }

  private invalidateBalances(accountId: string): void {
    this.balanceCache.delete(accountId)
  }

  /**
   * Keeps the cached balances (pre-trade checks of remote venues) in step with a new order
   * without asking the exchange again: its fills move base and quote, and what rests reserves
   * quote (buys, at the limit price) or base (sells). The exchange remains the judge.
   */
  private adjustCachedBalances(r: ApplyResult): void {
    const cached = this.balanceCache.get(r.order.accountId)?.balances
    if (!cached) return
    const { base, quote } = splitSymbol(r.order.symbol)
    const move = (asset: string, dFree: number, dUsed = 0) => {
      const b = cached.get(asset) ?? { free: 0, used: 0, total: 0 }
      const free = clean(b.free + dFree)
      const used = clean(b.used + dUsed)
      cached.set(asset, { free, used, total: clean(free + used) })
    }
    for (const f of r.newFills) {
      const feeBase = f.fee?.currency === base ? f.fee.cost : 0
      const feeQuote = f.fee?.currency === quote ? f.fee.cost : 0
      if (f.side === 'buy') {
        move(quote, -(f.cost + feeQuote))
        move(base, f.amount - feeBase)
      } else {
        move(base, -(f.amount + feeBase))
        move(quote, f.cost - feeQuote)
      }
    }
    if (r.order.status === 'open' || r.order.status === 'partially_filled') {
      const remaining = r.order.amount - r.order.filled
      if (r.order.side === 'buy')
        move(
          quote,
          -remaining * (r.order.price ?? r.order.stopPrice ?? 0),
          remaining * (r.order.price ?? r.order.stopPrice ?? 0),
        )
      else move(base, -remaining, remaining)
    }
  }

  // ------------------------------------------------------------ canceling

  async cancelOrder(venue: TradingVenue, accountId: string, clientOrderId: string): Promise<Order> {
    let row = this.row(accountId, clientOrderId)
    if (row.status === 'unknown' || row.status === 'pending' || row.status === 'sent') {
      await this.resolve(venue, accountId, clientOrderId).catch(() => undefined)
      row = this.row(accountId, clientOrderId)
      if (row.status === 'unknown' || row.status === 'pending' || row.status === 'sent') {
        throw new AppError(
          'conflict',
          `Order ${clientOrderId} has an unknown outcome; it cannot be canceled until the exchange confirms it`,
          'params.clientOrderId',
        )
      }
    }
    if (TERMINAL_STATUSES.includes(row.status) || row.exchange_order_id === null) {
      throw new AppError(
        'conflict',
        `Order ${clientOrderId} is already ${row.status}`,
        'params.clientOrderId',
      )
    }
    const ref = { symbol: row.symbol, id: row.exchange_order_id }
    if (isLocalVenue(venue)) {
      const outcome = this.tx(() => {
        try {
          return { order: this.apply(accountId, venue.cancelOrderSync(ref)).order, gone: false }
        } catch (err) {
          if (asAppError(err).kind !== 'not_found') throw err
          return { order: this.apply(accountId, venue.fetchOrderSync(ref)).order, gone: true }
        }
      })
      if (outcome.gone) {
        throw new AppError(
          'conflict',
          `Order ${clientOrderId} is already ${outcome.order.status}`,
          'params.clientOrderId',
        )
      }
      return outcome.order
    }
    try {
      const vo = await venue.cancelOrder(ref)
      const r = this.tx(() => this.apply(accountId, vo))
      this.invalidateBalances(accountId)
      if (r.missingFills) await this.syncFills(venue, accountId, row.symbol, row.created_at - 1_000, false)
      return this.order(accountId, clientOrderId)
    } catch (err) {
      const e = asAppError(err)
      if (e.kind !== 'not_found') throw e
      // Gone from the book already (filled or canceled meanwhile): adopt what the exchange says.
      const vo = await venue.fetchOrder(ref)
      const r = this.tx(() => this.apply(accountId, vo))
      if (r.missingFills) await this.syncFills(venue, accountId, row.symbol, row.created_at - 1_000, false)
      const now = this.order(accountId, clientOrderId)
      throw new AppError(
        'conflict',
        `Order ${clientOrderId} is already ${now.status}`,
        'params.clientOrderId',
      )
    }
  }

  // ------------------------------------------------------------ unknown outcomes

  /**
   * Looks an unresolved order up by its client order id and settles it if it can; returns the
   * order as it now stands. Concurrent calls for one order share one lookup.
   */
  resolve(venue: TradingVenue, accountId: string, clientOrderId: string): Promise<Order> {
    const k = key(accountId, clientOrderId)
    const running = this.resolving.get(k)
    if (running) return running
    const p = this.resolveOnce(venue, accountId, clientOrderId).finally(() => this.resolving.delete(k))
    this.resolving.set(k, p)
    return p
  }

  private async resolveOnce(venue: TradingVenue, accountId: string, clientOrderId: string): Promise<Order> {
    const row = this.row(accountId, clientOrderId)
    if (!['pending', 'sent', 'unknown', 'not_placed'].includes(row.status))
      return this.order(accountId, clientOrderId)
    if (this.inFlight.has(key(accountId, clientOrderId))) return this.order(accountId, clientOrderId)
    let found: VenueOrder | undefined
    try {
      found = await this.lookup(venue, row)
    } catch (err) {
      const e = asAppError(err)
      if (row.status === 'not_placed') return this.order(accountId, clientOrderId)
      const attempts = row.check_attempts + 1
      const wait = Math.max(this.backoff(attempts), (e.retryAfter ?? 0) * 1000)
      const t = this.clock.now()
      updateOrder(this.db, accountId, clientOrderId, {
        status: 'unknown',
        check_attempts: attempts,
        next_check_at: t + wait,
        updated_at: t,
        error_kind: 'outcome_unknown',
        error_message: `Looking the order up failed (${e.message}); next try in ${Math.round(wait / 1000)} s`,
      })
      return this.emitOrderRow(accountId, clientOrderId)
    }
    if (found) {
      const r = this.tx(() => {
        const result = this.apply(accountId, found, { expected: row })
        const wasNotPlaced = row.status === 'not_placed'
        this.event(accountId, wasNotPlaced ? 'state_mismatch' : 'intent_resolved', {
          symbol: row.symbol,
          clientOrderId,
          exchangeOrderId: found.id,
          detail: wasNotPlaced
            ? `Order ${clientOrderId} was marked not placed but the exchange has it (${result.order.status}); adopted the exchange's state`
            : `Order ${clientOrderId} with an unknown outcome was found on the exchange (${result.order.status}); adopted it`,
        })
        updateOrder(this.db, accountId, clientOrderId, {
          error_kind: null,
          error_message: null,
          next_check_at: null,
          outcome_deadline: null,
        })
        return result
      })
      this.invalidateBalances(accountId)
      if (r.missingFills) await this.syncFills(venue, accountId, row.symbol, row.created_at - 1_000, false)
      return this.emitOrderRow(accountId, clientOrderId)
    }
    if (row.status === 'not_placed') return this.order(accountId, clientOrderId)
    // Not found. Only conclusive once no request signed before now can still be accepted.
    const t = this.clock.now()
    const deadline = row.outcome_deadline ?? t + venue.recvWindowMs + this.marginMs
    if (t >= deadline) {
      this.tx(() => {
        updateOrder(this.db, accountId, clientOrderId, {
          status: 'not_placed',
          error_kind: 'outcome_unknown',
          error_message: `Not on the exchange ${plain((t - (row.sent_at ?? row.created_at)) / 1000, 1)} s after sending, past its ${plain(venue.recvWindowMs / 1000, 1)} s receive window: it was never placed`,
          updated_at: t,
          next_check_at: null,
        })
        this.event(accountId, 'intent_not_placed', {
          symbol: row.symbol,
          clientOrderId,
          exchangeOrderId: null,
          detail: `Order ${clientOrderId} (${row.side} ${plain(row.amount)} ${row.symbol}) is not on the exchange and can no longer arrive; marked not placed`,
        })
      })
      return this.emitOrderRow(accountId, clientOrderId)
    }
    const attempts = row.check_attempts + 1
    updateOrder(this.db, accountId, clientOrderId, {
      status: 'unknown',
      check_attempts: attempts,
      next_check_at: Math.min(deadline, t + this.backoff(attempts)),
      outcome_deadline: deadline,
      updated_at: t,
    })
    return this.emitOrderRow(accountId, clientOrderId)
  }

  /** The order by client order id, by open orders as a fallback; undefined when the exchange says it has none. */
  private async lookup(venue: TradingVenue, row: OrderRow): Promise<VenueOrder | undefined> {
    if (row.exchange_order_id !== null) {
      return await venue.fetchOrder({ symbol: row.symbol, id: row.exchange_order_id })
    }
    if (venue.canFetchByClientOrderId) {
      try {
        return await venue.fetchOrder({ symbol: row.symbol, clientOrderId: row.client_order_id })
      } catch (err) {
        if (asAppError(err).kind !== 'not_found') throw err
        return undefined
      }
    }
    const open = await venue.fetchOpenOrders(row.symbol)
    return open.find((o) => o.clientOrderId === row.client_order_id)
  }

  private backoff(attempts: number): number {
    return Math.min(this.backoffMax, this.backoffBase * 2 ** Math.max(0, attempts - 1))
  }

  /**
   * Orders left `pending` or `sent` by a previous run (a crash between intent and answer):
   * they become `unknown`. Any request for them was signed before this process started, so
   * they are provably not placed if still absent one receive window (plus margin) from now.
   */
  adoptOrphans(accountId: string, recvWindowMs: number): number {
    const t = this.clock.now()
    let n = 0
    for (const row of ordersWithStatus(this.db, accountId, ['pending', 'sent'])) {
      if (this.inFlight.has(key(accountId, row.client_order_id))) continue
      updateOrder(this.db, accountId, row.client_order_id, {
        status: 'unknown',
        error_kind: 'outcome_unknown',
        error_message: `Candlework stopped while this order was being ${row.status === 'pending' ? 'prepared' : 'sent'}; looking it up by its client order id`,
        outcome_deadline: t + recvWindowMs + this.marginMs,
        next_check_at: t,
        updated_at: t,
      })
      this.emitOrderRow(accountId, row.client_order_id)
      n++
    }
    return n
  }

  // ------------------------------------------------------------ adopting exchange state

  /**
   * Adopts what the exchange says about an order: its id, status and filled amount, and the
   * fills reported with it (deduplicated). A terminal local status never goes back to open
   * (a stale read); a `not_placed` order the exchange has is adopted. An order we never
   * placed is recorded as `external`. Must run inside `tx`.
   */
  apply(
    accountId: string,
    vo: VenueOrder,
    opts: {
      expected?: OrderRow
      current?: OrderRow
      /** `current` is not in the table yet: it is written once, with the answer adopted. */
      unwritten?: boolean
      recordExternal?: boolean
    } = {},
  ): ApplyResult {
    const t = this.clock.now()
    // The full row when it is at hand (just written, or inserted as external), else only the state.
    let full: OrderRow | undefined = opts.current
    let row: OrderState | undefined =
      full ??
      (opts.expected ? getOrderState(this.db, accountId, opts.expected.client_order_id) : undefined) ??
      (vo.clientOrderId !== null ? getOrderState(this.db, accountId, vo.clientOrderId) : undefined) ??
      getOrderStateByExchangeId(this.db, accountId, vo.symbol, vo.id)
    if (row && row.exchange_order_id !== null && row.exchange_order_id !== vo.id) {
      // Same client id reused by a different exchange order: treat it as another order.
      full = undefined
      row = getOrderStateByExchangeId(this.db, accountId, vo.symbol, vo.id)
    }
    if (!row) {
      row = full = this.insertExternal(accountId, vo, t)
      if (opts.recordExternal !== false) {
        this.event(accountId, 'unknown_order', {
          symbol: vo.symbol,
          clientOrderId: row.client_order_id,
          exchangeOrderId: vo.id,
          detail: `The exchange has a ${vo.side} ${vo.type} order for ${plain(vo.amount)} ${vo.symbol} (${statusOf(vo)}) that Candlework had no record of; it is now listed as external`,
        })
      }
    }
    const previous = row.status
    let status = statusOf(vo)
    const terminal = TERMINAL_STATUSES.includes(previous) && previous !== 'not_placed'
    if (terminal && !TERMINAL_STATUSES.includes(status)) status = previous
    const filled = Math.max(row.filled, vo.filled)
    const newFills: Fill[] = []
    for (const trade of vo.trades) {
      const fill = this.tradeToFill(accountId, trade, row.client_order_id, vo)
      if (insertFill(this.db, fill, t)) newFills.push(fill)
    }
    // The fills are all in this answer when nothing was recorded before and they add up to `filled`.
    let tradeAmount = 0
    let tradeCost = 0
    for (const trade of vo.trades) {
      tradeAmount += trade.amount
      tradeCost += trade.cost
    }
    // An order written by this very call has no fills recorded under its new exchange id: one
    // resting unfilled is complete too.
    const fresh = opts.current !== undefined && full === opts.current
    const complete =
      row.filled === 0 &&
      (vo.trades.length > 0
        ? Math.abs(tradeAmount - vo.filled) <= 1e-12 * Math.max(1, vo.filled)
        : fresh && vo.filled === 0)
    const totals = complete
      ? { amount: tradeAmount, cost: tradeCost }
      : fillTotals(this.db, accountId, vo.symbol, vo.id)
    const average = vo.average ?? (totals.amount > 0 ? clean(totals.cost / totals.amount) : row.average)
    if (opts.unwritten && full) {
      insertOrder(this.db, {
        ...full,
        exchange_order_id: vo.id,
        status,
        filled,
        average,
        updated_at: t,
      })
    } else {
      adoptOrderState(
        this.db,
        accountId,
        row.client_order_id,
        { exchangeOrderId: vo.id, status, filled, average, updatedAt: t },
        row.exchange_order_id,
      )
    }
    if (row.status === 'unknown' && status !== 'unknown') {
      updateOrder(this.db, accountId, row.client_order_id, { next_check_at: null })
    }
    const clientOrderId = row.client_order_id
    let order: Order | undefined
    const known = full
    // When the row was at hand and the answer carried every fill, the order is known without reading it back.
    const orderNow = (): Order =>
      (order ??=
        known && complete
          ? {
              accountId,
              clientOrderId,
              exchangeOrderId: vo.id,
              symbol: known.symbol,
              side: known.side,
              type: known.type,
              amount: known.amount,
              price: known.price,
              stopPrice: known.stop_price,
              status,
              filled,
              average,
              fees: sumFees(vo.trades),
              origin: known.origin,
              error: known.error_kind ? { kind: known.error_kind, message: known.error_message ?? '' } : null,
              createdAt: known.created_at,
              sentAt: known.sent_at,
              updatedAt: t,
            }
          : this.order(accountId, clientOrderId))
    if (this.bus.size > 0) {
      for (const fill of newFills) this.emit({ type: 'fill', fill })
      if (
        previous !== status ||
        row.filled !== filled ||
        newFills.length > 0 ||
        row.exchange_order_id !== vo.id
      ) {
        this.emit({ type: 'order', order: orderNow() })
        this.emit({ type: 'balance', accountId })
      }
    }
    const missingFills = filled > 0 && totals.amount < filled * (1 - 1e-9)
    return {
      get order() {
        return orderNow()
      },
      newFills,
      previous,
      missingFills,
    }
  }

  /**
   * Adopts what a local venue's tick did: resting orders filled in full, mostly. One we hold as
   * open and unfilled under the same exchange id, whose fills all came with it, is settled with
   * one guarded UPDATE and its fills, without reading it first; anything else goes through
   * `apply`. Must run inside `tx`.
   */
  applyTick(accountId: string, updates: readonly VenueUpdate[]): void {
    const t = this.clock.now()
    for (const { order: vo } of updates) {
      const coid = vo.clientOrderId
      const settled =
        coid !== null &&
        vo.status === 'closed' &&
        vo.average !== null &&
        vo.filled > 0 &&
        tradesComplete(vo) &&
        fillOpenOrder(this.db, accountId, coid, vo.id, vo.filled, vo.average, t)
      if (!settled) {
        this.apply(accountId, vo)
        continue
      }
      for (const trade of vo.trades) {
        const fill = this.tradeToFill(accountId, trade, coid, vo)
        if (insertFill(this.db, fill, t)) this.emit({ type: 'fill', fill })
      }
      if (this.bus.size > 0) {
        this.emit({ type: 'order', order: this.order(accountId, coid) })
        this.emit({ type: 'balance', accountId })
      }
    }
  }

  private insertExternal(accountId: string, vo: VenueOrder, t: number): OrderRow {
    let coid = vo.clientOrderId ?? `ext-${vo.id}`
    if (getOrderRow(this.db, accountId, coid)) coid = `ext-${vo.id}`
    const row: OrderRow = {
      account_id: accountId,
      client_order_id: coid,
      exchange_order_id: null,
      symbol: vo.symbol,
      side: vo.side,
      type: vo.type,
      amount: vo.amount,
      price: vo.price,
      stop_price: vo.stopPrice,
      status: 'sent',
      filled: 0,
      average: null,
      origin: 'external',
      error_kind: null,
      error_message: null,
      created_at: vo.timestamp || t,
      sent_at: vo.timestamp || t,
      updated_at: t,
      outcome_deadline: null,
      check_attempts: 0,
      next_check_at: null,
    }
    insertOrder(this.db, row)
    return row
  }

  tradeToFill(accountId: string, t: VenueTrade, clientOrderId: string | null, vo?: VenueOrder): Fill {
    return {
      accountId,
      tradeId: t.id,
      exchangeOrderId: t.orderId || vo?.id || '',
      clientOrderId,
      symbol: t.symbol || vo?.symbol || '',
      side: t.side,
      amount: t.amount,
      price: t.price,
      cost: t.cost,
      fee: t.fee,
      takerOrMaker: t.takerOrMaker,
      time: t.timestamp || vo?.timestamp || this.clock.now(),
    }
  }

  /**
   * Fetches the account's trades in one symbol from `since` and records those we lack. Trades
   * of orders we do not know bring their order in as `external`. With `recordEvents`, every
   * fill we lacked is a `missed_fill` reconciliation event.
   */
  async syncFills(
    venue: TradingVenue,
    accountId: string,
    symbol: string,
    since: number,
    recordEvents: boolean,
  ): Promise<Fill[]> {
    const added: Fill[] = []
    const pageSize = 1000
    let cursor = Math.max(0, since)
    for (let page = 0; page < 1000; page++) {
      const trades = await venue.fetchMyTrades(symbol, cursor, pageSize)
      const unknownOrders = new Set<string>()
      for (const t of trades) {
        if (!getOrderRowByExchangeId(this.db, accountId, symbol, t.orderId)) unknownOrders.add(t.orderId)
      }
      for (const id of unknownOrders) {
        const vo = await venue.fetchOrder({ symbol, id })
        this.tx(() => this.apply(accountId, { ...vo, trades: [] }, { recordExternal: true }))
      }
      this.tx(() => {
        const t0 = this.clock.now()
        for (const t of trades) {
          const row = getOrderRowByExchangeId(this.db, accountId, symbol, t.orderId)
          const fill = this.tradeToFill(accountId, t, row?.client_order_id ?? null)
          if (!insertFill(this.db, fill, t0)) continue
          added.push(fill)
          this.emit({ type: 'fill', fill })
          if (row) {
            const totals = fillTotals(this.db, accountId, symbol, t.orderId)
            if (totals.amount > 0) {
              updateOrder(this.db, accountId, row.client_order_id, {
                average: clean(totals.cost / totals.amount),
                filled: Math.max(row.filled, clean(totals.amount)),
                updated_at: t0,
              })
            }
          }
          if (recordEvents) {
            this.event(accountId, 'missed_fill', {
              symbol,
              clientOrderId: row?.client_order_id ?? null,
              exchangeOrderId: t.orderId,
              detail: `Recorded a fill Candlework had missed: ${t.side} ${plain(t.amount)} ${symbol} at ${plain(t.price)} (trade ${t.id})`,
            })
          }
        }
        if (added.length > 0) this.emit({ type: 'balance', accountId })
      })
      if (trades.length < pageSize) break
      const last = trades.at(-1)!.timestamp
      cursor = last > cursor ? last : cursor + 1
    }
    return added
  }

  // ------------------------------------------------------------ helpers

  event(
    accountId: string,
    kind: ReconciliationKind,
    e: {
      symbol: string | null
      clientOrderId: string | null
      exchangeOrderId: string | null
      detail: string
    },
  ): ReconciliationEvent {
    const event = insertEvent(this.db, { accountId, time: this.clock.now(), kind, ...e })
    this.emit({ type: 'reconciliation', event })
    return event
  }

  row(accountId: string, clientOrderId: string): OrderRow {
    const r = getOrderRow(this.db, accountId, clientOrderId)
    if (!r)
      throw new AppError(
        'not_found',
        `No order ${clientOrderId} in account ${accountId}`,
        'params.clientOrderId',
      )
    return r
  }

  order(accountId: string, clientOrderId: string): Order {
    return orderFromRow(this.db, this.row(accountId, clientOrderId))
  }

  private emitOrderRow(accountId: string, clientOrderId: string): Order {
    const order = this.order(accountId, clientOrderId)
    this.emit({ type: 'order', order })
    return order
  }

  /** Runs `fn` in a transaction; changes it reports reach listeners only after it commits. */
  tx<T>(fn: () => T): T {
    if (this.txDepth > 0) return fn()
    this.txDepth++
    let result: T
    try {
      result = this.db.transaction(fn)()
    } catch (err) {
      this.buffered = []
      throw err
    } finally {
      this.txDepth--
    }
    const changes = this.buffered
    this.buffered = []
    for (const c of changes) this.bus.emit(c)
    return result
  }

  emit(change: TradingChange): void {
    if (this.bus.size === 0) return
    if (this.txDepth > 0) this.buffered.push(change)
    else this.bus.emit(change)
  }
}
