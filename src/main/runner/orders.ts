/**
 * A decision's orders as order requests for trading, with the backtester's meaning (strategy.ts
 * `OrderIntent`): an entry without `size` is a target sized against the run's equity (its
 * allocation plus its own P&L, never the whole account): a buy while long does nothing, a sell
 * entry while flat would be a short, which a run does not open (spot accounts; the backtester's
 * default `sides: long`); `close` closes the run's own position; closes always go.
 *
 * Amounts are whole multiples of the market's lot step (what an order can carry), rounded down:
 * a close leaves what is below the step (a fee taken in the coin bought makes such dust), and the
 * run's book counts that as flat (ledger.ts).
 *
 * Runs place market orders: limit and stop entries (with their bar expiry) are not run live yet
 * and are recorded as skipped with that reason, so nothing is silently dropped.
 */
import type { OrderIntent } from '../backtest/strategy'
import { Decimal, floorTo } from '../trading/decimal'

export interface PlannedIntent {
  kind: OrderIntent['type']
  reason: string | null
  /** What to send (without account and client order id); null when skipped. */
  order: { symbol: string; side: 'buy' | 'sell'; type: 'market'; amount: string } | null
  /** Why it was skipped. */
  skipped: string | null
}

const AMOUNT_PLACES = 8

export function planIntents(
  intents: readonly OrderIntent[],
  p: { symbol: string; position: Decimal; equity: Decimal; close: number; step: Decimal | null },
): PlannedIntent[] {
  let pos = p.position
  const lots = (amount: Decimal) => (p.step ? floorTo(amount, p.step) : amount)
  const out: PlannedIntent[] = []
  const skip = (o: OrderIntent, why: string) =>
    out.push({
      kind: o.type,
      reason: o.type === 'close' ? (o.reason ?? null) : null,
      order: null,
      skipped: why,
    })
  for (const o of intents) {
    if (o.type === 'close') {
      if (pos.isZero()) {
        skip(o, 'flat: nothing to close')
        continue
      }
      const amount = lots(pos.abs())
      if (!amount.isPositive()) {
        skip(o, `dust: ${pos.abs().toString()} is less than the lot step ${p.step!.toString()}`)
        continue
      }
      out.push({
        kind: 'close',
        reason: o.reason ?? 'signal',
        order: {
          symbol: p.symbol,
          side: pos.sign > 0 ? 'sell' : 'buy',
          type: 'market',
          amount: amount.toString(),
        },
        skipped: null,
      })
      pos = Decimal.ZERO
      continue
    }
    if (o.type === 'cancel') {
      skip(o, 'no working orders: runs place market orders only')
      continue
    }
    if (o.type !== 'market') {
      skip(o, `${o.type} orders are not run live yet (market orders only)`)
      continue
    }
    const dir = o.side === 'buy' ? 1 : -1
    if (o.size !== undefined) {
      if (!(o.size > 0 && Number.isFinite(o.size))) {
        skip(o, 'bad size')
        continue
      }
      const size = lots(Decimal.fromNumber(o.size))
      if (!size.isPositive()) {
        skip(o, `size ${o.size} is less than the lot step ${p.step!.toString()}`)
        continue
      }
      const after = pos.plus(dir > 0 ? size : size.neg())
      if (after.isNegative()) {
        skip(o, 'would open a short: runs trade long only')
        continue
      }
      out.push({
        kind: 'market',
        reason: null,
        order: { symbol: p.symbol, side: o.side, type: 'market', amount: size.toString() },
        skipped: null,
      })
      pos = after
      continue
    }
    // A target entry against the position first closes it (the backtester's target semantics).
    if (pos.sign === -dir) {
      const amount = lots(pos.abs())
      if (amount.isPositive()) {
        out.push({
          kind: 'market',
          reason: 'signal',
          order: { symbol: p.symbol, side: o.side, type: 'market', amount: amount.toString() },
          skipped: null,
        })
      }
      pos = Decimal.ZERO
    }
    if (dir < 0) {
      if (pos.isZero()) skip(o, 'would open a short: runs trade long only')
      else skip(o, 'already short')
      continue
    }
    if (pos.isPositive()) {
      skip(o, 'already long')
      continue
    }
    if (!(p.close > 0) || !p.equity.isPositive()) {
      skip(o, 'no equity left in the allocation')
      continue
    }
    const amount = lots(p.equity.div(Decimal.fromNumber(p.close), AMOUNT_PLACES, 'down'))
    if (!amount.isPositive()) {
      skip(o, 'allocation too small for one unit')
      continue
    }
    out.push({
      kind: 'market',
      reason: null,
      order: { symbol: p.symbol, side: 'buy', type: 'market', amount: amount.toString() },
      skipped: null,
    })
    pos = pos.plus(amount)
  }
  return out
}
