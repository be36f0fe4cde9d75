/**
 * The one backoff rule of the app, pure so the renderer's reconnecting link and the engine's
 * feeds, breaker, backfill and order look-ups all wait by the same formula (only their numbers
 * differ): after the n-th failure in a row, `min(maxMs, baseMs * 2^(n-1))`, and never less than
 * what the other side asked for (a server's Retry-After), even past `maxMs`.
 */
export interface BackoffPolicy {
  /** The wait after the first failure. */
  baseMs: number
  /** Doubling stops here (a longer Retry-After is still honoured). */
  maxMs: number
  /**
   * Each wait is moved by up to this share either way (0.2: +-20%), still at most `maxMs`, so
   * many clients that lost the same server do not all retry in step. None by default.
   */
  jitter?: number
}

export interface BackoffOptions {
  /** The other side asked for at least this long (Retry-After in ms). */
  retryAfterMs?: number | undefined
  /** For the jitter: a number in [0, 1) (Math.random by default). */
  random?: () => number
}

/** The wait before the next attempt after `failures` consecutive failures (1 = the first; 0 counts as 1). */
export function backoffDelay(failures: number, policy: BackoffPolicy, options: BackoffOptions = {}): number {
  let wait = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1))
  const jitter = policy.jitter ?? 0
  if (jitter > 0) {
    const random = options.random ?? Math.random
    wait = Math.round(Math.min(policy.maxMs, wait * (1 - jitter + 2 * jitter * random())))
  }
  return Math.max(wait, options.retryAfterMs ?? 0)
}
