import { AppError } from '../../shared/contract/errors'
import type { OrderRequest } from '../../shared/domain/trading'
import type { Db } from '../storage/database'
import { Decimal } from './decimal'
import { getOrderRequest, getOrderRow, insertOrderRequest, type OrderRow } from './store'

/**
 * A client order id chosen by the caller (`clientOrderId` in trading.placeOrder) names one
 * order. The request it was first placed with is kept beside the order
 * (trading_order_requests, in the intent's transaction), so that a second call under that id
 * is recognised:
 * - the same terms: a retry (the first answer was lost) — it is answered with the order made
 *   the first time, and nothing is sent;
 * - other terms: a mistake, or two submissions sharing an id — refused as `conflict`, naming
 *   the first field that differs, before anything is checked or sent.
 *
 * The terms are every field of the request but the account (part of the key), the id itself
 * and the live confirmation (a yes to sending, not part of the order). Amounts and prices are
 * compared as the numbers they are (`0.10` repeats `0.1`; a request stored before money became
 * decimal text, with JSON numbers, repeats the same decimals as text).
 */

/** The request's terms, as one canonical JSON text (keys sorted, absent fields left out). */
export function requestTerms(req: OrderRequest): string {
  const terms: Record<string, unknown> = {}
  for (const key of Object.keys(req).sort()) {
    if (key === 'accountId' || key === 'clientOrderId' || key === 'confirm') continue
    const value = (req as Record<string, unknown>)[key]
    if (value !== undefined) terms[key] = canonical(value)
  }
  return JSON.stringify(terms)
}

/** Decimal text and numbers as canonical decimal text, inside objects too; anything else as it is. */
function canonical(value: unknown): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) return Decimal.fromNumber(value).toString()
  if (typeof value === 'string') return Decimal.tryParse(value)?.toString() ?? value
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k])
    return out
  }
  return value
}

/** Writes the terms a caller-chosen id was first used with (inside the intent's transaction). */
export function rememberRequest(db: Db, accountId: string, req: OrderRequest): void {
  if (req.clientOrderId !== undefined) insertOrderRequest(db, accountId, req.clientOrderId, requestTerms(req))
}

/** Fields in the order the ticket shows them, so the one named is the one a trader would look at. */
const FIELD_ORDER = ['symbol', 'side', 'type', 'amount', 'notional', 'price', 'stopPrice']

/**
 * The stored order a request repeats, or undefined when its id (if any) is new. Throws
 * `conflict` naming the field when the id was used with other terms, or by an order the caller
 * did not name (the engine's own id, an order found on the exchange).
 */
export function repeatedOrder(db: Db, accountId: string, req: OrderRequest): OrderRow | undefined {
  const id = req.clientOrderId
  if (id === undefined) return undefined
  const row = getOrderRow(db, accountId, id)
  if (!row) return undefined
  const stored = getOrderRequest(db, accountId, id)
  if (stored === undefined) {
    throw new AppError(
      'conflict',
      `Order id ${id} already belongs to another order in this account (${row.side} ${row.symbol}); choose a new id`,
      'params.clientOrderId',
    )
  }
  const before = canonical(JSON.parse(stored)) as Record<string, unknown>
  const now = JSON.parse(requestTerms(req)) as Record<string, unknown>
  const keys = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort(
    (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  )
  const differs = keys.find((k) => JSON.stringify(before[k]) !== JSON.stringify(now[k]))
  if (differs !== undefined) {
    throw new AppError(
      'conflict',
      `Order id ${id} was already used for a different order: its ${differs} was ${shown(before[differs])}, this one has ${shown(now[differs])}. A retry must repeat the order exactly; a new order needs a new id`,
      `params.${differs}`,
    )
  }
  return row
}

function rank(key: string): number {
  const i = FIELD_ORDER.indexOf(key)
  return i === -1 ? FIELD_ORDER.length : i
}

function shown(v: unknown): string {
  return v === undefined ? 'not given' : typeof v === 'string' ? v : JSON.stringify(v)
}
