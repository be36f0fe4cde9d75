import { AppError } from '../../shared/contract/errors'
import { backoffDelay } from '../../shared/net/backoff'
import type { Clock } from '../clock'

export type BreakerState = 'closed' | 'open' | 'half-open'

export interface BreakerOptions {
  /** Consecutive outage failures that open the breaker. */
  failureThreshold: number
  /** How long the first opening lasts; each reopening without a success in between doubles it... */
  baseOpenMs: number
  /** ...up to this cap (a server's Retry-After may still ask for longer, and is honoured). */
  maxOpenMs: number
  /** A rate-limit storm: this many 429s within `stormWindowMs` open the breaker even if requests succeed between them. */
  stormCount: number
  stormWindowMs: number
}

export const DEFAULT_BREAKER: BreakerOptions = {
  failureThreshold: 5,
  baseOpenMs: 1_000,
  maxOpenMs: 60_000,
  stormCount: 3,
  stormWindowMs: 10_000,
}

export interface FailureInfo {
  rateLimited: boolean
  /** HTTP 418: banned for a while; opens at once. */
  banned: boolean
  /** The exchange asked us to wait this long. */
  retryAfterMs?: number | undefined
}

export interface BreakerSnapshot {
  state: BreakerState
  consecutiveFailures: number
  openUntil: number | null
  /** How many times it opened since the last success (the backoff exponent). */
  openings: number
}

/**
 * A circuit breaker for one exchange.
 *
 * - closed: requests pass. `failureThreshold` consecutive outage failures, a 418 ban, or a 429
 *   storm (`stormCount` rate-limit answers within `stormWindowMs`) open it.
 * - open: requests are refused at once (no network) until `openUntil`. The n-th opening since the
 *   last success lasts `min(maxOpenMs, baseOpenMs * 2^(n-1))` (`shared/net/backoff.ts`), or the
 *   server's Retry-After if longer.
 * - half-open: once `openUntil` has passed, exactly one request (the probe) is let through; others
 *   are refused while it is out. Its success closes the breaker and resets the backoff; its failure
 *   opens it again for twice as long.
 *
 * Only outages count (see `classifyExchangeError`): an exchange that answers "invalid order" is up.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed'
  private consecutiveFailures = 0
  private openings = 0
  private openUntil = 0
  private probeOut = false
  private openedByRateLimit = false
  private rateLimitTimes: number[] = []

  constructor(
    private readonly clock: Clock,
    private readonly options: BreakerOptions = DEFAULT_BREAKER,
    private readonly onChange: (state: BreakerState) => void = () => {},
  ) {}

  /** The state now (an expired open breaker reads as half-open). */
  current(): BreakerState {
    if (this.state === 'open' && this.clock.now() >= this.openUntil) this.transition('half-open')
    return this.state
  }

  snapshot(): BreakerSnapshot {
    const state = this.current()
    return {
      state,
      consecutiveFailures: this.consecutiveFailures,
      openUntil: state === 'open' ? this.openUntil : null,
      openings: this.openings,
    }
  }

  /**
   * Asks to send one request. Throws `unavailable` (or `rate_limited` when a rate limit opened it)
   * with the seconds to wait while open, or while half-open with the probe already out.
   */
  acquire(name: string): void {
    const state = this.current()
    if (state === 'closed') return
    if (state === 'half-open' && !this.probeOut) {
      this.probeOut = true
      return
    }
    const waitMs = state === 'open' ? Math.max(0, this.openUntil - this.clock.now()) : 1000
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000))
    const why =
      state === 'open'
        ? `paused after ${this.openedByRateLimit ? 'rate limiting' : 'repeated failures'} (circuit open); next try in ${retryAfter} s`
        : 'recovering (circuit half-open): one probe request is out, others wait for it'
    throw new AppError(
      this.openedByRateLimit ? 'rate_limited' : 'unavailable',
      `${name} is ${why}`,
      undefined,
      retryAfter,
    )
  }

  /** The request got an answer the exchange meant (including a business error such as "invalid order"). */
  success(): void {
    this.probeOut = false
    this.consecutiveFailures = 0
    this.openings = 0
    if (this.state !== 'closed') {
      this.openedByRateLimit = false
      this.transition('closed')
    }
  }

  /** The request failed in a way that says the exchange is unwell. */
  failure(info: FailureInfo): void {
    const now = this.clock.now()
    this.consecutiveFailures++
    if (info.rateLimited) {
      this.rateLimitTimes = this.rateLimitTimes.filter((t) => now - t < this.options.stormWindowMs)
      this.rateLimitTimes.push(now)
    }
    const state = this.current()
    if (state === 'half-open') {
      this.probeOut = false
      this.open(now, info)
      return
    }
    if (state === 'open') return
    const storm = this.rateLimitTimes.length >= this.options.stormCount
    if (info.banned || storm || this.consecutiveFailures >= this.options.failureThreshold)
      this.open(now, info)
  }

  /** A request that was let through ended without telling anything (cancelled): frees the probe slot. */
  release(): void {
    this.probeOut = false
  }

  private open(now: number, info: FailureInfo): void {
    this.openings++
    const { baseOpenMs: baseMs, maxOpenMs: maxMs } = this.options
    this.openUntil = now + backoffDelay(this.openings, { baseMs, maxMs }, { retryAfterMs: info.retryAfterMs })
    this.openedByRateLimit = info.rateLimited
    this.rateLimitTimes = []
    this.transition('open', true)
  }

  private transition(to: BreakerState, force = false): void {
    if (this.state === to && !force) return
    this.state = to
    this.onChange(to)
  }
}
