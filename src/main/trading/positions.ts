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
  const ledger = new SymbolLedger(symbol)
  for (const f of fills) if (f.symbol === symbol) ledger.apply(f)
  return ledger.position(accountId, mark, market)
}

/**
 * One symbol's FIFO position, fill by fill (the conventions of `positionFromFills`). Kept per
 * account by position-book.ts, so a new fill costs one step rather than a replay of them all.
 * Besides the open lots it keeps their signed amount and signed cost (Σ amount × price): every
 * open lot is on one side, so those give the average entry and the unrealized P&L at any mark
 * exactly (Σ aᵢ(mark − pᵢ) = mark·Σaᵢ − Σaᵢpᵢ) without a pass over the lots.
 */
export class SymbolLedger {
  readonly base: string
  readonly quote: string
  /** Open lots, oldest first from `head` (closed lots are skipped, not shifted out one by one). */
  private lots: OpenLot[] = []
  private head = 0
  private amount = Decimal.ZERO
  private cost = Decimal.ZERO
  private realized = Decimal.ZERO
  private feesPaid = Decimal.ZERO
  private readonly other = new Map<string, Decimal>()
  private count = 0
  /** The open lots as sent, until the next fill changes them. */
  private shown: Lot[] | null = null

  constructor(readonly symbol: string) {
    const { base, quote } = splitSymbol(symbol)
    this.base = base
    this.quote = quote
  }

  apply(f: PositionFill): void {
    this.count++
    this.shown = null
    let feeBase = Decimal.ZERO
    if (f.fee && !f.fee.cost.isZero()) {
      if (f.fee.currency === this.quote) {
        this.realized = this.realized.minus(f.fee.cost)
        this.feesPaid = this.feesPaid.plus(f.fee.cost)
      } else if (f.fee.currency === this.base) {
        feeBase = f.fee.cost
        const valued = feeBase.times(f.price)
        this.realized = this.realized.minus(valued)
        this.feesPaid = this.feesPaid.plus(valued)
      } else {
        this.other.set(f.fee.currency, (this.other.get(f.fee.currency) ?? Decimal.ZERO).plus(f.fee.cost))
      }
    }
    let remaining = f.side === 'buy' ? f.amount.minus(feeBase) : f.amount.plus(feeBase).neg()
    while (
      !remaining.isZero() &&
      this.head < this.lots.length &&
      this.lots[this.head]!.amount.sign !== remaining.sign
    ) {
      const lot = this.lots[this.head]!
      const long = lot.amount.isPositive()
      const closed = Decimal.min(remaining.abs(), lot.amount.abs())
      const gain = closed.times(f.price.minus(lot.price))
      this.realized = long ? this.realized.plus(gain) : this.realized.minus(gain)
      const signed = long ? closed : closed.neg()
      lot.amount = lot.amount.minus(signed)
      this.amount = this.amount.minus(signed)
      this.cost = this.cost.minus(signed.times(lot.price))
      remaining = remaining.plus(signed)
      if (lot.amount.isZero()) this.head++
    }
    if (this.head > 1024 && this.head * 2 > this.lots.length) {
      this.lots = this.lots.slice(this.head)
      this.head = 0
    }
    if (!remaining.isZero()) {
      this.lots.push({ amount: remaining, price: f.price, time: f.time })
      this.amount = this.amount.plus(remaining)
      this.cost = this.cost.plus(remaining.times(f.price))
    }
  }

  position(accountId: string, mark: Decimal | null, market: PositionMarket | null): Position {
    const amountStep = market?.amountStep ?? null
    this.shown ??= this.lots
      .slice(this.head)
      .map((l): Lot => ({ amount: l.amount.toString(), price: l.price.toString(), time: l.time }))
    return {
      accountId,
      symbol: this.symbol,
      base: this.base,
      quote: this.quote,
      side: sideOf(this.amount, amountStep),
      amount: this.amount.toString(),
      amountStep: amountStep !== null && amountStep.isPositive() ? amountStep.toString() : null,
      averageEntry: toOptionalText(averagePrice(this.cost.abs(), this.amount.abs(), market?.priceTick)),
      realizedPnl: this.realized.toString(),
      feesPaid: this.feesPaid.toString(),
      otherFees: [...this.other].map(([currency, cost]): Fee => ({ currency, cost: cost.toString() })),
      mark: toOptionalText(mark),
      unrealizedPnl: toOptionalText(mark === null ? null : mark.times(this.amount).minus(this.cost)),
      lots: this.shown,
      fills: this.count,
    }
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
  const ledgers = new Map<string, SymbolLedger>()
  for (const f of fills) {
    let ledger = ledgers.get(f.symbol)
    if (!ledger) ledgers.set(f.symbol, (ledger = new SymbolLedger(f.symbol)))
    ledger.apply(f)
  }
  return [...ledgers.values()].map((l) => l.position(accountId, markOf(l.symbol), marketOf(l.symbol)))
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
