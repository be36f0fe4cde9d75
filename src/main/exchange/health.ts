import type { BreakerState } from './breaker'

/** One finished request: when, whether the exchange answered, and how long it took. */
export interface Outcome {
  at: number
  ok: boolean
  /** Round trip in ms; kept for answered requests only (a timeout's duration is the timeout). */
  latencyMs: number | null
}

export interface WindowOptions {
  /** At most this many recent requests... */
  maxSamples: number
  /** ...none older than this. */
  maxAgeMs: number
}

export const DEFAULT_WINDOW: WindowOptions = { maxSamples: 200, maxAgeMs: 5 * 60_000 }

/** The recent requests of one exchange, newest last, trimmed by count and age. */
export class RollingWindow {
  private outcomes: Outcome[] = []

  constructor(private readonly options: WindowOptions = DEFAULT_WINDOW) {}

  record(outcome: Outcome): void {
    this.outcomes.push(outcome)
    if (this.outcomes.length > this.options.maxSamples)
      this.outcomes.splice(0, this.outcomes.length - this.options.maxSamples)
  }

  recent(now: number): readonly Outcome[] {
    const cutoff = now - this.options.maxAgeMs
    const first = this.outcomes.findIndex((o) => o.at >= cutoff)
    if (first === -1) this.outcomes = []
    else if (first > 0) this.outcomes.splice(0, first)
    return this.outcomes
  }
}

/**
 * The p-th percentile by the nearest-rank method: the smallest sample such that at least p % of
 * the samples are at or below it, i.e. `sorted[ceil(p/100 * n) - 1]`. Null for no samples.
 * (For [10, 20, 30, 40]: p50 = 20, p95 = p99 = 40.)
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] ?? null
}

export interface LatencyPercentiles {
  p50: number | null
  p95: number | null
  p99: number | null
}

export function latencyPercentiles(outcomes: readonly Outcome[]): LatencyPercentiles {
  const values = outcomes.flatMap((o) => (o.latencyMs === null ? [] : [o.latencyMs]))
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) }
}

/** p95 at or under this is as good as it gets for the score. */
export const LATENCY_GOOD_MS = 250
/** p95 at or over this earns no latency credit. */
export const LATENCY_BAD_MS = 2_500

/**
 * Health score 0-100 of one exchange:
 *
 *   s = successes / requests in the rolling window (answered requests, business errors included,
 *       count as successes; outages — network errors, 5xx, 429/418, timeouts — as failures)
 *   L = 1                                    if p95 <= 250 ms
 *       (2500 - p95) / (2500 - 250)          if 250 ms < p95 < 2500 ms
 *       0                                    if p95 >= 2500 ms   (and L = 1 when no latency is known)
 *   score = round(100 * s * (0.6 + 0.4 * L))
 *
 * then capped by the breaker: open gives 0, half-open at most 50. Null with no requests yet.
 *
 * Hand-computed: s = 1, p95 = 100 ms -> 100; s = 0.9, p95 = 1375 ms -> L = 0.5 -> 100 * 0.9 * 0.8 = 72;
 * s = 0.5, p95 = 3000 ms -> 100 * 0.5 * 0.6 = 30.
 */
export function healthScore(
  successRate: number | null,
  p95: number | null,
  state: BreakerState,
): number | null {
  if (state === 'open') return 0
  if (successRate === null) return state === 'half-open' ? 50 : null
  const latency =
    p95 === null || p95 <= LATENCY_GOOD_MS
      ? 1
      : p95 >= LATENCY_BAD_MS
        ? 0
        : (LATENCY_BAD_MS - p95) / (LATENCY_BAD_MS - LATENCY_GOOD_MS)
  const score = Math.round(100 * successRate * (0.6 + 0.4 * latency))
  return state === 'half-open' ? Math.min(score, 50) : score
}

export interface WindowStats {
  samples: number
  successRate: number | null
  latency: LatencyPercentiles
}

export function windowStats(outcomes: readonly Outcome[]): WindowStats {
  const samples = outcomes.length
  const successes = outcomes.filter((o) => o.ok).length
  return {
    samples,
    successRate: samples === 0 ? null : successes / samples,
    latency: latencyPercentiles(outcomes),
  }
}
