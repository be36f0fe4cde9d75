import type { Column } from './columns'

type Def = Column
const text = (name: string, dflt: boolean, description: string, sql: string): Def => ({
  name,
  kind: 'text',
  default: dflt,
  description,
  sql,
})
const decimal = (name: string, dflt: boolean, description: string, sql: string): Def => ({
  name,
  kind: 'decimal',
  default: dflt,
  description,
  sql,
})
const time = (name: string, dflt: boolean, description: string, sql: string): Def => ({
  name,
  kind: 'time',
  default: dflt,
  description,
  sql,
})
/** A 0/1 column: true only for 1, as the trading store writes it. */
const flag = (name: string, description: string, sql: string): Def => ({
  name,
  kind: 'boolean',
  default: false,
  description,
  sql: `(${sql} IS 1)`,
})

/** The columns of `export orders`, in their default order. */
export const ORDER_COLUMNS: readonly Def[] = [
  time('created_at', true, 'when the order was made (its intent stored)', 't.created_at'),
  text('account', true, "the account's name", 'a.name'),
  text('symbol', true, 'market, BASE/QUOTE', 't.symbol'),
  text('side', true, 'buy or sell', 't.side'),
  text(
    'type',
    true,
    'market, limit, stop, stop_limit, take_profit, take_profit_limit, trailing_stop',
    't.type',
  ),
  text('status', true, 'the order status (docs/API.md, trading)', 't.status'),
  decimal('amount', true, 'base amount ordered', 't.amount'),
  decimal('filled', true, 'base amount filled', 't.filled'),
  decimal('price', true, 'limit price', 't.price'),
  decimal('stop_price', true, 'trigger price', 't.stop_price'),
  decimal('average', true, 'average fill price', 't.average'),
  text('client_order_id', true, "Candlework's id of the order", 't.client_order_id'),
  text('order_id', true, "the exchange's id of the order", 't.exchange_order_id'),
  text('origin', true, 'local (placed here) or external (found on the exchange)', 't.origin'),
  time('updated_at', true, 'last change', 't.updated_at'),
  time('sent_at', false, 'when it was sent to the venue', 't.sent_at'),
  text('account_id', false, "the account's id", 't.account_id'),
  decimal('trailing_percent', false, 'trailing stop distance in %', 't.trailing_percent'),
  decimal('trailing_amount', false, 'trailing stop distance in quote', 't.trailing_amount'),
  decimal('activation_price', false, 'trailing stop activation price', 't.activation_price'),
  flag('post_only', 'refused rather than taking', 't.post_only'),
  flag('reduce_only', 'only reduces a position', 't.reduce_only'),
  flag('emulated', 'held and fired by Candlework', 't.emulated'),
  text('oco_group', false, 'id shared by the legs of one OCO', 't.oco_group'),
  text('parent_client_order_id', false, "a bracket leg's entry", 't.parent_client_order_id'),
  text('error_kind', false, 'why it failed, as a kind', 't.error_kind'),
  text('error_message', false, 'why it failed, in words', 't.error_message'),
]
