import type { OrderRow } from '../trading/store'
import type { Column } from './columns'

/** A stored order with its account's name, as the export query reads it. */
export type OrderExportRow = OrderRow & { account_name: string }

type Def = Column<OrderExportRow>
const text = (name: string, dflt: boolean, description: string, value: Def['value']): Def => ({
  name,
  kind: 'text',
  default: dflt,
  description,
  value,
})
const decimal = (name: string, dflt: boolean, description: string, value: Def['value']): Def => ({
  name,
  kind: 'decimal',
  default: dflt,
  description,
  value,
})
const time = (name: string, dflt: boolean, description: string, value: Def['value']): Def => ({
  name,
  kind: 'time',
  default: dflt,
  description,
  value,
})
const flag = (name: string, description: string, value: (r: OrderExportRow) => number): Def => ({
  name,
  kind: 'boolean',
  default: false,
  description,
  value: (r) => value(r) === 1,
})

/** The columns of `export orders`, in their default order. */
export const ORDER_COLUMNS: readonly Def[] = [
  time('created_at', true, 'when the order was made (its intent stored)', (r) => r.created_at),
  text('account', true, "the account's name", (r) => r.account_name),
  text('symbol', true, 'market, BASE/QUOTE', (r) => r.symbol),
  text('side', true, 'buy or sell', (r) => r.side),
  text(
    'type',
    true,
    'market, limit, stop, stop_limit, take_profit, take_profit_limit, trailing_stop',
    (r) => r.type,
  ),
  text('status', true, 'the order status (docs/API.md, trading)', (r) => r.status),
  decimal('amount', true, 'base amount ordered', (r) => r.amount),
  decimal('filled', true, 'base amount filled', (r) => r.filled),
  decimal('price', true, 'limit price', (r) => r.price),
  decimal('stop_price', true, 'trigger price', (r) => r.stop_price),
  decimal('average', true, 'average fill price', (r) => r.average),
  text('client_order_id', true, "Candlework's id of the order", (r) => r.client_order_id),
  text('order_id', true, "the exchange's id of the order", (r) => r.exchange_order_id),
  text('origin', true, 'local (placed here) or external (found on the exchange)', (r) => r.origin),
  time('updated_at', true, 'last change', (r) => r.updated_at),
  time('sent_at', false, 'when it was sent to the venue', (r) => r.sent_at),
  text('account_id', false, "the account's id", (r) => r.account_id),
  decimal('trailing_percent', false, 'trailing stop distance in %', (r) => r.trailing_percent),
  decimal('trailing_amount', false, 'trailing stop distance in quote', (r) => r.trailing_amount),
  decimal('activation_price', false, 'trailing stop activation price', (r) => r.activation_price),
  flag('post_only', 'refused rather than taking', (r) => r.post_only),
  flag('reduce_only', 'only reduces a position', (r) => r.reduce_only),
  flag('emulated', 'held and fired by Candlework', (r) => r.emulated),
  text('oco_group', false, 'id shared by the legs of one OCO', (r) => r.oco_group),
  text('parent_client_order_id', false, "a bracket leg's entry", (r) => r.parent_client_order_id),
  text('error_kind', false, 'why it failed, as a kind', (r) => r.error_kind),
  text('error_message', false, 'why it failed, in words', (r) => r.error_message),
]
