/**
 * A run's own book: its fills only (the orders its intents made), averaged, so several runs and
 * the trader's own trades on one account each keep their own position and P&L. A round trip
 * (flat to flat, or through zero) is one closed trade for the protections.
 */
import type { Fill } from '../../shared/domain/trading'
import type { ClosedTrade } from '../risk/protections'
import { Decimal } from '../trading/decimal'

export interface RunBook {
  /** Signed base amount. */
  position: Decimal
  /** Average entry of the open position; zero when flat. */
  entry: Decimal
  /** Closed P&L, net of fees paid in quote. */
  realized: Decimal
  trades: ClosedTrade[]
}

const PLACES = 12

/**
 * Folds `fills` (any order; sorted by time here) into the run's book. `reasonOf` names the exit
 * reason of the order that closed a trade (the intent's: `stop_loss`, `signal`...).
 */
export function runBook(
  fills: readonly Fill[],
  quote: string,
  reasonOf: (clientOrderId: string | null) => ClosedTrade['exitReason'],
): RunBook {
  let pos = Decimal.ZERO
  let entry = Decimal.ZERO
  let realized = Decimal.ZERO
  let tradePnl = Decimal.ZERO
  let tradeCost = Decimal.ZERO
  const trades: ClosedTrade[] = []
  const sorted = [...fills].sort((a, b) => a.time - b.time)
  for (const f of sorted) {
    const price = Decimal.parse(f.price)
    let qty = Decimal.parse(f.amount)
    let fee = Decimal.ZERO
    if (f.fee) {
      const cost = Decimal.parse(f.fee.cost)
      // A fee in base changes what was received or delivered; one in quote is a cost.
      if (f.fee.currency === quote) fee = cost
      else if (f.side === 'buy') qty = qty.minus(cost)
      else qty = qty.plus(cost)
    }
    const signed = f.side === 'buy' ? qty : qty.neg()
    realized = realized.minus(fee)
    tradePnl = tradePnl.minus(fee)
    if (pos.isZero() || pos.sign === signed.sign) {
      const total = pos.plus(signed)
      entry = pos.times(entry).plus(signed.times(price)).div(total, PLACES, 'half_even')
      tradeCost = tradeCost.plus(qty.times(price))
      pos = total
      continue
    }
    const closing = Decimal.min(qty, pos.abs())
    const pnl = price
      .minus(entry)
      .times(closing)
      .times(pos.sign === 1 ? Decimal.ONE : Decimal.ONE.neg())
    realized = realized.plus(pnl)
    tradePnl = tradePnl.plus(pnl)
    const rest = pos.plus(signed)
    if (rest.isZero() || rest.sign !== pos.sign) {
      trades.push({
        symbol: f.symbol,
        closedAt: f.time,
        pnl: tradePnl,
        profitRatio: tradeCost.isZero() ? Decimal.ZERO : tradePnl.div(tradeCost, PLACES, 'half_even'),
        exitReason: reasonOf(f.clientOrderId),
      })
      tradePnl = Decimal.ZERO
      tradeCost = Decimal.ZERO
      entry = rest.isZero() ? Decimal.ZERO : price
      if (!rest.isZero()) tradeCost = rest.abs().times(price)
    }
    pos = rest
  }
  return { position: pos, entry, realized, trades }
}
