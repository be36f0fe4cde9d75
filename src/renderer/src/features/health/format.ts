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

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** Request weight as the exchange said it: `120 / 6,000 (2 %)`, `120 used` without a known limit. */
export function formatWeight(w: ExchangeHealth['requestWeight']): string {
  if (w === null) return '—'
  if (w.limit === null || w.share === null) return `${count.format(w.used)} used`
  return `${count.format(w.used)} / ${count.format(w.limit)} (${Math.round(w.share * 100)} %)`
}

/** The interval a weight counts over, for its tooltip: `per 1 min`. */
export function weightTitle(w: ExchangeHealth['requestWeight']): string {
  if (w === null) return 'The exchange has not said how much of its request limit was used'
  const per = w.intervalMs === null ? '' : ` per ${formatSpan(w.intervalMs)}`
  return `Request weight used${per}, from the exchange's response headers`
}

function formatSpan(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`
}

/** The websocket in a few words: polling, idle, live (last message 2 s ago) or dropped. */
export function formatStream(ws: ExchangeHealth['websocket']): string {
  if (ws.state === 'off') return 'Polling (REST)'
  if (ws.state === 'idle') return 'Idle'
  if (ws.state === 'disconnected') return 'Dropped'
  return ws.lastMessageAgeMs === null ? 'Live' : `Live · ${formatAge(ws.lastMessageAgeMs)} ago`
}

export function formatAge(ms: number): string {
  if (ms < 1_000) return 'under 1 s'
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s`
  return `${Math.floor(ms / 60_000)} min`
}
