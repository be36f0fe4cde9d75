import { AppError } from '../../shared/contract/errors'
import type { OrderModification } from '../../shared/contract/trading'
import type { Fill, OcoRequest, Order, OrderRequest } from '../../shared/domain/trading'
import type { NormalizedOco } from './oco-validation'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import type { ChangeBus } from './bus'
import { clientOrderIdGenerator } from './client-order-id'
import { syncFills, syncMissingFills } from './fill-sync'
import { placeLocalBatch } from './local-batch'
import { applyTick, applyVenueOrder, tradeToFill, type ApplyOptions, type ApplyResult } from './order-adopt'
import { cancelOrder } from './order-cancel'
import { modifyOrder, type OrderChange } from './order-modify'
import { asAppError, definitelyRefused, rejectOrder } from './order-errors'
import { bracketLegRows } from './bracket-legs'
import { createIntent } from './order-intent'
import { orderKey } from './order-key'
import { OrderLedger } from './order-ledger'
import { rememberRequest, repeatedOrder } from './order-repeat'
import { OutcomeResolver } from './order-resolve'
import { passGate } from './order-gate'
import { PretradeChecks } from './pretrade'
import { insertOrder, orderFromRow, updateOrder, type OrderRow, type StoredAccount } from './store'
import type { CheckedOrder, OrderInput } from './validation'
import { Decimal } from './decimal'
import {
  isLocalVenue,
  type LocalVenue,
  type TradingVenue,
  type VenueBalance,
  type VenueOrder,
  type VenueOrderRequest,
  type VenueTrade,
  type VenueUpdate,
} from './venue'
import { positionIn } from './position-book'

// What moved out stays importable from here, so importers need not know the split.
export { statusOf, type ApplyResult } from './order-adopt'

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
 * The one order path for paper and live; this class places remote orders and hands every
 * other step to the module that owns it.
 *
 * 1. validate and round (pretrade.ts); 2. write the intent (`pending`) with a fresh client
 * order id (order-intent.ts); 3. mark it `sent` and send it once; 4. adopt the answer
 * (order-adopt.ts). A timeout, network error, 5xx or unparseable answer after sending makes
 * the order `unknown`: it is never sent again, but looked up until settled (order-resolve.ts).
 *
 * For a local venue (paper) steps 2-4 run in one SQLite transaction (local-batch.ts): there
 * is no network, so an intent can never be left half sent.
 *
 * A caller may name the order (`clientOrderId`): a request repeating one already made under
 * that id is answered with that order instead of being placed again (order-repeat.ts), which is
 * what makes a retry after a lost answer safe.
 */
export class OrderPath extends OrderLedger {
  private readonly newId: () => string
  private readonly afterIntent: OrderPathOptions['afterIntent']
  private readonly pretrade: PretradeChecks
  private readonly resolver: OutcomeResolver
  /** Orders between intent and answer in this process; the reconciler leaves them alone. */
  private readonly inFlight = new Set<string>()
  /** Orders being modified in this process (order-modify.ts). */
  private readonly modifying = new Set<string>()
  /** Remote orders being placed, by key: a repeat of one waits for the first call's outcome. */
  private readonly placing = new Map<string, Promise<Order>>()

  constructor(opts: OrderPathOptions) {
    super(opts.db, opts.clock, opts.bus)
    this.newId = opts.newClientOrderId ?? clientOrderIdGenerator(() => opts.clock.now())
    this.afterIntent = opts.afterIntent
    this.pretrade = new PretradeChecks(
      opts.clock,
      opts.log,
      opts.quoteTtlMs ?? 2_000,
      opts.balanceTtlMs ?? 5_000,
    )
    this.resolver = new OutcomeResolver(this, this.pretrade, this.inFlight, {
      marginMs: opts.outcomeMarginMs ?? 5_000,
      backoffBaseMs: opts.backoffBaseMs ?? 500,
      backoffMaxMs: opts.backoffMaxMs ?? 30_000,
    })
  }

  isInFlight(accountId: string, clientOrderId: string): boolean {
    return this.inFlight.has(orderKey(accountId, clientOrderId))
  }

  // ------------------------------------------------------------ validation

  /** Pre-trade checks against the venue's market, quote and free balance. */
  validate(account: StoredAccount, venue: TradingVenue, req: OrderInput): Promise<CheckedOrder> {
    return this.pretrade.validate(account, venue, req, (symbol) => this.positionOf(account.id, symbol))
  }

  /** Checks an OCO as `placeOco` would (oco-validation.ts). */
  validateOco(
    account: StoredAccount,
    venue: TradingVenue,
    req: Omit<OcoRequest, 'accountId' | 'confirm'>,
  ): Promise<NormalizedOco> {
    return this.pretrade.validateOco(account, venue, req)
  }

  /** The account's position in a symbol (signed base amount), from its recorded fills. */
  positionOf(accountId: string, symbol: string): Decimal {
    return Decimal.parse(positionIn(this.db, accountId, symbol).amount)
  }

