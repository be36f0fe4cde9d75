/**
 * A token bucket: `burst` requests at once, then `perSecond` sustained. Each request takes a
 * token; tokens come back continuously at `perSecond`, up to `burst`.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    readonly burst: number,
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst
    this.last = now()
  }

  /** Takes a token: 0 when there was one, else the milliseconds until there will be. */
  take(): number {
    const t = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000)
    this.last = t
    if (this.tokens >= 1) {
      this.tokens -= 1
      return 0
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.perSecond)
  }
}
