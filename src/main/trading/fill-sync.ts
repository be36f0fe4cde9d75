import type { Fill } from '../../shared/domain/trading'
import { averagePrice, Decimal, toDecimal } from './decimal'
import { applyVenueOrder, tradeToFill } from './order-adopt'
import type { OrderLedger } from './order-ledger'
import { fillTotals, getOrderRowByExchangeId, insertFill, updateOrder, type OrderRow } from './store'
import type { TradingVenue } from './venue'

/**
 * Catching up on fills from the exchange's trade history: what an order's own answer left out,
 * or what happened while Candlework was not listening. Fills are keyed by trade id, so syncing
 * the same span twice records nothing new.
 */

/**
 * Fetches the account's trades in one symbol from `since` and records those we lack. Trades
 * of orders we do not know bring their order in as `external`. With `recordEvents`, every
 * fill we lacked is a `missed_fill` reconciliation event.
 */
export async function syncFills(
  ledger: OrderLedger,
  venue: TradingVenue,
  accountId: string,
  symbol: string,
  since: number,
  recordEvents: boolean,
): Promise<Fill[]> {
  const { db, clock } = ledger
  const added: Fill[] = []
  const pageSize = 1000
  let cursor = Math.max(0, since)
  for (let page = 0; page < 1000; page++) {
    const trades = await venue.fetchMyTrades(symbol, cursor, pageSize)
    const unknownOrders = new Set<string>()
    for (const t of trades) {
      if (!getOrderRowByExchangeId(db, accountId, symbol, t.orderId)) unknownOrders.add(t.orderId)
    }
    for (const id of unknownOrders) {
      const vo = await venue.fetchOrder({ symbol, id })
      ledger.tx(() => applyVenueOrder(ledger, accountId, { ...vo, trades: [] }, { recordExternal: true }))
    }
    ledger.tx(() => {
      const t0 = clock.now()
      for (const t of trades) {
        const row = getOrderRowByExchangeId(db, accountId, symbol, t.orderId)
        const fill = tradeToFill(clock, accountId, t, row?.client_order_id ?? null)
        if (!insertFill(db, fill, t0)) continue
        added.push(fill)
        ledger.emit({ type: 'fill', fill })
        if (row) {
          const totals = fillTotals(db, accountId, symbol, t.orderId)
          if (totals.amount.isPositive()) {
            updateOrder(db, accountId, row.client_order_id, {
              average: averagePrice(totals.cost, totals.amount)!.toString(),
              filled: Decimal.max(toDecimal(row.filled), totals.amount).toString(),
              updated_at: t0,
            })
          }
        }
        if (recordEvents) {
          ledger.event(accountId, 'missed_fill', {
            symbol,
            clientOrderId: row?.client_order_id ?? null,
            exchangeOrderId: t.orderId,
            detail: `Recorded a fill Candlework had missed: ${t.side} ${t.amount.toString()} ${symbol} at ${t.price.toString()} (trade ${t.id})`,
          })
        }
      }
      if (added.length > 0) ledger.emit({ type: 'balance', accountId })
    })
    if (trades.length < pageSize) break
    const last = trades.at(-1)!.timestamp
    cursor = last > cursor ? last : cursor + 1
  }
  return added
}

/**
 * After an answer whose fills fall short of its filled amount: fetches the order's symbol's
 * trades from just before the order was made (1 s of slack for clock skew), without events.
 */
export async function syncMissingFills(
  ledger: OrderLedger,
  venue: TradingVenue,
  row: Pick<OrderRow, 'account_id' | 'symbol' | 'created_at'>,
): Promise<void> {
  await syncFills(ledger, venue, row.account_id, row.symbol, row.created_at - 1_000, false)
}
