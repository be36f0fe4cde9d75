import { Decimal } from '../../shared/decimal/decimal'
import type { MatchingMethod } from '../../shared/contract/journal'

/**
 * Round-trip trades from fills, one (account, symbol) at a time, exactly (docs/JOURNAL.md).
 *
 * A trade runs from flat to flat: the first fill opens it, fills the same way add to it, fills
 * the other way reduce it, and it closes when the position is exactly zero. A fill larger than
 * the position flips it: its first part closes the trade, the rest opens the next one (two
 * trades), and its fee is split between them in proportion to the amounts.
 *
 * A fee in the base currency changes the position (a buy receives `amount - fee`, a sell gives
 * up `amount + fee`) and is counted at the fill's price as a quote fee; a quote fee is counted as
 * it is; a fee in a third currency is listed apart (per fill and per trade), and converted into
 * the quote at the fill's time by the enrichment where a price is known (trade.ts).
 *
 * The matching method (FIFO, LIFO, average cost) decides which entry lots each exit closes, so
 * the realized P&L of every partial exit; a closed trade's totals are the same under each.
 */

/** One stored fill, as the journal reads it (trading_fills' columns, decimal text). */
export interface SourceFill {
  accountId: string
  symbol: string
  tradeId: string
  orderId: string
  clientOrderId: string | null
  side: 'buy' | 'sell'
  amount: string
  price: string
  feeCost: string | null
  feeCurrency: string | null
  time: number
  /** Position among fills of the same time (the journal's copy's rowid). */
  seq: number
}

export interface FillPart {
  tradeId: string
  orderId: string
  clientOrderId: string | null
  side: 'buy' | 'sell'
  role: 'entry' | 'exit'
  amount: Decimal
  price: Decimal
  fee: Decimal
  /** This part's fee in a third currency (BNB), converted later where a price is known (trade.ts). */
  otherFee: { currency: string; cost: Decimal } | null
  realized: Decimal | null
  time: number
}

/** A trade as the fills make it, before what other tables add (exit reason, R, MAE/MFE, signal). */
export interface RawTrade {
  key: string
  accountId: string
  symbol: string
  quote: string
  side: 'long' | 'short'
  status: 'open' | 'closed'
  entryTime: number
  exitTime: number | null
  size: Decimal
  exitedSize: Decimal
  entryValue: Decimal
  exitValue: Decimal
  grossPnl: Decimal
  fees: Decimal
  otherFees: Map<string, Decimal>
  parts: FillPart[]
}

/** Places an average price or a split fee is rounded to (half to even), as trading does without a tick. */
export const QUOTIENT_PLACES = 12

export function splitSymbol(symbol: string): { base: string; quote: string } {
  const [pair = symbol] = symbol.split(':')
  const slash = pair.indexOf('/')
  return slash < 0 ? { base: pair, quote: '' } : { base: pair.slice(0, slash), quote: pair.slice(slash + 1) }
}

export function tradeKey(accountId: string, symbol: string, time: number, tradeId: string): string {
  return `${accountId}|${symbol}|${time}|${tradeId}`
}

interface Lot {
  qty: Decimal
  price: Decimal
}

/** The running state of one (account, symbol): its open trade and its lots. */
export class PairBook {
  private trade: RawTrade | null = null
  /** FIFO/LIFO: the open entry lots, oldest first. Average: one lot (qty, cost as `price`). */
  private lots: Lot[] = []
  private avgCost = Decimal.ZERO
  private avgQty = Decimal.ZERO
  /** The last fill applied, to tell a fill that comes in out of order. */
  last: { time: number; seq: number } | null = null

  private readonly base: string
  private readonly quote: string

  constructor(
    readonly accountId: string,
    readonly symbol: string,
    private readonly method: MatchingMethod,
  ) {
    ;({ base: this.base, quote: this.quote } = splitSymbol(symbol))
  }

  get open(): RawTrade | null {
    return this.trade
  }