  /** The client order id generator (new legs and OCO lists take their ids from it). */
  get newClientOrderId(): () => string {
    return this.newId
  }

  /** Seeds the balance cache (after a balance fetch elsewhere). */
  rememberBalances(accountId: string, balances: Map<string, VenueBalance>): void {
    this.pretrade.rememberBalances(accountId, balances)
  }

  // ------------------------------------------------------------ placing

  /**
   * `beforeIntent` runs right before a remote order's intent is written, after the checks that
   * wait on the network; throwing there stops the order with nothing written or sent.
   */
  async placeOrder(
    account: StoredAccount,
    venue: TradingVenue,
    req: OrderRequest,
    beforeIntent?: () => void,
  ): Promise<Order> {
    if (isLocalVenue(venue) && !this.afterIntent) {
      const [result] = this.placeLocalBatch(account, venue, [req])
      if (result instanceof AppError) throw result
      return result!
    }
    const n = await this.validate(account, venue, req)
    // The risk engine, after validation and with nothing awaited before the intent is written.
    passGate(this.orderGate, account.id, n)
    beforeIntent?.()
    // Checked again with nothing awaited before the intent is written: a repeat that arrived
    // while this one was being checked finds the order it made, never a second intent.
    const repeat = repeatedOrder(this.db, account.id, req)
    if (repeat) return this.answerRepeat(account.id, repeat.client_order_id)
    const { row, request } = createIntent(
      this.clock,
      () => req.clientOrderId ?? this.newId(),
      account.id,
      n,
      'pending',
      null,
    )
    const legs = bracketLegRows(this.clock, this.newId, row, n)
    if (n.emulated) {
      // The exchange cannot hold it: the engine does (emulation.ts), from this row.
      this.tx(() => {
        insertOrder(this.db, { ...row, status: 'open' })
        rememberRequest(this.db, row.account_id, req)
        this.emitOrderRow(row.account_id, row.client_order_id)
      })
      return this.order(row.account_id, row.client_order_id)
    }
    const k = orderKey(row.account_id, row.client_order_id)
    const placed = this.placeRemote(venue, row, request, req, legs)
    this.placing.set(k, placed)
    try {
      return await placed
    } finally {
      this.placing.delete(k)
    }
  }

  /**
   * The order a request repeats (same caller-chosen id, same terms), as it now stands, or
   * undefined when the request is new; `conflict` when the id was used with other terms. A
   * repeat of an order still being placed waits for that call's outcome; nothing is sent.
   */
  async repeatOf(accountId: string, req: OrderRequest): Promise<Order | undefined> {
    const row = repeatedOrder(this.db, accountId, req)
    return row ? this.answerRepeat(accountId, row.client_order_id) : undefined
  }

  private async answerRepeat(accountId: string, clientOrderId: string): Promise<Order> {
    // The first call's own failure is its caller's to hear; the repeat answers the order as stored.
    await this.placing.get(orderKey(accountId, clientOrderId))?.catch(() => undefined)
    return this.order(accountId, clientOrderId)
  }

  /** See local-batch.ts. */
  placeLocalBatch(
    account: StoredAccount,
    venue: LocalVenue,
    reqs: readonly OrderRequest[],
  ): Array<Order | AppError> {
    return placeLocalBatch(this, this.newId, account, venue, reqs, (symbol) =>
      this.positionOf(account.id, symbol),
    )
  }

  /**
   * Writes the intent (with a bracket's waiting legs, in the same transaction), marks it sent,
   * sends it once and adopts the answer or finds out what became of it. `send` is how it is
   * sent: a new order, or the replacement of one (editOrder).
   */
  private async placeRemote(
    venue: TradingVenue,
    row: OrderRow,
    request: VenueOrderRequest,
    /** The caller's request, kept so that a repeat of it is known (null: the engine's own order). */
    req: OrderRequest | null,
    legs: readonly OrderRow[] = [],
    send: () => Promise<VenueOrder> = () => venue.createOrder(request),
  ): Promise<Order> {
    const k = orderKey(row.account_id, row.client_order_id)
    this.inFlight.add(k)
    try {
      this.tx(() => {
        insertOrder(this.db, row)
        if (req) rememberRequest(this.db, row.account_id, req)
        for (const leg of legs) insertOrder(this.db, leg)
        for (const leg of legs) this.emitOrderRow(leg.account_id, leg.client_order_id)
      })
      this.emit({ type: 'order', order: orderFromRow(this.db, row) })
      if (this.afterIntent) await this.afterIntent(orderFromRow(this.db, row))
    } catch (err) {
      this.inFlight.delete(k)
      throw err
    }
    return this.sendStored(venue, row, request, true, send)
  }

