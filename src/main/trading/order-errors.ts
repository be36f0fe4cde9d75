import { AppError } from '../../shared/contract/errors'
import type { Order, OrderStatus } from '../../shared/domain/trading'
import { wasNotSent } from '../exchange/errors'
import type { OrderLedger } from './order-ledger'
import { updateOrder, type OrderRow } from './store'

/**
 * How a failure to place an order is classified: refused for certain (the order is recorded as
 * `rejected` or `not_placed`), or of unknown outcome (the order must be looked up, never resent).
 */

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

/** Anything thrown, as an AppError; what is not one has an unknown outcome. */
export function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  const message = err instanceof Error ? err.message : String(err)
  return new AppError('outcome_unknown', `unexpected failure: ${message}`)
}

/**
 * Whether sending an order failed in a way that proves it is not on the book: refused before it
 * left (open circuit, unsafe clock skew) or refused by the exchange. A "duplicate order" refusal
 * proves the opposite: an order with that client id already exists.
 */
export function definitelyRefused(err: unknown, e: AppError): boolean {
  const definite = wasNotSent(err) || DEFINITE_REJECTIONS.has(e.kind)
  return definite && !/duplicate order/i.test(e.message)
}

/**
 * Records a refused order: `not_placed` when it never reached the exchange or the exchange
 * turned it away without judging it (rate limit, auth), else `rejected`.
 */
export function rejectOrder(ledger: OrderLedger, row: OrderRow, e: AppError): Order {
  const status: OrderStatus =
    wasNotSent(e) || e.kind === 'rate_limited' || e.kind === 'auth_failed' ? 'not_placed' : 'rejected'
  const t = ledger.clock.now()
  updateOrder(ledger.db, row.account_id, row.client_order_id, {
    status,
    error_kind: e.kind,
    error_message: e.message,
    updated_at: t,
  })
  return ledger.emitOrderRow(row.account_id, row.client_order_id)
}
