/**
 * Request weight: how much of its request budget an exchange says we used, read from what it
 * sends back (docs/HEALTH.md "Request weight"). Exchanges say it in different words:
 *
 * - Binance and its family: `X-MBX-USED-WEIGHT-<n><s|m|h|d>` (and `X-SAPI-USED-IP-WEIGHT-1M`)
 *   on every answer; the limit is in `exchangeInfo`'s `rateLimits` (REQUEST_WEIGHT per interval),
 *   which ccxt fetches with the markets.
 * - Bybit: `X-Bapi-Limit` (the limit) and `X-Bapi-Limit-Status` (what is left).
 * - Many others: `X-RateLimit-Limit` with `X-RateLimit-Remaining` or `X-RateLimit-Used`.
 *
 * An exchange that says none of these has no figure (null), never a guessed one.
 */

export interface WeightReading {
  used: number
  /** The limit for the same interval, when the answer said it; null otherwise. */
  limit: number | null
  /** The interval the figures count over (ms), when known. */
  intervalMs: number | null
}

export interface WeightLimit {
  limit: number
  intervalMs: number
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const BINANCE_USED = /^x-(?:mbx-used-weight|sapi-used-ip-weight)-(\d+)([smhd])$/

function lowerKeys(headers: unknown): Map<string, string> {
  const out = new Map<string, string>()
  if (headers === null || typeof headers !== 'object') return out
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') out.set(k.toLowerCase(), String(v))
  }
  return out
}

function count(value: string | undefined): number | null {
  if (value === undefined) return null
  const n = Number(value.trim())
  return Number.isFinite(n) && n >= 0 ? n : null
}

/**
 * The weight an answer's headers report (ccxt's `last_response_headers`, any letter case), or
 * null. Of several Binance intervals the shortest wins: it is the one a burst runs into first.
 */
export function weightFromHeaders(headers: unknown): WeightReading | null {
  const h = lowerKeys(headers)
  let best: WeightReading | null = null
  for (const [key, value] of h) {
    const m = BINANCE_USED.exec(key)
    const used = m ? count(value) : null
    if (!m || used === null) continue
    const intervalMs = Number(m[1]) * UNIT_MS[m[2]!]!
    if (best === null || intervalMs < (best.intervalMs ?? Infinity)) best = { used, limit: null, intervalMs }
  }
  if (best) return best
  const bybitLimit = count(h.get('x-bapi-limit'))
  const bybitLeft = count(h.get('x-bapi-limit-status'))
  if (bybitLimit !== null && bybitLeft !== null) {
    return { used: Math.max(0, bybitLimit - bybitLeft), limit: bybitLimit, intervalMs: null }
  }
  const limit = count(h.get('x-ratelimit-limit'))
  const used = count(h.get('x-ratelimit-used'))
  const left = count(h.get('x-ratelimit-remaining'))
  if (limit !== null && (used !== null || left !== null)) {
    return { used: used ?? Math.max(0, limit - left!), limit, intervalMs: null }
  }
  return null
}

const INTERVAL_MS: Record<string, number> = {
  SECOND: 1_000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
}

/**
 * The REQUEST_WEIGHT limits an answer lists (Binance's `exchangeInfo`: `rateLimits`), by interval
 * in ms; empty when the body has none.
 */
export function weightLimitsFromBody(body: unknown): WeightLimit[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return []
  const list = (body as { rateLimits?: unknown }).rateLimits
  if (!Array.isArray(list)) return []
  const out: WeightLimit[] = []
  for (const r of list as unknown[]) {
    if (r === null || typeof r !== 'object') continue
    const { rateLimitType, interval, intervalNum, limit } = r as Record<string, unknown>
    const unit = typeof interval === 'string' ? INTERVAL_MS[interval] : undefined
    if (rateLimitType !== 'REQUEST_WEIGHT' || unit === undefined || typeof limit !== 'number') continue
    const n = typeof intervalNum === 'number' && intervalNum > 0 ? intervalNum : 1
    out.push({ limit, intervalMs: n * unit })
  }
  return out
}

/** What health shows: the latest reading, its limit (from the same answer or a listed one) and the share. */
export interface RequestWeight {
  used: number
  limit: number | null
  /** used / limit; null without a limit. */
  share: number | null
  intervalMs: number | null
  /** When the exchange said it. */
  at: number
}

/** Keeps the latest reading of one exchange and the limits it listed. */
export class WeightTracker {
  private reading: (WeightReading & { at: number }) | null = null
  private limits: WeightLimit[] = []

  /** Notes one answer: its headers and, when it is JSON, its body. */
  note(headers: unknown, body: unknown, at: number): void {
    const listed = weightLimitsFromBody(body)
    if (listed.length > 0) this.limits = listed
    const r = weightFromHeaders(headers)
    if (r) this.reading = { ...r, at }
  }

  current(): RequestWeight | null {
    const r = this.reading
    if (!r) return null
    const limit = r.limit ?? this.limits.find((l) => l.intervalMs === r.intervalMs)?.limit ?? null
    return {
      used: r.used,
      limit,
      share: limit !== null && limit > 0 ? r.used / limit : null,
      intervalMs: r.intervalMs,
      at: r.at,
    }
  }
}