  /** Applies one fill; returns the trades it changed (the one it closed first, then the one open). */
  apply(f: SourceFill): RawTrade[] {
    this.last = { time: f.time, seq: f.seq }
    const { base, quote } = this
    const amount = Decimal.parse(f.amount)
    const price = Decimal.parse(f.price)
    let qty = amount
    let fee = Decimal.ZERO
    let other: { currency: string; cost: Decimal } | null = null
    if (f.feeCost !== null && f.feeCurrency !== null) {
      const cost = Decimal.parse(f.feeCost)
      if (f.feeCurrency === quote) fee = cost
      else if (f.feeCurrency === base) {
        qty = f.side === 'buy' ? amount.minus(cost) : amount.plus(cost)
        fee = cost.times(price)
      } else other = { currency: f.feeCurrency, cost }
    }
    if (!qty.isPositive()) return []
    const changed: RawTrade[] = []
    const dir = f.side === 'buy' ? 'long' : 'short'
    let rest = qty
    let restFee = fee
    let restOther = other
    const current = this.trade
    if (current && current.side !== dir) {
      const openQty = current.size.minus(current.exitedSize)
      const closeQty = Decimal.min(openQty, qty)
      const closeFee = closeQty.eq(qty) ? fee : fee.times(closeQty).div(qty, QUOTIENT_PLACES, 'half_even')
      const closeOther =
        other && !closeQty.eq(qty)
          ? {
              currency: other.currency,
              cost: other.cost.times(closeQty).div(qty, QUOTIENT_PLACES, 'half_even'),
            }
          : other
      const realized = this.close(current, closeQty, price)
      current.exitedSize = current.exitedSize.plus(closeQty)
      current.exitValue = current.exitValue.plus(closeQty.times(price))
      current.grossPnl = current.grossPnl.plus(realized)
      addFee(current, closeFee, closeOther)
      current.parts.push(part(f, 'exit', closeQty, price, closeFee, closeOther, realized))
      if (current.exitedSize.eq(current.size)) {
        current.status = 'closed'
        current.exitTime = f.time
        this.trade = null
        this.lots = []
        this.avgCost = Decimal.ZERO
        this.avgQty = Decimal.ZERO
      }
      changed.push(current)
      rest = qty.minus(closeQty)
      restFee = fee.minus(closeFee)
      restOther =
        other && closeOther ? { currency: other.currency, cost: other.cost.minus(closeOther.cost) } : null
      if (!rest.isPositive()) return changed
    }
    let t = this.trade
    if (!t) {
      t = {
        key: tradeKey(f.accountId, f.symbol, f.time, f.tradeId),
        accountId: f.accountId,
        symbol: f.symbol,
        quote,
        side: dir,
        status: 'open',
        entryTime: f.time,
        exitTime: null,
        size: Decimal.ZERO,
        exitedSize: Decimal.ZERO,
        entryValue: Decimal.ZERO,
        exitValue: Decimal.ZERO,
        grossPnl: Decimal.ZERO,
        fees: Decimal.ZERO,
        otherFees: new Map(),
        parts: [],
      }
      this.trade = t
    }
    t.size = t.size.plus(rest)
    t.entryValue = t.entryValue.plus(rest.times(price))
    addFee(t, restFee, restOther)
    t.parts.push(part(f, 'entry', rest, price, restFee, restOther, null))
    if (this.method === 'average') {
      this.avgQty = this.avgQty.plus(rest)
      this.avgCost = this.avgCost.plus(rest.times(price))
    } else this.lots.push({ qty: rest, price })
    changed.push(t)
    return changed
  }

  /** Takes `qty` off the open lots by the method; the gross P&L it realizes at `price`. */
  private close(t: RawTrade, qty: Decimal, price: Decimal): Decimal {
    let basis: Decimal
    if (this.method === 'average') {
      basis = qty.eq(this.avgQty)
        ? this.avgCost
        : this.avgCost.times(qty).div(this.avgQty, QUOTIENT_PLACES, 'half_even')
      this.avgCost = this.avgCost.minus(basis)
      this.avgQty = this.avgQty.minus(qty)
    } else {
      basis = Decimal.ZERO
      let left = qty
      const lifo = this.method === 'lifo'
      while (left.isPositive()) {
        const lot = lifo ? this.lots[this.lots.length - 1]! : this.lots[0]!
        const take = Decimal.min(lot.qty, left)
        basis = basis.plus(take.times(lot.price))
        left = left.minus(take)
        if (take.eq(lot.qty)) {
          if (lifo) this.lots.pop()
          else this.lots.shift()
        } else lot.qty = lot.qty.minus(take)
      }
    }
    const value = qty.times(price)
    return t.side === 'long' ? value.minus(basis) : basis.minus(value)
  }
}

function addFee(t: RawTrade, fee: Decimal, other: { currency: string; cost: Decimal } | null): void {
  t.fees = t.fees.plus(fee)
  if (other && !other.cost.isZero())
    t.otherFees.set(other.currency, (t.otherFees.get(other.currency) ?? Decimal.ZERO).plus(other.cost))
}

function part(
  f: SourceFill,
  role: 'entry' | 'exit',
  amount: Decimal,
  price: Decimal,
  fee: Decimal,
  other: { currency: string; cost: Decimal } | null,
  realized: Decimal | null,
): FillPart {
  return {
    tradeId: f.tradeId,
    orderId: f.orderId,
    clientOrderId: f.clientOrderId,
    side: f.side,
    role,
    amount,
    price,
    fee,
    otherFee: other && !other.cost.isZero() ? other : null,
    realized,
    time: f.time,
  }
}

/** Fills in the order the journal applies them: by time, then by the order they were recorded. */
export function fillOrder(a: { time: number; seq: number }, b: { time: number; seq: number }): number {
  return a.time - b.time || a.seq - b.seq
}

/** Every trade of one (account, symbol)'s fills, in order of entry. */
export function buildPair(fills: readonly SourceFill[], method: MatchingMethod): RawTrade[] {
  if (fills.length === 0) return []
  const book = new PairBook(fills[0]!.accountId, fills[0]!.symbol, method)
  const out: RawTrade[] = []
  const seen = new Set<RawTrade>()
  for (const f of fills) {
    for (const t of book.apply(f)) {
      if (!seen.has(t)) {
        seen.add(t)
        out.push(t)
      }
    }
  }
  return out
}

/** Net P&L: gross less the quote fees. */
export function netOf(t: RawTrade): Decimal {
  return t.grossPnl.minus(t.fees)
}
