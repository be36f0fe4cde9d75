import { AppError } from '../../shared/contract/errors'
import type { Order, OrderStatus } from '../../shared/domain/trading'
import { TERMINAL_STATUSES } from '../../shared/domain/trading'
import { syncMissingFills } from './fill-sync'
import { applyVenueOrder } from './order-adopt'
import { asAppError } from './order-errors'
import type { OrderLedger } from './order-ledger'
import type { OutcomeResolver } from './order-resolve'
import type { PretradeChecks } from './pretrade'
import { isLocalVenue, type TradingVenue } from './venue'

/**
 * Canceling an order. An order of unknown outcome is looked up first: it cannot be canceled
 * until the exchange confirms it. One already gone from the book (filled or canceled
 * meanwhile) is a conflict, after adopting what the exchange says about it.
 */

const UNSETTLED: readonly OrderStatus[] = ['unknown', 'pending', 'sent']

function alreadyError(clientOrderId: string, status: OrderStatus): AppError {
  return new AppError('conflict', `Order ${clientOrderId} is already ${status}`, 'params.clientOrderId')
}

export async function cancelOrder(
  ledger: OrderLedger,
  resolver: OutcomeResolver,
  pretrade: PretradeChecks,
  venue: TradingVenue,
  accountId: string,
  clientOrderId: string,
): Promise<Order> {
  let row = ledger.row(accountId, clientOrderId)
  if (UNSETTLED.includes(row.status)) {
    await resolver.resolve(venue, accountId, clientOrderId).catch(() => undefined)
    row = ledger.row(accountId, clientOrderId)
    if (UNSETTLED.includes(row.status)) {
      throw new AppError(
        'conflict',
        `Order ${clientOrderId} has an unknown outcome; it cannot be canceled until the exchange confirms it`,
        'params.clientOrderId',
      )
    }
  }
  if (TERMINAL_STATUSES.includes(row.status) || row.exchange_order_id === null) {
    throw alreadyError(clientOrderId, row.status)
  }
  const ref = { symbol: row.symbol, id: row.exchange_order_id }
  if (isLocalVenue(venue)) {
    const outcome = ledger.tx(() => {
      try {
        return { order: applyVenueOrder(ledger, accountId, venue.cancelOrderSync(ref)).order, gone: false }
      } catch (err) {
        if (asAppError(err).kind !== 'not_found') throw err
        return { order: applyVenueOrder(ledger, accountId, venue.fetchOrderSync(ref)).order, gone: true }
      }
    })
    if (outcome.gone) throw alreadyError(clientOrderId, outcome.order.status)
    return outcome.order
  }
  try {
    const vo = await venue.cancelOrder(ref)
    const r = ledger.tx(() => applyVenueOrder(ledger, accountId, vo))
    pretrade.invalidateBalances(accountId)
    if (r.missingFills) await syncMissingFills(ledger, venue, row)
    return ledger.order(accountId, clientOrderId)
  } catch (err) {
    const e = asAppError(err)
    if (e.kind !== 'not_found') throw e
    // Gone from the book already (filled or canceled meanwhile): adopt what the exchange says.
    const vo = await venue.fetchOrder(ref)
    const r = ledger.tx(() => applyVenueOrder(ledger, accountId, vo))
    if (r.missingFills) await syncMissingFills(ledger, venue, row)
    throw alreadyError(clientOrderId, ledger.order(accountId, clientOrderId).status)
  }
}
