import type { Clock } from '../clock'
import { Decimal, toDecimal, toOptionalText } from './decimal'
import type { OrderRow } from './store'
import type { CheckedLeg, CheckedOrder } from './validation'
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
  n: CheckedOrder,
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
    amount: n.amount.toString(),
    price: toOptionalText(n.price),
    stop_price: toOptionalText(n.stopPrice),
    status,
    filled: '0',
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
    trailing_percent: toOptionalText(n.trailingPercent),
    trailing_amount: toOptionalText(n.trailingAmount),
    activation_price: toOptionalText(n.activationPrice),
    water_mark: null,
    post_only: n.postOnly ? 1 : 0,
    reduce_only: n.reduceOnly ? 1 : 0,
    emulated: n.emulated ? 1 : 0,
    oco_group: links.ocoGroup ?? null,
    parent_client_order_id: links.parent ?? null,
  }
  // The request is built from the checked order's Decimals, not read back from the row's text.
  const request: VenueOrderRequest = {
    symbol: n.symbol,
    side: n.side,
    type: n.type,
    amount: n.amount,
    clientOrderId: row.client_order_id,
  }
  if (n.price !== null) request.price = n.price
  if (n.stopPrice !== null && n.type !== 'trailing_stop') request.stopPrice = n.stopPrice
  if (n.trailingPercent !== null) request.trailingPercent = n.trailingPercent
  if (n.trailingAmount !== null) request.trailingAmount = n.trailingAmount
  if (n.activationPrice !== null) request.activationPrice = n.activationPrice
  if (n.postOnly) request.postOnly = true
  return { row, request }
}

/** The request that places an order row as it stands (its own type and fields, its client id). */
export function requestOf(row: OrderRow): VenueOrderRequest {
  const request: VenueOrderRequest = {
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    amount: toDecimal(row.amount),
    clientOrderId: row.client_order_id,
  }
  if (row.price !== null) request.price = toDecimal(row.price)
  if (row.stop_price !== null && row.type !== 'trailing_stop') request.stopPrice = toDecimal(row.stop_price)
  if (row.trailing_percent !== null) request.trailingPercent = toDecimal(row.trailing_percent)
  if (row.trailing_amount !== null) request.trailingAmount = toDecimal(row.trailing_amount)
  if (row.activation_price !== null) request.activationPrice = toDecimal(row.activation_price)
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
  leg: CheckedLeg,
  amount: Decimal,
  emulated: boolean,
  postOnly: boolean,
): CheckedOrder {
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
    referencePrice: leg.price ?? leg.stopPrice ?? Decimal.ZERO,
    notional: Decimal.ZERO,
    requires: { asset: '', amount: Decimal.ZERO },
    feeRate: Decimal.ZERO,
    adjustments: [],
  }
}
