import type { Fee, Lot, OrderSide, Position, PositionSide } from '../../shared/domain/trading'
import { averagePrice, Decimal, toOptionalText } from './decimal'

/** What position arithmetic needs from a fill. Fills must be given oldest first. */
export interface PositionFill {
  symbol: string
  side: OrderSide
  amount: Decimal
  price: Decimal
  fee: { cost: Decimal; currency: string } | null
  time: number
}

/** `BTC/USDT` -> BTC, USDT; `BTC/USDT:USDT` (ccxt's swap spelling) -> BTC, USDT. */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const [base = symbol, rest = ''] = symbol.split('/')
  const quote = rest.split(':')[0] ?? rest
  return { base, quote }
}

interface OpenLot {
  /** Signed: positive long, negative short. */
  amount: Decimal
  price: Decimal
  time: number
}

/** What a position needs of its market: the lot step (dust below it) and the tick (the average's places). */
export interface PositionMarket {
  amountStep: Decimal
  priceTick: Decimal
}

/**
 * One symbol's position from its fills, FIFO, in exact decimals.
 *
 * Conventions, chosen so that realized + unrealized P&L always equals the change in the
 * account's value (quote held + base held * mark) caused by these fills:
 * - Fees are realized when paid. A fee in quote is subtracted from realized P&L as it is.
 * - A fee in base changes the position itself: a buy of 1 BTC with a 0.001 BTC fee adds a lot of
 *   0.999 BTC; a sell of 1 BTC with a 0.001 BTC fee removes 1.001 BTC. That fee is valued at
 *   the fill price and subtracted from realized P&L.
 * - A fee in any other currency (BNB discounts) cannot be valued without that currency's
 *   price; it is listed in `otherFees` and left out of P&L.
 * - Lots keep the fill price, fees excluded, so `averageEntry` is the price traded at; it is a
 *   quotient, rounded half-to-even at the tick's places + 4 (decimal.ts, averagePrice). Unrealized P&L is summed over the
 *   lots exactly, not from the rounded average.
 * - A fill larger than the open position closes every lot (oldest first) and opens a new lot
 *   on the other side with the remainder at the fill price (long -> short flips).
 * - With the market's lot step known, a position smaller than one step is `dust`: no order can
 *   trade it (a buy that paid its fee in base leaves 0.000009 BTC once 0.00099 is sold).
 */
export function positionFromFills(
  accountId: string,
  symbol: string,
  fills: readonly PositionFill[],
  mark: Decimal | null = null,
  market: PositionMarket | null = null,
): Position {
  const amountStep = market?.amountStep ?? null
  const { base, quote } = splitSymbol(symbol)
  const lots: OpenLot[] = []
  let realized = Decimal.ZERO
  let feesPaid = Decimal.ZERO
  const other = new Map<string, Decimal>()
  let count = 0

  for (const f of fills) {
    if (f.symbol !== symbol) continue
    count++
    let feeBase = Decimal.ZERO
    if (f.fee && !f.fee.cost.isZero()) {
      if (f.fee.currency === quote) {
        realized = realized.minus(f.fee.cost)
        feesPaid = feesPaid.plus(f.fee.cost)
      } else if (f.fee.currency === base) {
        feeBase = f.fee.cost
        const valued = feeBase.times(f.price)
        realized = realized.minus(valued)
        feesPaid = feesPaid.plus(valued)
      } else {
        other.set(f.fee.currency, (other.get(f.fee.currency) ?? Decimal.ZERO).plus(f.fee.cost))
      }
    }
    let remaining = f.side === 'buy' ? f.amount.minus(feeBase) : f.amount.plus(feeBase).neg()
    while (!remaining.isZero() && lots.length > 0 && lots[0]!.amount.sign !== remaining.sign) {
      const lot = lots[0]!
      const long = lot.amount.isPositive()
      const closed = Decimal.min(remaining.abs(), lot.amount.abs())
      const gain = closed.times(f.price.minus(lot.price))
      realized = long ? realized.plus(gain) : realized.minus(gain)
      lot.amount = long ? lot.amount.minus(closed) : lot.amount.plus(closed)
      remaining = long ? remaining.plus(closed) : remaining.minus(closed)
      if (lot.amount.isZero()) lots.shift()
    }
    if (!remaining.isZero()) lots.push({ amount: remaining, price: f.price, time: f.time })
  }

  let amount = Decimal.ZERO
  let size = Decimal.ZERO
  let weighted = Decimal.ZERO
  for (const l of lots) {
    amount = amount.plus(l.amount)
    size = size.plus(l.amount.abs())
    weighted = weighted.plus(l.amount.abs().times(l.price))
  }
  let unrealized: Decimal | null = null
  if (mark !== null) {
    unrealized = Decimal.ZERO
    for (const l of lots) unrealized = unrealized.plus(l.amount.times(mark.minus(l.price)))
  }
  return {
    accountId,
    symbol,
    base,
    quote,
    side: sideOf(amount, amountStep),
    amount: amount.toString(),
    amountStep: amountStep !== null && amountStep.isPositive() ? amountStep.toString() : null,
    averageEntry: toOptionalText(averagePrice(weighted, size, market?.priceTick)),
    realizedPnl: realized.toString(),
    feesPaid: feesPaid.toString(),
    otherFees: [...other].map(([currency, cost]): Fee => ({ currency, cost: cost.toString() })),
    mark: toOptionalText(mark),
    unrealizedPnl: toOptionalText(unrealized),
    lots: lots.map((l): Lot => ({ amount: l.amount.toString(), price: l.price.toString(), time: l.time })),
    fills: count,
  }
}

/** Long, short, flat, or dust: smaller than one lot step (when the step is known). */
function sideOf(amount: Decimal, step: Decimal | null): PositionSide {
  if (amount.isZero()) return 'flat'
  if (step !== null && step.isPositive() && amount.abs().lt(step)) return 'dust'
  return amount.isPositive() ? 'long' : 'short'
}

/** Every symbol's position from a mixed list of fills (oldest first). */
export function positionsFromFills(
  accountId: string,
  fills: readonly PositionFill[],
  markOf: (symbol: string) => Decimal | null = () => null,
  marketOf: (symbol: string) => PositionMarket | null = () => null,
): Position[] {
  const bySymbol = new Map<string, PositionFill[]>()
  for (const f of fills) {
    let list = bySymbol.get(f.symbol)
    if (!list) bySymbol.set(f.symbol, (list = []))
    list.push(f)
  }
  return [...bySymbol].map(([symbol, list]) =>
    positionFromFills(accountId, symbol, list, markOf(symbol), marketOf(symbol)),
  )
}

/**
 * Balances implied by fills on top of starting balances: a buy adds the amount less any base
 * fee and spends the cost plus any quote fee; a sell the reverse; other fee currencies are
 * spent as they are. Used to prove no fill was lost (it must equal what the exchange holds).
 */
export function ledgerBalances(
  start: ReadonlyMap<string, Decimal>,
  fills: readonly PositionFill[],
): Map<string, Decimal> {
  const out = new Map(start)
  const add = (asset: string, v: Decimal) => out.set(asset, (out.get(asset) ?? Decimal.ZERO).plus(v))
  for (const f of fills) {
    const { base, quote } = splitSymbol(f.symbol)
    const cost = f.amount.times(f.price)
    if (f.side === 'buy') {
      add(base, f.amount)
      add(quote, cost.neg())
    } else {
      add(base, f.amount.neg())
      add(quote, cost)
    }
    if (f.fee && !f.fee.cost.isZero()) add(f.fee.currency, f.fee.cost.neg())
  }
  return out
}
