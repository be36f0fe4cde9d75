import { AppError } from '../../shared/contract/errors'
import type { Fill, NormalizedOrder, Order, OrderRequest } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import type { ChangeBus } from './bus'
import { clientOrderIdGenerator } from './client-order-id'
import { syncFills, syncMissingFills } from './fill-sync'
import { placeLocalBatch } from './local-batch'
import { applyTick, applyVenueOrder, tradeToFill, type ApplyOptions, type ApplyResult } from './order-adopt'
import { cancelOrder } from './order-cancel'
import { asAppError, definitelyRefused, rejectOrder } from './order-errors'
import { createIntent } from './order-intent'
import { orderKey } from './order-key'
import { OrderLedger } from './order-ledger'
import { rememberRequest, repeatedOrder } from './order-repeat'
import { OutcomeResolver } from './order-resolve'
import { PretradeChecks } from './pretrade'
import { insertOrder, orderFromRow, updateOrder, type OrderRow, type StoredAccount } from './store'
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
  validate(account: StoredAccount, venue: TradingVenue, req: OrderRequest): Promise<NormalizedOrder> {
    return this.pretrade.validate(account, venue, req)
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
    const k = orderKey(row.account_id, row.client_order_id)
    const placed = this.placeRemote(venue, row, request, req)
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
    return placeLocalBatch(this, this.newId, account, venue, reqs)
  }

  /** Writes the intent, marks it sent, sends it once and adopts the answer or finds out what became of it. */
  private async placeRemote(
    venue: TradingVenue,
    row: OrderRow,
    request: VenueOrderRequest,
    req: OrderRequest,
  ): Promise<Order> {
    const k = orderKey(row.account_id, row.client_order_id)
    this.tx(() => {
      insertOrder(this.db, row)
      rememberRequest(this.db, row.account_id, req)
    })
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

  // ------------------------------------------------------------ unknown outcomes (order-resolve.ts)

  /**
   * Looks an unresolved order up by its client order id and settles it if it can; returns the
   * order as it now stands. Concurrent calls for one order share one lookup.
   */
  resolve(venue: TradingVenue, accountId: string, clientOrderId: string): Promise<Order> {
    return this.resolver.resolve(venue, accountId, clientOrderId)
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
