import { Decimal } from '../../../../shared/decimal/decimal'
import type { Lot, Position } from '../../../../shared/domain/trading'

/**
 * What closing a position means in numbers, exactly (never through a double, so Close… never
 * asks for 0.00000900000000000011).
 *
 * The closing order is the opposite side for the position's size rounded down to the market's
 * lot step: every order amount is a multiple of the step. When the size is on the step (fees
 * paid in quote), that is the whole position and nothing is left. When it is not (a buy that
 * paid its fee in base: 0.000999 BTC), what is left below the step is dust (0.000009), which no
 * order can trade; `dust` says how much.
 */
export interface Closing {
  side: 'buy' | 'sell'
  /** Decimal text: the amount the closing order asks for. */
  amount: string
  /** Decimal text: what is left below the step after it (`0` when nothing). */
  dust: string
}

/** The order that closes `p`, or null when no order can (flat, dust, or less than one step). */
export function closingOrder(p: Pick<Position, 'amount' | 'amountStep'>): Closing | null {
  const size = Decimal.parse(p.amount).abs()
  const step = p.amountStep === null ? null : Decimal.parse(p.amountStep)
  const amount = step !== null && step.isPositive() ? size.roundToStep(step, 'floor') : size
  if (!amount.isPositive()) return null
  return {
    side: Decimal.parse(p.amount).isPositive() ? 'sell' : 'buy',
    amount: amount.toString(),
    dust: size.minus(amount).toString(),
  }
}

/**
 * Unrealized P&L of the open lots at `mark`: Σ amount × (mark − price), exactly (a short's
 * amount is negative), and as a share of what the lots cost (a ratio: a number, for display).
 */
export function unrealizedAt(lots: readonly Lot[], mark: Decimal): { pnl: Decimal; pct: number | null } {
  let pnl = Decimal.ZERO
  let cost = Decimal.ZERO
  for (const l of lots) {
    const amount = Decimal.parse(l.amount)
    const price = Decimal.parse(l.price)
    pnl = pnl.plus(amount.times(mark.minus(price)))
    cost = cost.plus(amount.abs().times(price))
  }
  return { pnl, pct: cost.isZero() ? null : pnl.div(cost, 8, 'half_even').toNumber() * 100 }
}
