import type { Fee, Lot, OrderSide, Position } from '../../shared/domain/trading'
import { clean } from './decimal'

/** What position arithmetic needs from a fill. Fills must be given oldest first. */
export interface PositionFill {
  symbol: string
  side: OrderSide
  amount: number
  price: number
  fee: Fee | null
  time: number
}

/** `BTC/USDT` -> BTC, USDT; `BTC/USDT:USDT` (ccxt's swap spelling) -> BTC, USDT. */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const [base = symbol, rest = ''] = symbol.split('/')
  const quote = rest.split(':')[0] ?? rest
  return { base, quote }
}

const EPS = 1e-12

/**
 * One symbol's position from its fills, FIFO.
 *
 * Conventions, chosen so that realized + unrealized P&L always equals the change in the
 * account's value (quote held + base held * mark) caused by these fills:
 * - Fees are realized when paid. A fee in quote is subtracted from realized P&L as it is.
 * - A fee in base changes the position itself: a buy of 1 BTC with a 0.001 BTC fee adds a lot of
 *   0.999 BTC; a sell of 1 BTC with a 0.001 BTC fee removes 1.001 BTC. That fee is valued at
 *   the fill price and subtracted from realized P&L.
 * - A fee in any other currency (BNB discounts) cannot be valued without that currency's
 *   price; it is listed in `otherFees` and left out of P&L.
 * - Lots keep the fill price, fees excluded, so `averageEntry` is the price traded at.
 * - A fill larger than the open position closes every lot (oldest first) and opens a new lot
 *   on the other side with the remainder at the fill price (long -> short flips).
 */
export function positionFromFills(
  accountId: string,
  symbol: string,
  fills: readonly PositionFill[],
  mark: number | null = null,
): Position {
  const { base, quote } = splitSymbol(symbol)
  const lots: Lot[] = []
  let realized = 0
  let feesPaid = 0
  const other = new Map<string, number>()
  let count = 0

  for (const f of fills) {
    if (f.symbol !== symbol) continue
    count++
    let feeBase = 0
    if (f.fee && f.fee.cost !== 0) {
      if (f.fee.currency === quote) {
        realized -= f.fee.cost
        feesPaid += f.fee.cost
      } else if (f.fee.currency === base) {
        feeBase = f.fee.cost
        realized -= feeBase * f.price
        feesPaid += feeBase * f.price
      } else {
        other.set(f.fee.currency, (other.get(f.fee.currency) ?? 0) + f.fee.cost)
      }
    }
    let remaining = f.side === 'buy' ? f.amount - feeBase : -(f.amount + feeBase)
    while (
      Math.abs(remaining) > EPS &&
      lots.length > 0 &&
      Math.sign(lots[0]!.amount) !== Math.sign(remaining)
    ) {
      const lot = lots[0]!
      const dir = Math.sign(lot.amount)
      const closed = Math.min(Math.abs(remaining), Math.abs(lot.amount))
      realized += closed * (f.price - lot.price) * dir
      lot.amount = clean(lot.amount - dir * closed)
      remaining = clean(remaining + dir * closed)
      if (Math.abs(lot.amount) <= EPS * Math.max(1, Math.abs(closed))) lots.shift()
    }
    if (Math.abs(remaining) > EPS) lots.push({ amount: clean(remaining), price: f.price, time: f.time })
  }

  const amount = clean(lots.reduce((s, l) => s + l.amount, 0))
  const size = lots.reduce((s, l) => s + Math.abs(l.amount), 0)
  const averageEntry =
    size > 0 ? clean(lots.reduce((s, l) => s + Math.abs(l.amount) * l.price, 0) / size) : null
  const unrealizedPnl =
    mark === null
      ? null
      : lots.length === 0
        ? 0
        : clean(lots.reduce((s, l) => s + l.amount * (mark - l.price), 0))
  return {
    accountId,
    symbol,
    base,
    quote,
    side: amount > 0 ? 'long' : amount < 0 ? 'short' : 'flat',
    amount,
    averageEntry,
    realizedPnl: clean(realized),
    feesPaid: clean(feesPaid),
    otherFees: [...other].map(([currency, cost]) => ({ currency, cost: clean(cost) })),
    mark,
    unrealizedPnl,
    lots,
    fills: count,
  }
}

/** Every symbol's position from a mixed list of fills (oldest first). */
export function positionsFromFills(
  accountId: string,
  fills: readonly PositionFill[],
  markOf: (symbol: string) => number | null = () => null,
): Position[] {
  const bySymbol = new Map<string, PositionFill[]>()
  for (const f of fills) {
    let list = bySymbol.get(f.symbol)
    if (!list) bySymbol.set(f.symbol, (list = []))
    list.push(f)
  }
  return [...bySymbol].map(([symbol, list]) => positionFromFills(accountId, symbol, list, markOf(symbol)))
}

/**
 * Balances implied by fills on top of starting balances: a buy adds the amount less any base
 * fee and spends the cost plus any quote fee; a sell the reverse; other fee currencies are
 * spent as they are. Used to prove no fill was lost (it must equal what the exchange holds).
 */
export function ledgerBalances(
  start: ReadonlyMap<string, number>,
  fills: readonly PositionFill[],
): Map<string, number> {
  const out = new Map(start)
  const add = (asset: string, v: number) => out.set(asset, (out.get(asset) ?? 0) + v)
  for (const f of fills) {
    const { base, quote } = splitSymbol(f.symbol)
    const cost = f.amount * f.price
    if (f.side === 'buy') {
      add(base, f.amount)
      add(quote, -cost)
    } else {
      add(base, -f.amount)
      add(quote, cost)
    }
    if (f.fee && f.fee.cost !== 0) add(f.fee.currency, -f.fee.cost)
  }
  for (const [k, v] of out) out.set(k, clean(v))
  return out
}
