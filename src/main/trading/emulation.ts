import { toOptionalDecimal, toOptionalText, type Decimal } from './decimal'
import { TERMINAL_STATUSES, type Order } from '../../shared/domain/trading'
import { cancelLegs } from './brackets'
import { applyVenueOrder } from './order-adopt'
import { asAppError } from './order-errors'
import { requestOf } from './order-intent'
import { claimOrder, heldOrders, isHeld, ocoLegs } from './order-links'
import type { OrderPath } from './order-path'
import { updateOrder, type OrderRow } from './store'
import { firesAs, step } from './triggers'
import type { TradingVenue, VenueOrderRequest } from './venue'

/**
 * Emulated orders: the types an exchange cannot hold (venue-features.ts) are held by the engine.
 * Such an order is stored like any other (`emulated`, `open`, no exchange id), so it survives a
 * restart: nothing is kept in memory, every check reads the stored orders, and a trailing stop's
 * water mark is written as it moves, so it is re-armed exactly where it was.
 *
 * `checkHeld` watches the last price of each held order's symbol (triggers.ts). When one fires,
 * the engine first cancels the other legs of its OCO (if one of those has filled meanwhile, the
 * fired leg is dropped instead), then claims the order (`open` -> `pending`, so it fires once)
 * and sends it under its own client order id as a market order, or a limit order at its price
 * for stop-limit and take-profit-limit types, through the order path: an answer that does not
 * come makes it `unknown` and it is looked up, never resent. A held order fires only while
 * Candlework runs; the blotter labels it "emulated".
 */
export async function checkHeld(
  path: OrderPath,
  venue: TradingVenue,
  accountId: string,
  lastPrice: (symbol: string) => Promise<Decimal | undefined>,
): Promise<number> {
  dropOrphanedLegs(path, accountId)
  const rows = heldOrders(path.db, accountId)
  if (rows.length === 0) return 0
  const markets = await venue.loadMarkets()
  const lasts = new Map<string, Decimal | undefined>()
  let fired = 0
  for (const row of rows) {
    const market = markets.get(row.symbol)
    if (!market) continue
    if (!lasts.has(row.symbol)) lasts.set(row.symbol, await lastPrice(row.symbol).catch(() => undefined))
    const last = lasts.get(row.symbol)
    if (last === undefined || !last.isPositive()) continue
    const next = step(
      {
        type: row.type,
        side: row.side,
        stopPrice: toOptionalDecimal(row.stop_price),
        trailingPercent: toOptionalDecimal(row.trailing_percent),
        trailingAmount: toOptionalDecimal(row.trailing_amount),
        activationPrice: toOptionalDecimal(row.activation_price),
        waterMark: toOptionalDecimal(row.water_mark),
      },
      last,
      market.priceTick,
    )
    const waterMark = toOptionalText(next.waterMark)
    const stopPrice = toOptionalText(next.stopPrice)
    if (waterMark !== row.water_mark || stopPrice !== row.stop_price) {
      path.tx(() => {
        updateOrder(path.db, accountId, row.client_order_id, {
          water_mark: waterMark,
          stop_price: stopPrice,
          updated_at: path.clock.now(),
        })
        path.emitOrderRow(accountId, row.client_order_id)
      })
      row.water_mark = waterMark
      row.stop_price = stopPrice
    }
    if (next.fires && (await fire(path, venue, row))) fired++
  }
  return fired
}

/** Fires a held order (see the module comment); false when it did not go out. */
async function fire(path: OrderPath, venue: TradingVenue, row: OrderRow): Promise<boolean> {
  if (row.oco_group !== null) {
    const others = ocoLegs(path.db, row.account_id, row.oco_group).filter(
      (o) => o.client_order_id !== row.client_order_id,
    )
    for (const other of others) {
      const after = await cancelSibling(path, venue, other)
      if (after.filled !== '0' || after.status === 'filled') {
        cancelLegs(path, [row], `The other leg of its OCO (${other.client_order_id}) filled first`)
        return false
      }
    }
  }
  if (!claimOrder(path.db, row.account_id, row.client_order_id, 'open', 'pending', path.clock.now()))
    return false
  const request: VenueOrderRequest = { ...requestOf(row), type: firesAs(row.type) }
  delete request.stopPrice
  delete request.trailingPercent
  delete request.trailingAmount
  delete request.activationPrice
  if (request.type === 'market') delete request.price
  await path.sendStored(venue, { ...row, status: 'pending' }, request).catch(() => undefined)
  return true
}

/**
 * Cancels one leg of an OCO whose other leg fires or was canceled: a held leg at once, one on
 * the book through the venue (already gone: its state is adopted). Answers with the leg as it
 * ends up.
 */
export async function cancelSibling(path: OrderPath, venue: TradingVenue, other: OrderRow): Promise<Order> {
  if (TERMINAL_STATUSES.includes(other.status)) return path.order(other.account_id, other.client_order_id)
  if (isHeld(other) || other.status === 'waiting') {
    cancelLegs(path, [other], 'The other leg of its OCO filled, fired or was canceled')
    return path.order(other.account_id, other.client_order_id)
  }
  if (other.exchange_order_id === null) return path.order(other.account_id, other.client_order_id)
  const ref = { symbol: other.symbol, id: other.exchange_order_id }
  try {
    const vo = await venue.cancelOrder(ref)
    path.tx(() => applyVenueOrder(path, other.account_id, vo))
  } catch (err) {
    if (asAppError(err).kind !== 'not_found') throw err
    const vo = await venue.fetchOrder(ref)
    path.tx(() => applyVenueOrder(path, other.account_id, vo))
  }
  return path.order(other.account_id, other.client_order_id)
}

/**
 * Held legs whose OCO is already decided: another leg filled (the exchange knew nothing of the
 * held one) or was canceled or expired. They are dropped, saying why.
 */
function dropOrphanedLegs(path: OrderPath, accountId: string): void {
  for (const row of heldOrders(path.db, accountId)) {
    if (row.oco_group === null) continue
    const others = ocoLegs(path.db, accountId, row.oco_group).filter(
      (o) => o.client_order_id !== row.client_order_id,
    )
    const decided = others.find(
      (o) => o.filled !== '0' || ['filled', 'canceled', 'rejected'].includes(o.status),
    )
    if (!decided) continue
    const why =
      decided.filled !== '0'
        ? `The other leg of its OCO (${decided.client_order_id}) filled`
        : `The other leg of its OCO (${decided.client_order_id}) was ${decided.status}`
    cancelLegs(path, [row], why)
  }
}
