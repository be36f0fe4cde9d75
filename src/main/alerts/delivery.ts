import type { Delivery, DeliveryAttempt, Firing } from '../../shared/contract/alerts'
import { backoffDelay, type BackoffPolicy } from '../../shared/net/backoff'

/** The placeholders a message may use, filled from the firing: `{{symbol}}` and so on. */
export interface MessageFields {
  name: string
  symbol: string
  timeframe: string
  close: string
  condition: string
  time: string
  value: string
}

export const DEFAULT_TEMPLATE = '{{name}}: {{condition}} at {{close}} ({{time}})'

/** Fills `{{field}}` placeholders; unknown ones are left as written, so a typo shows. */
export function renderTemplate(template: string, fields: MessageFields): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    Object.hasOwn(fields, key) ? fields[key as keyof MessageFields] : whole,
  )
}

export interface DeliveryPolicy {
  /** Attempts in all (the first and its retries). */
  attempts: number
  backoff: BackoffPolicy
  /** Each attempt's limit, from sending to the last byte of the answer. */
  timeoutMs: number
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  attempts: 4,
  backoff: { baseMs: 2_000, maxMs: 30_000 },
  timeoutMs: 10_000,
}

/** Where the presets send: overridable so tests can point them at a loopback receiver. */
export interface DeliveryEndpoints {
  telegram: string
}

export const DEFAULT_ENDPOINTS: DeliveryEndpoints = { telegram: 'https://api.telegram.org' }

export interface Outgoing {
  url: string
  body: unknown
}

/**
 * The request for one channel, in the format its receiver expects: a webhook gets the message and
 * the firing's facts as JSON; Discord's webhook `{content}` (at most 2,000 characters); Telegram's
 * Bot API `sendMessage` `{chat_id, text}` at `<base>/bot<token>/sendMessage`.
 */
export function outgoing(
  channel: Delivery,
  secret: string,
  text: string,
  firing: Firing,
  fields: MessageFields,
  endpoints: DeliveryEndpoints,
): Outgoing {
  switch (channel.kind) {
    case 'webhook':
      return {
        url: secret,
        body: {
          text,
          alert: { id: firing.alertId, name: firing.alertName },
          symbol: fields.symbol || null,
          timeframe: fields.timeframe || null,
          condition: fields.condition,
          time: firing.time,
          barTime: firing.barTime,
          values: firing.values,
        },
      }
    case 'discord':
      return { url: secret, body: { content: text.slice(0, 2_000) } }
    case 'telegram':
      return {
        url: `${endpoints.telegram.replace(/\/+$/, '')}/bot${secret}/sendMessage`,
        body: { chat_id: channel.chatId, text: text.slice(0, 4_096) },
      }
  }
}

/** Sleeps, or rejects when `signal` aborts (the engine closing). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error)
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(signal.reason as Error)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Why a request failed, in words that never repeat its URL (which holds the secret). */
function failureWords(err: unknown, timedOut: boolean): string {
  if (timedOut) return 'timed out'
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause
  const code = typeof cause?.code === 'string' ? cause.code : null
  if (code === 'ECONNREFUSED') return 'connection refused'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found'
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset'
  if (code !== null && /^[A-Z_]+$/.test(code)) return `network error (${code})`
  return 'network error'
}

function retryAfterMs(res: Response): number | undefined {
  const h = res.headers.get('retry-after')
  if (h === null) return undefined
  const s = Number(h)
  return Number.isFinite(s) && s >= 0 ? Math.min(s * 1_000, 300_000) : undefined
}

/**
 * Posts `out` as JSON, retrying on no answer, a 5xx or a 429 (after Retry-After) with backoff,
 * up to `policy.attempts`; a 4xx other than 429 is final (the receiver refused it). Each attempt
 * is reported to `record` as it ends. Resolves when done; never rejects (an abort ends it quietly).
 */
export async function deliver(
  out: Outgoing,
  meta: { channel: number; kind: Delivery['kind'] },
  policy: DeliveryPolicy,
  now: () => number,
  signal: AbortSignal,
  record: (a: DeliveryAttempt) => void,
): Promise<boolean> {
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (signal.aborted) return false
    const at = now()
    const started = performance.now()
    const timeout = AbortSignal.timeout(policy.timeoutMs)
    let status: number | null = null
    let error: string | null = null
    let retryAfter: number | undefined
    try {
      const res = await fetch(out.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(out.body),
        redirect: 'error',
        signal: AbortSignal.any([signal, timeout]),
      })
      status = res.status
      await res.arrayBuffer().catch(() => undefined)
      if (!res.ok) {
        error = `HTTP ${res.status}`
        retryAfter = retryAfterMs(res)
      }
    } catch (err) {
      if (signal.aborted) return false
      error = failureWords(err, timeout.aborted)
    }
    const ok = error === null
    record({
      ...meta,
      attempt,
      at,
      ok,
      status,
      error,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    })
    if (ok) return true
    const final = status !== null && status >= 400 && status < 500 && status !== 429
    if (final || attempt === policy.attempts) return false
    try {
      await sleep(backoffDelay(attempt, policy.backoff, { retryAfterMs: retryAfter }), signal)
    } catch {
      return false
    }
  }
  return false
}
