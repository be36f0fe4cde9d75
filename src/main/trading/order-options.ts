import type { OrderRow } from './store'

/** The option columns of an order row (see orderSchema), as a plain order has them. */
export type OrderOptionColumns = Pick<
  OrderRow,
  | 'trailing_percent'
  | 'trailing_amount'
  | 'activation_price'
  | 'water_mark'
  | 'post_only'
  | 'reduce_only'
  | 'emulated'
  | 'oco_group'
  | 'parent_client_order_id'
>

/** A market or limit order with no trailing, no flags and no links (an external order, say). */
export const NO_OPTIONS: Readonly<OrderOptionColumns> = {
  trailing_percent: null,
  trailing_amount: null,
  activation_price: null,
  water_mark: null,
  post_only: 0,
  reduce_only: 0,
  emulated: 0,
  oco_group: null,
  parent_client_order_id: null,
}
