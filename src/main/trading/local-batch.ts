import type { AppError } from '../../shared/contract/errors'
import type { Order, OrderRequest } from '../../shared/domain/trading'
import type { Decimal } from './decimal'
import { bracketLegRows } from './bracket-legs'
import { applyVenueOrder } from './order-adopt'
import { asAppError, rejectOrder } from './order-errors'
import { createIntent } from './order-intent'
import { passGate } from './order-gate'
import type { OrderLedger } from './order-ledger'
import { rememberRequest, repeatedOrder } from './order-repeat'
import { insertOrder, orderFromRow, type StoredAccount } from './store'
import { validateOrder, type CheckedOrder } from './validation'
import type { LocalVenue, Quote, VenueOrder } from './venue'

/**
 * Places orders on a local venue (paper) in one transaction: each is validated, written as an
 * intent, sent and adopted in turn, so each still has its intent before it is sent, and the
 * whole batch commits or vanishes together. There is no network, so an intent can never be
 * left half sent. Returns per order the order, or the error that refused it (validation errors
 * leave no intent; venue rejections leave a rejected order).
 */
export function placeLocalBatch(
  ledger: OrderLedger,
  newClientOrderId: () => string,
  account: StoredAccount,
  venue: LocalVenue,
  reqs: readonly OrderRequest[],
  /** The account's position in a symbol, read for reduce-only orders. */
  position?: (symbol: string) => Decimal,
): Array<Order | AppError> {
  const markets = venue.marketsSync()
  const placeOne = (req: OrderRequest): Order | AppError => {
    let n: CheckedOrder
    try {
      // A repeat of an order already made under the caller's id is answered with it (order-repeat.ts).
      const repeat = repeatedOrder(ledger.db, account.id, req)
      if (repeat) return orderFromRow(ledger.db, repeat)
      let quote: Quote | undefined
      try {
        quote = venue.quoteSync(req.symbol)
      } catch {
        quote = undefined
      }
      n = validateOrder(req, {
        market: markets.get(req.symbol),
        quote,
        balances: venue.balancesSync(),
        venue: venue.id,
        ...(venue.features ? { features: venue.features } : {}),
        position: req.reduceOnly === true && position ? position(req.symbol) : undefined,
      })
      // The risk engine, after validation and before anything is written (risk_rejected).
      passGate(ledger.orderGate, account.id, n)
    } catch (err) {
      return asAppError(err)
    }
    // The intent (with its client order id) is made before the venue sees the order, and
    // written together with the venue's answer: both are in this transaction, so nothing
    // can see, or a crash keep, one without the other. One write instead of two.
    const sentAt = ledger.clock.now()
    const newId = () => req.clientOrderId ?? newClientOrderId()
    const { row, request } = createIntent(ledger.clock, newId, account.id, n, 'sent', sentAt)
    rememberRequest(ledger.db, account.id, req)
    // A bracket's legs wait with their entry (brackets.ts places them once it is done).
    const legs = bracketLegRows(ledger.clock, newClientOrderId, row, n)
    let vo: VenueOrder
    try {
      vo = venue.createOrderSync(request)
    } catch (err) {
      const failure = asAppError(err)
      insertOrder(ledger.db, row)
      rejectOrder(ledger, row, failure)
      return failure
    }
    const order = applyVenueOrder(ledger, account.id, vo, { current: row, unwritten: true }).order
    for (const leg of legs) {
      insertOrder(ledger.db, leg)
      ledger.emitOrderRow(leg.account_id, leg.client_order_id)
    }
    return order
  }
  // The order path records every fill in this transaction, so the venue need not (see PaperVenue).
  return ledger.tx(() => venue.runBatch(() => reqs.map(placeOne), { ledgerRecordsFills: true }))
}
