import type { Order } from '../../shared/domain/trading'
import { backoffDelay } from '../../shared/net/backoff'
import { syncMissingFills } from './fill-sync'
import { applyVenueOrder } from './order-adopt'
import { asAppError } from './order-errors'
import { orderKey } from './order-key'
import type { OrderLedger } from './order-ledger'
import type { PretradeChecks } from './pretrade'
import { ordersWithStatus, updateOrder, type OrderRow } from './store'
import type { TradingVenue, VenueOrder } from './venue'

export interface OutcomeTiming {
  /**
   * Added to the venue's recvWindow before an order that is still not found is declared not
   * placed: covers clock skew between us and the exchange and time a request spends queued.
   */
  marginMs: number
  /** Backoff for looking up unknown outcomes: base doubling per attempt up to max. */
  backoffBaseMs: number
  backoffMaxMs: number
}

/**
 * Settling orders whose outcome is unknown (sent, but no answer): they are looked up by their
 * client order id, never sent again. Found -> the exchange's state is adopted. Not found once
 * no request signed before can still be accepted (its receive window plus a margin) ->
 * `not_placed`. Lookup failing or too early -> still `unknown`, looked up again with backoff.
 */
export class OutcomeResolver {
  /** Orders being looked up, so two lookups never race. */
  private readonly resolving = new Map<string, Promise<Order>>()

  constructor(
    private readonly ledger: OrderLedger,
    private readonly pretrade: PretradeChecks,
    /** Orders between intent and answer in this process: their sender settles them. */
    private readonly inFlight: ReadonlySet<string>,
    private readonly timing: OutcomeTiming,
  ) {}

  /** When an order not found by then provably never arrives: its receive window plus margin from `t`. */
  private deadline(t: number, recvWindowMs: number): number {
    return t + recvWindowMs + this.timing.marginMs
  }

  private backoff(attempts: number, retryAfterMs?: number): number {
    const policy = { baseMs: this.timing.backoffBaseMs, maxMs: this.timing.backoffMaxMs }
    return backoffDelay(attempts, policy, { retryAfterMs })
  }

  /**
   * Marks an order `unknown` at `t` with the reason, due to be looked up at once and declared
   * not placed if still absent past its deadline. `resetAttempts` starts its backoff afresh.
   */
  markUnknown(
    row: OrderRow,
    message: string,
    t: number,
    recvWindowMs: number,
    resetAttempts: boolean,
  ): Order {
    updateOrder(this.ledger.db, row.account_id, row.client_order_id, {
      status: 'unknown',
      error_kind: 'outcome_unknown',
      error_message: message,
      updated_at: t,
      outcome_deadline: this.deadline(t, recvWindowMs),
      ...(resetAttempts ? { check_attempts: 0 } : {}),
      next_check_at: t,
    })
    return this.ledger.emitOrderRow(row.account_id, row.client_order_id)
  }

  /**
   * Looks an unresolved order up by its client order id and settles it if it can; returns the
   * order as it now stands. Concurrent calls for one order share one lookup.
   */
  resolve(venue: TradingVenue, accountId: string, clientOrderId: string): Promise<Order> {
    const k = orderKey(accountId, clientOrderId)
    const running = this.resolving.get(k)
    if (running) return running
    const p = this.resolveOnce(venue, accountId, clientOrderId).finally(() => this.resolving.delete(k))
    this.resolving.set(k, p)
    return p
  }

