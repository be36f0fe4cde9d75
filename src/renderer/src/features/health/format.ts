import type { ClockSkew, ExchangeHealth } from '../../../../shared/contract/exchange'
import type { ExchangeConnectionHealth } from '../../../../shared/contract/health'

const wholeMs = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** A latency or offset in whole milliseconds: `84 ms`, `1,250 ms`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  return `${wholeMs.format(ms)} ms`
}

/** The exchange's clock against ours, signed (`+12 ms`: the exchange is ahead), with its error bar. */
export function formatSkew(skew: ClockSkew | null): string {
  if (skew === null) return 'not measured'
  const sign = skew.offsetMs > 0 ? '+' : skew.offsetMs < 0 ? '−' : ''
  return `${sign}${formatMs(Math.abs(skew.offsetMs))} (±${formatMs(skew.uncertaintyMs)})`
}

export const BREAKER_LABELS: Record<ExchangeHealth['state'], string> = {
  closed: 'Closed',
  'half-open': 'Half-open',
  open: 'Open',
}

export const BREAKER_HELP: Record<ExchangeHealth['state'], string> = {
  closed: 'Requests flow normally.',
  'half-open': 'After a pause, one probe request is let through to see whether the exchange answers again.',
  open: 'Too many requests failed in a row: requests are paused until the time shown, then one probe is tried.',
}

/** Good, fair or poor, for the score's colour. */
export function scoreClass(score: number | null): 'up' | 'warn' | 'down' | 'flat' {
  if (score === null) return 'flat'
  return score >= 80 ? 'up' : score >= 50 ? 'warn' : 'down'
}

/** Where a connection's requests go, in words. */
export function endpointLabel(e: ExchangeConnectionHealth): string {
  if (e.endpoint === 'custom') return e.apiUrl ?? 'Custom URL'
  return e.endpoint === 'sandbox' ? 'Testnet (sandbox)' : 'Exchange default'
}
