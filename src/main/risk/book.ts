import { Decimal } from '../trading/decimal'

/** One symbol's position as the risk check reads it. */
export interface BookPosition {
  /** Signed base amount: positive long, negative short. */
  amount: Decimal
  /** Last mark (or the last fill's price until a valuation brings one). */
  mark: Decimal | null
  /** The market's quote asset (money limits apply where it is the account's currency). */
  quote: string
}

/**
 * What the risk check needs of one account, kept up to date as trading reports changes (fills,
 * orders) and as the account is valued (every 2 s), so that checking an order reads memory only.
 */
export class AccountBook {
  readonly positions = new Map<string, BookPosition>()
  /** Client order ids of the account's orders that rest or whose outcome is open. */
  readonly open = new Set<string>()
  /** Times of the orders accepted in the last minute, oldest first (a ring read from `head`). */
  private accepted: number[] = []
  private head = 0
  /** Sum of |amount| x mark over positions quoted in `currency`. */
  exposure = Decimal.ZERO
  /** From the last valuation (null before the first). */
  dayPnl: Decimal | null = null
  equity: Decimal | null = null
  peakEquity: Decimal | null = null
  /** Places the account's currency is shown with (from its markets; 2 until known). */
  places = 2

  constructor(public currency: string) {}

  position(symbol: string): Decimal {
    return this.positions.get(symbol)?.amount ?? Decimal.ZERO
  }

  /** Recomputes `exposure` (after positions or marks changed). */
  reprice(): void {
    let sum = Decimal.ZERO
    for (const p of this.positions.values()) {
      if (p.quote === this.currency && p.mark) sum = sum.plus(p.amount.abs().times(p.mark))
    }
    this.exposure = sum
  }

  /** Orders accepted in (now - windowMs, now], windowMs <= 60 s: a binary search, not a walk. */
  acceptedWithin(now: number, windowMs: number): number {
    this.prune(now)
    const a = this.accepted
    let lo = this.head
    let hi = a.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (a[mid]! > now - windowMs) hi = mid
      else lo = mid + 1
    }
    return a.length - lo
  }

  recordAccepted(now: number): void {
    this.prune(now)
    this.accepted.push(now)
  }

  private prune(now: number): void {
    while (this.head < this.accepted.length && this.accepted[this.head]! <= now - 60_000) this.head++
    if (this.head > 1024 && this.head * 2 > this.accepted.length) {
      this.accepted = this.accepted.slice(this.head)
      this.head = 0
    }
  }

  /** Money in the account's currency, at its places: `512.40 USDT`. */
  money(d: Decimal): string {
    return `${d.toFixed(this.places, 'half_even')} ${this.currency}`
  }
}