  /**
   * Sends an order whose row is already stored (a new intent, or an emulated order that fired,
   * under its own client order id): marks it sent, sends it once, adopts the answer or finds out
   * what became of it. Never sends a row twice: only a row that is `pending`, or `open` and held
   * by the engine, is sent.
   */
  async sendStored(
    venue: TradingVenue,
    row: OrderRow,
    request: VenueOrderRequest,
    /** The caller has already marked it in flight. */
    claimed = false,
    send: () => Promise<VenueOrder> = () => venue.createOrder(request),
  ): Promise<Order> {
    const k = orderKey(row.account_id, row.client_order_id)
    if (!claimed) {
      if (this.inFlight.has(k)) return this.order(row.account_id, row.client_order_id)
      this.inFlight.add(k)
    }
    try {
      const sentAt = this.clock.now()
      updateOrder(this.db, row.account_id, row.client_order_id, {
        status: 'sent',
        sent_at: sentAt,
        updated_at: sentAt,
      })
      let vo: VenueOrder
      try {
        vo = await send()
      } catch (err) {
        const e = asAppError(err)
        // Refused for certain: nothing to look up.
        if (definitelyRefused(err, e)) {
          this.tx(() => rejectOrder(this, { ...row, sent_at: sentAt }, e))
          this.pretrade.invalidateBalances(row.account_id)
          throw e
        }
        // The request may have reached the exchange: never resend, find out.
        this.resolver.markUnknown(
          row,
          `No answer to the order (${e.message}); looking it up by its client order id`,
          this.clock.now(),
          venue.recvWindowMs,
          true,
        )
        this.inFlight.delete(k)
        return await this.resolve(venue, row.account_id, row.client_order_id)
      }
      const result = this.tx(() => applyVenueOrder(this, row.account_id, vo, { expected: row }))
      this.pretrade.adjustCachedBalances(result)
      if (result.missingFills) await syncMissingFills(this, venue, row)
      return result.missingFills ? this.order(row.account_id, row.client_order_id) : result.order
    } finally {
      this.inFlight.delete(k)
    }
  }

  // ------------------------------------------------------------ canceling

  /** See order-cancel.ts. */
  cancelOrder(venue: TradingVenue, accountId: string, clientOrderId: string): Promise<Order> {
    return cancelOrder(this, this.resolver, this.pretrade, venue, accountId, clientOrderId)
  }

  // ------------------------------------------------------------ modifying

  /** See order-modify.ts. `beforeSend` runs right before anything is sent to an exchange. */
  modifyOrder(
    account: StoredAccount,
    venue: TradingVenue,
    clientOrderId: string,
    change: OrderChange,
    beforeSend?: () => void,
  ): Promise<OrderModification> {
    const deps = {
      ledger: this,
      resolver: this.resolver,
      pretrade: this.pretrade,
      newId: this.newId,
      modifying: this.modifying,
      placeRemote: (
        v: TradingVenue,
        row: OrderRow,
        req: VenueOrderRequest,
        send: () => Promise<VenueOrder>,
      ) => this.placeRemote(v, row, req, null, [], send),
    }
    return modifyOrder(deps, account, venue, clientOrderId, change, beforeSend)
  }

  // ------------------------------------------------------------ unknown outcomes (order-resolve.ts)

  /**
   * Looks an unresolved order up by its client order id and settles it if it can; returns the
   * order as it now stands. Concurrent calls for one order share one lookup.
   */
  resolve(venue: TradingVenue, accountId: string, clientOrderId: string): Promise<Order> {
    return this.resolver.resolve(venue, accountId, clientOrderId)
  }

  /** Marks a sent order `unknown`: it is looked up by its client order id, never sent again. */
  markUnknown(row: OrderRow, message: string, venue: TradingVenue): Order {
    return this.resolver.markUnknown(row, message, this.clock.now(), venue.recvWindowMs, true)
  }

  /** Orders left `pending` or `sent` by a previous run become `unknown`; returns how many. */
  adoptOrphans(accountId: string, recvWindowMs: number): number {
    return this.resolver.adoptOrphans(accountId, recvWindowMs)
  }

  // ------------------------------------------------------------ adopting exchange state (order-adopt.ts)

  /** Adopts what the exchange says about an order. Must run inside `tx`. */
  apply(accountId: string, vo: VenueOrder, opts: ApplyOptions = {}): ApplyResult {
    return applyVenueOrder(this, accountId, vo, opts)
  }

  /** Adopts what a local venue's tick did. Must run inside `tx`. */
  applyTick(accountId: string, updates: readonly VenueUpdate[]): void {
    applyTick(this, accountId, updates)
  }

  tradeToFill(accountId: string, t: VenueTrade, clientOrderId: string | null, vo?: VenueOrder): Fill {
    return tradeToFill(this.clock, accountId, t, clientOrderId, vo)
  }

  /** Records the trades in one symbol from `since` that we lack (fill-sync.ts). */
  syncFills(
    venue: TradingVenue,
    accountId: string,
    symbol: string,
    since: number,
    recordEvents: boolean,
  ): Promise<Fill[]> {
    return syncFills(this, venue, accountId, symbol, since, recordEvents)
  }
}
