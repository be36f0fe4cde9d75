import { ANCHOR_DAY } from './calendar'

/**
 * A per-day sequence built outward from the anchor day in both directions and kept in memory:
 * x(A) = first(), then x(d) = next(d, x(d − 1)) for d > A and x(d) = next(d, x(d + 1)) for
 * d < A. Each value is computed once, always from the same neighbour, so it does not depend on
 * which days were asked for first.
 */
export class Outward {
  private readonly later: number[] = []
  private readonly earlier: number[] = []

  constructor(
    private readonly first: () => number,
    private readonly next: (day: number, inner: number) => number,
  ) {}

  at(day: number): number {
    if (day >= ANCHOR_DAY) {
      const k = day - ANCHOR_DAY
      while (this.later.length <= k) {
        const n = this.later.length
        this.later.push(n === 0 ? this.first() : this.next(ANCHOR_DAY + n, this.later[n - 1]!))
      }
      return this.later[k]!
    }
    const k = ANCHOR_DAY - 1 - day
    while (this.earlier.length <= k) {
      const n = this.earlier.length
      const inner = n === 0 ? this.at(ANCHOR_DAY) : this.earlier[n - 1]!
      this.earlier.push(this.next(ANCHOR_DAY - 1 - n, inner))
    }
    return this.earlier[k]!
  }
}
