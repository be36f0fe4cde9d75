import type { NormalizedOrder } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { OrderRow } from './store'
import type { VenueOrderRequest } from './venue'

/**
 * The intent: the row an order is written as before the venue sees it, with a fresh client
 * order id, and the request that will carry that id. Writing it first is what lets an order
 * with no answer be looked up instead of resent.
 */
export function createIntent(
  clock: Clock,
  newClientOrderId: () => string,
  accountId: string,
  n: NormalizedOrder,
  status: 'pending' | 'sent',
  sentAt: number | null,
): { row: OrderRow; request: VenueOrderRequest } {
  const now = clock.now()
  const row: OrderRow = {
    account_id: accountId,
    client_order_id: newClientOrderId(),
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
