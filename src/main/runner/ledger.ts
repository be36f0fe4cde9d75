/**
 * A run's own book: its fills only (the orders its intents made), averaged, so several runs and
 * the trader's own trades on one account each keep their own position and P&L. A round trip
 * (flat to flat, or through zero) is one closed trade for the protections. What a close leaves
 * below the market's lot step is dust no order can carry (a fee taken in the coin bought makes
 * it): the run is flat then and the dust stays the account's, as its positions show it.
 */
import type { Fill } from '../../shared/domain/trading'
import type { ClosedTrade } from '../risk/protections'
import { Decimal } from '../trading/decimal'

export interface RunBook {
  /** Signed base amount. */
  position: Decimal
  /** Average entry of the open position; zero when flat. */
  entry: Decimal
  /** Closed P&L, net of fees in quote and in base (valued at the fill's price). */
  realized: Decimal
  trades: ClosedTrade[]
}

const PLACES = 12

/**
 * Folds `fills` (oldest first as stored; sorted by time here, ties kept in that order) into the
 * run's book. `reasonOf` names the exit reason of the order that closed a trade (the intent's:
 * `stop_loss`, `signal`...).
 */
export function runBook(
  fills: readonly Fill[],
  pair: { base: string; quote: string },
  /** The market's lot step; null when unknown (then only exactly zero is flat). */
  step: Decimal | null,
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
      // A fee in quote is a cost; one in base is too, valued at the fill's price (as positions
      // value it), and it changes what was received or delivered. One in a third currency (BNB)
      // has no price here: positions list it apart, and it is not in the run's P&L.
      if (f.fee.currency === pair.quote) fee = cost
      else if (f.fee.currency === pair.base) {
        fee = cost.times(price)
        qty = f.side === 'buy' ? qty.minus(cost) : qty.plus(cost)
      }
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
    let rest = pos.plus(signed)
    if (step && rest.sign === pos.sign && rest.abs().lt(step)) {
      // What the dust cost the run is gone from its allocation: a loss of its entry value.
      const left = rest.times(entry)
      realized = realized.minus(left)
      tradePnl = tradePnl.minus(left)
      rest = Decimal.ZERO
    }
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
