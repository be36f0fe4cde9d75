import { AppError } from '../../shared/contract/errors'
import { TERMINAL_STATUSES, type Order } from '../../shared/domain/trading'
import { cancelLegs } from './brackets'
import { cancelSibling } from './emulation'
import { applyVenueOrder } from './order-adopt'
import { isHeld, ocoLegs } from './order-links'
import type { OrderPath } from './order-path'
import type { OrderRow } from './store'
import type { TradingVenue } from './venue'

/**
 * Canceling orders linked to others, around the order path's cancel (order-cancel.ts):
 *
 * - a bracket leg still `waiting`, or an order the engine holds (emulated), is on no book: it is
 *   canceled here at once, with the other legs of its OCO;
 * - canceling one leg of an OCO cancels the OCO, as on Binance: after the order path's cancel,
 *   each other leg is canceled too (a waiting or held one here; one on the book through the
 *   venue, or, when the exchange already canceled the list, its state is adopted).
 */
export async function cancelLinked(
  path: OrderPath,
  venue: TradingVenue,
  accountId: string,
  clientOrderId: string,
  cancelOnBook: () => Promise<Order>,
): Promise<Order> {
  const row = path.row(accountId, clientOrderId)
  let order: Order
  if (row.status === 'waiting' || isHeld(row)) {
    cancelLegs(path, [row], null)
    order = path.order(accountId, clientOrderId)
    if (order.status !== 'canceled')
      throw new AppError(
        'conflict',
        `Order ${clientOrderId} is already ${order.status}`,
        'params.clientOrderId',
      )
  } else {
    order = await cancelOnBook()
  }
  if (row.oco_group !== null) await cancelOthers(path, venue, row)
  return path.order(accountId, clientOrderId)
}

/** The other legs of a canceled leg's OCO: canceled, or adopted as the exchange now has them. */
async function cancelOthers(path: OrderPath, venue: TradingVenue, row: OrderRow): Promise<void> {
  for (const other of ocoLegs(path.db, row.account_id, row.oco_group!)) {
    if (other.client_order_id === row.client_order_id || TERMINAL_STATUSES.includes(other.status)) continue
    if (other.status === 'waiting' || isHeld(other) || other.exchange_order_id === null) {
      if (other.status === 'waiting' || isHeld(other))
        cancelLegs(path, [other], 'The other leg of its OCO was canceled')
      continue
    }
    // The exchange canceled the list with the leg (Binance, the paper book): adopt that. A leg
    // still open there (an OCO the engine keeps, not the exchange) is canceled.
    const vo = await venue.fetchOrder({ symbol: other.symbol, id: other.exchange_order_id })
    const adopted = path.tx(() => applyVenueOrder(path, other.account_id, vo)).order
    if (adopted.status === 'open' || adopted.status === 'partially_filled')
      await cancelSibling(path, venue, other)
  }
}
