import type { Order } from '../../shared/domain/trading'
import { toDecimal, type Decimal } from './decimal'
import { applyVenueOrder } from './order-adopt'
import { asAppError, definitelyRefused, rejectOrder } from './order-errors'
import { requestOf } from './order-intent'
import { claimOrder } from './order-links'
import type { OrderPath } from './order-path'
import { updateOrder, type OrderRow } from './store'
import { isLocalVenue, type TradingVenue, type VenueOcoRequest, type VenueOrder } from './venue'
import { BASIC_FEATURES, mustEmulate } from './venue-features'

/**
 * Placing the legs of an OCO (a standalone one, or a bracket's once its entry is done), from
 * rows already stored with their client order ids:
 *
 * - both legs on a venue with OCO lists: sent as one list (Binance's order list; the paper
 *   book's group), so the exchange cancels the other leg when one fills or triggers;
 * - otherwise the take-profit goes to the book as a limit order and the stop-loss is held by
 *   the engine (emulated.ts), which cancels the take-profit before it fires the stop and drops
 *   the stop when the take-profit fills; a single leg is placed on its own, held if the venue
 *   cannot hold its type.
 *
 * The legs are claimed (moved out of `from`) before anything is sent, so two callers never
 * place them twice; an answer that does not come makes them `unknown`, looked up by their
 * client order ids like any order.
 */
export async function placeLegs(
  path: OrderPath,
  venue: TradingVenue,
  legs: { takeProfit?: OrderRow | undefined; stopLoss?: OrderRow | undefined },
  from: 'waiting' | 'pending',
  size: Decimal,
): Promise<Order[]> {
  const amount = size.toString()
  const { db, clock } = path
  const features = venue.features ?? BASIC_FEATURES
  const tp = legs.takeProfit
  const sl = legs.stopLoss
  const local = isLocalVenue(venue)
  const asList =
    tp !== undefined && sl !== undefined && features.has('oco') && (local || venue.createOco !== undefined)
  const holdStop =
    sl !== undefined &&
    !asList &&
    (tp !== undefined || mustEmulate({ type: sl.type, trailingAmount: null }, features))
  const rows = [tp, sl].filter((r): r is OrderRow => r !== undefined)
  const claimed = path.tx(() => {
    const now = clock.now()
    for (const r of rows) {
      if (!claimOrder(db, r.account_id, r.client_order_id, from, 'pending', now)) return false
    }
    for (const r of rows) {
      const held = r === sl && holdStop
      r.amount = amount
      r.status = held ? 'open' : 'pending'
      if (held) r.emulated = 1
      // Without post-only on the venue the take-profit is a plain limit (it rests all the same).
      if (r === tp && !features.has('post_only')) r.post_only = 0
      updateOrder(db, r.account_id, r.client_order_id, {
        amount,
        status: r.status,
        emulated: r.emulated,
        post_only: r.post_only,
        updated_at: now,
      })
      path.emitOrderRow(r.account_id, r.client_order_id)
    }
    return true
  })
  if (!claimed) return rows.map((r) => path.order(r.account_id, r.client_order_id))
  if (asList) return sendList(path, venue, tp, sl)
  const out: Order[] = []
  for (const r of rows) {
    if (r.status === 'open') out.push(path.order(r.account_id, r.client_order_id))
    else
      out.push(
        await path
          .sendStored(venue, r, requestOf(r))
          .catch(() => path.order(r.account_id, r.client_order_id)),
      )
  }
  return out
}

/** Both legs as one list: in the caller's transaction on a local venue, else sent once. */
async function sendList(path: OrderPath, venue: TradingVenue, tp: OrderRow, sl: OrderRow): Promise<Order[]> {
  const { db, clock } = path
  const request: VenueOcoRequest = {
    symbol: tp.symbol,
    side: tp.side,
    amount: toDecimal(tp.amount),
    takeProfitPrice: toDecimal(tp.price!),
    stopPrice: toDecimal(sl.stop_price!),
    takeProfitClientOrderId: tp.client_order_id,
    stopClientOrderId: sl.client_order_id,
    listClientOrderId: tp.oco_group!,
  }
  if (sl.price !== null) request.stopLimitPrice = toDecimal(sl.price)
  const sentAt = clock.now()
  const markSent = () => {
    for (const r of [tp, sl]) {
      updateOrder(db, r.account_id, r.client_order_id, {
        status: 'sent',
        sent_at: sentAt,
        updated_at: sentAt,
      })
    }
  }
  const adopt = (answer: VenueOrder[]) =>
    path.tx(() => {
      for (const [i, r] of [tp, sl].entries()) {
        const vo = answer.find((o) => o.clientOrderId === r.client_order_id) ?? answer[i]
        if (vo) applyVenueOrder(path, r.account_id, vo, { expected: r })
      }
    })
  const refuse = (err: unknown) => {
    const e = asAppError(err)
    path.tx(() => {
      for (const r of [tp, sl]) rejectOrder(path, { ...r, sent_at: sentAt }, e)
    })
  }
  if (isLocalVenue(venue)) {
    path.tx(() => {
      markSent()
      try {
        adopt(venue.createOcoSync(request))
      } catch (err) {
        refuse(err)
      }
    })
    return [tp, sl].map((r) => path.order(r.account_id, r.client_order_id))
  }
  markSent()
  try {
    adopt(await venue.createOco!(request))
  } catch (err) {
    const e = asAppError(err)
    if (definitelyRefused(err, e)) refuse(err)
    else {
      for (const r of [tp, sl]) {
        path.markUnknown(
          r,
          `No answer to the OCO (${e.message}); looking its legs up by their client order ids`,
          venue,
        )
      }
      for (const r of [tp, sl])
        await path.resolve(venue, r.account_id, r.client_order_id).catch(() => undefined)
    }
  }
  return [tp, sl].map((r) => path.order(r.account_id, r.client_order_id))
}
