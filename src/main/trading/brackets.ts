import { Decimal, floorTo, toDecimal } from './decimal'
import { placeLegs } from './oco-legs'
import { claimOrder, setLegAmount, waitingLegs } from './order-links'
import type { OrderPath } from './order-path'
import { splitSymbol } from './positions'
import { getOrderRow, orderFromRow, updateOrder, type OrderRow } from './store'
import type { TradingVenue } from './venue'

/**
 * Brackets: an entry with a take-profit and/or a stop-loss attached. The legs are stored with
 * the entry, in the same transaction, as `waiting` orders of the opposite side that share an
 * OCO group and name the entry as their parent. `settleBrackets` then follows the entry:
 *
 * - while it works, the legs' amount follows what it has filled (net of a fee taken in the
 *   base asset, rounded down to the step), so the blotter shows what they will protect;
 * - once it is done (filled, or canceled or expired after filling part), the legs are placed
 *   as one OCO for that amount (oco-legs.ts);
 * - an entry that ends unfilled (canceled, rejected, not placed) cancels its legs, as does a
 *   filled amount too small for the market to accept.
 *
 * The legs go on the book only when the entry is done: a partly filled entry that still works
 * is not yet protected (an OCO's amount cannot be changed on Binance; replacing it on every
 * partial fill would risk a moment with neither leg on the book).
 */

/** What an entry has bought or sold for its legs to close: its fills, less a fee paid in base. */
function netFilled(path: OrderPath, entry: OrderRow): Decimal {
  const filled = toDecimal(entry.filled)
  if (!filled.isPositive()) return Decimal.ZERO
  if (entry.side === 'sell') return filled
  const { base } = splitSymbol(entry.symbol)
  const fee = orderFromRow(path.db, entry).fees.find((f) => f.currency === base)?.cost
  return fee === undefined ? filled : filled.minus(toDecimal(fee))
}

const WORKING = new Set(['pending', 'sent', 'unknown', 'open', 'partially_filled'])

/**
 * Follows every bracket entry of an account that has waiting legs (see the module comment).
 * Safe to call at any time and from anywhere: legs are claimed before they are placed.
 */
export async function settleBrackets(
  path: OrderPath,
  venue: TradingVenue,
  accountId: string,
): Promise<number> {
  const legs = waitingLegs(path.db, accountId)
  if (legs.length === 0) return 0
  const byEntry = new Map<string, OrderRow[]>()
  for (const l of legs) {
    const k = l.parent_client_order_id ?? ''
    byEntry.set(k, [...(byEntry.get(k) ?? []), l])
  }
  const markets = await venue.loadMarkets()
  let placed = 0
  for (const [parent, group] of byEntry) {
    const entry = getOrderRow(path.db, accountId, parent)
    const market = entry ? markets.get(entry.symbol) : undefined
    if (!entry || !market) continue
    const amount = floorTo(netFilled(path, entry), market.amountStep)
    const amountText = amount.toString()
    const filled = toDecimal(entry.filled)
    const now = path.clock.now()
    if (WORKING.has(entry.status)) {
      if (filled.isPositive() && group.some((l) => l.amount !== amountText)) {
        path.tx(() => {
          for (const l of group) {
            setLegAmount(path.db, accountId, l.client_order_id, amountText, now)
            path.emitOrderRow(accountId, l.client_order_id)
          }
        })
      }
      continue
    }
    const reference = toDecimal(group.find((l) => l.type === 'limit')?.price ?? group[0]!.stop_price ?? '0')
    const tooSmall =
      !amount.isPositive() || amount.lt(market.minAmount) || amount.times(reference).lt(market.minNotional)
    if (!filled.isPositive() || tooSmall) {
      const why = !filled.isPositive()
        ? `The entry ${parent} ended ${entry.status} without filling; its take-profit and stop-loss are canceled`
        : `The entry ${parent} filled ${amountText} ${market.base} (net of fees, at the step), below what ${venue.id} accepts for a take-profit or stop-loss; they are canceled`
      cancelLegs(path, group, why)
      continue
    }
    await placeLegs(
      path,
      venue,
      {
        takeProfit: group.find((l) => l.type === 'limit'),
        stopLoss: group.find((l) => l.type !== 'limit'),
      },
      'waiting',
      amount,
    )
    placed++
  }
  return placed
}

/**
 * Cancels waiting or held legs that will never be placed or fire. `why` is shown with the order
 * (as a `conflict`: another order's outcome decided it) unless the trader canceled it.
 */
export function cancelLegs(path: OrderPath, legs: readonly OrderRow[], why: string | null): void {
  path.tx(() => {
    const now = path.clock.now()
    for (const l of legs) {
      if (!claimOrder(path.db, l.account_id, l.client_order_id, l.status, 'canceled', now)) continue
      updateOrder(path.db, l.account_id, l.client_order_id, {
        error_kind: why === null ? null : 'conflict',
        error_message: why,
        updated_at: now,
      })
      path.emitOrderRow(l.account_id, l.client_order_id)
    }
  })
}