  private async resolveOnce(venue: TradingVenue, accountId: string, clientOrderId: string): Promise<Order> {
    const { ledger } = this
    const row = ledger.row(accountId, clientOrderId)
    if (!['pending', 'sent', 'unknown', 'not_placed'].includes(row.status))
      return ledger.order(accountId, clientOrderId)
    if (this.inFlight.has(orderKey(accountId, clientOrderId))) return ledger.order(accountId, clientOrderId)
    let found: VenueOrder | undefined
    try {
      found = await this.lookup(venue, row)
    } catch (err) {
      const e = asAppError(err)
      if (row.status === 'not_placed') return ledger.order(accountId, clientOrderId)
      const attempts = row.check_attempts + 1
      const wait = this.backoff(attempts, (e.retryAfter ?? 0) * 1000)
      const t = ledger.clock.now()
      updateOrder(ledger.db, accountId, clientOrderId, {
        status: 'unknown',
        check_attempts: attempts,
        next_check_at: t + wait,
        updated_at: t,
        error_kind: 'outcome_unknown',
        error_message: `Looking the order up failed (${e.message}); next try in ${Math.round(wait / 1000)} s`,
      })
      return ledger.emitOrderRow(accountId, clientOrderId)
    }
    if (found) {
      const r = ledger.tx(() => {
        const result = applyVenueOrder(ledger, accountId, found, { expected: row })
        const wasNotPlaced = row.status === 'not_placed'
        ledger.event(accountId, wasNotPlaced ? 'state_mismatch' : 'intent_resolved', {
          symbol: row.symbol,
          clientOrderId,
          exchangeOrderId: found.id,
          detail: wasNotPlaced
            ? `Order ${clientOrderId} was marked not placed but the exchange has it (${result.order.status}); adopted the exchange's state`
            : `Order ${clientOrderId} with an unknown outcome was found on the exchange (${result.order.status}); adopted it`,
        })
        updateOrder(ledger.db, accountId, clientOrderId, {
          error_kind: null,
          error_message: null,
          next_check_at: null,
          outcome_deadline: null,
        })
        return result
      })
      this.pretrade.invalidateBalances(accountId)
      if (r.missingFills) await syncMissingFills(ledger, venue, row)
      return ledger.emitOrderRow(accountId, clientOrderId)
    }
    if (row.status === 'not_placed') return ledger.order(accountId, clientOrderId)
    // Not found. Only conclusive once no request signed before now can still be accepted.
    const t = ledger.clock.now()
    const deadline = row.outcome_deadline ?? this.deadline(t, venue.recvWindowMs)
    if (t >= deadline) {
      ledger.tx(() => {
        updateOrder(ledger.db, accountId, clientOrderId, {
          status: 'not_placed',
          error_kind: 'outcome_unknown',
          error_message: `Not on the exchange ${seconds(t - (row.sent_at ?? row.created_at))} s after sending, past its ${seconds(venue.recvWindowMs)} s receive window: it was never placed`,
          updated_at: t,
          next_check_at: null,
        })
        ledger.event(accountId, 'intent_not_placed', {
          symbol: row.symbol,
          clientOrderId,
          exchangeOrderId: null,
          detail: `Order ${clientOrderId} (${row.side} ${row.amount} ${row.symbol}) is not on the exchange and can no longer arrive; marked not placed`,
        })
      })
      return ledger.emitOrderRow(accountId, clientOrderId)
    }
    const attempts = row.check_attempts + 1
    updateOrder(ledger.db, accountId, clientOrderId, {
      status: 'unknown',
      check_attempts: attempts,
      next_check_at: Math.min(deadline, t + this.backoff(attempts)),
      outcome_deadline: deadline,
      updated_at: t,
    })
    return ledger.emitOrderRow(accountId, clientOrderId)
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

  /**
   * Orders left `pending` or `sent` by a previous run (a crash between intent and answer):
   * they become `unknown`. Any request for them was signed before this process started, so
   * they are provably not placed if still absent one receive window (plus margin) from now.
   */
  adoptOrphans(accountId: string, recvWindowMs: number): number {
    const t = this.ledger.clock.now()
    let n = 0
    for (const row of ordersWithStatus(this.ledger.db, accountId, ['pending', 'sent'])) {
      if (this.inFlight.has(orderKey(accountId, row.client_order_id))) continue
      this.markUnknown(
        row,
        `Candlework stopped while this order was being ${row.status === 'pending' ? 'prepared' : 'sent'}; looking it up by its client order id`,
        t,
        recvWindowMs,
        false,
      )
      n++
    }
    return n
  }
}

/** A duration in ms as seconds for messages: 1500 -> "1.5", 2000 -> "2". */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(1).replace(/\.0$/, '')
}
