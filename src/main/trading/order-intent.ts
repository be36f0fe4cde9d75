import type { NormalizedLeg, NormalizedOrder } from '../../shared/domain/trading'
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
  links: { ocoGroup?: string | null; parent?: string | null } = {},
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
    trailing_percent: n.trailingPercent,
    trailing_amount: n.trailingAmount,
    activation_price: n.activationPrice,
    water_mark: null,
    post_only: n.postOnly ? 1 : 0,
    reduce_only: n.reduceOnly ? 1 : 0,
    emulated: n.emulated ? 1 : 0,
    oco_group: links.ocoGroup ?? null,
    parent_client_order_id: links.parent ?? null,
  }
  return { row, request: requestOf(row) }
}

/** The request that places an order row as it stands (its own type and fields, its client id). */
export function requestOf(row: OrderRow): VenueOrderRequest {
  const request: VenueOrderRequest = {
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    amount: row.amount,
    clientOrderId: row.client_order_id,
  }
  if (row.price !== null) request.price = row.price
  if (row.stop_price !== null && row.type !== 'trailing_stop') request.stopPrice = row.stop_price
  if (row.trailing_percent !== null) request.trailingPercent = row.trailing_percent
  if (row.trailing_amount !== null) request.trailingAmount = row.trailing_amount
  if (row.activation_price !== null) request.activationPrice = row.activation_price
  if (row.post_only === 1) request.postOnly = true
  return request
}

/**
 * A bracket or OCO leg as a normalized order of `amount`: post-only limit take-profits, stop or
 * stop-limit stop-losses; emulated when the venue has no OCO lists (the engine then cancels the
 * other leg) and the leg is the stop, or when it cannot hold the stop's type at all.
 */
export function legOrder(
  symbol: string,
  leg: NormalizedLeg,
  amount: number,
  emulated: boolean,
  postOnly: boolean,
): NormalizedOrder {
  return {
    symbol,
    side: leg.side,
    type: leg.type,
    amount,
    price: leg.price,
    stopPrice: leg.stopPrice,
    trailingPercent: null,
    trailingAmount: null,
    activationPrice: null,
    postOnly: leg.type === 'limit' && postOnly,
    reduceOnly: false,
    takeProfit: null,
    stopLoss: null,
    last: null,
    emulated,
    referencePrice: leg.price ?? leg.stopPrice ?? 0,
    notional: 0,
    requires: { asset: '', amount: 0 },
    feeRate: 0,
    adjustments: [],
  }
}
