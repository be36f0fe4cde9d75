import type { Clock } from '../clock'
import { toOptionalText } from './decimal'
import type { OrderRow } from './store'
import type { CheckedLeg, CheckedOrder } from './validation'

/** A bracket's legs as rows stored with their entry (the life that follows: brackets.ts). */

/** The waiting legs of a bracket entry, ready to store with it. */
export function bracketLegRows(
  clock: Clock,
  newId: () => string,
  entry: OrderRow,
  n: Pick<CheckedOrder, 'takeProfit' | 'stopLoss'>,
): OrderRow[] {
  if (n.takeProfit === null && n.stopLoss === null) return []
  const group = newId()
  const legs: OrderRow[] = []
  if (n.takeProfit !== null) legs.push(legRow(clock, newId(), entry, n.takeProfit, group))
  if (n.stopLoss !== null) legs.push(legRow(clock, newId(), entry, n.stopLoss, group))
  return legs
}

function legRow(
  clock: Clock,
  clientOrderId: string,
  entry: OrderRow,
  leg: CheckedLeg,
  group: string,
): OrderRow {
  const now = clock.now()
  return {
    account_id: entry.account_id,
    client_order_id: clientOrderId,
    exchange_order_id: null,
    symbol: entry.symbol,
    side: leg.side,
    type: leg.type,
    amount: entry.amount,
    price: toOptionalText(leg.price),
    stop_price: toOptionalText(leg.stopPrice),
    status: 'waiting',
    filled: '0',
    average: null,
    origin: 'local',
    error_kind: null,
    error_message: null,
    created_at: now,
    sent_at: null,
    updated_at: now,
    outcome_deadline: null,
    check_attempts: 0,
    next_check_at: null,
    trailing_percent: null,
    trailing_amount: null,
    activation_price: null,
    water_mark: null,
    // The take-profit is a post-only limit (Binance's OCO "LIMIT_MAKER" leg).
    post_only: leg.type === 'limit' ? 1 : 0,
    reduce_only: 0,
    emulated: 0,
    oco_group: group,
    parent_client_order_id: entry.client_order_id,
  }
}
