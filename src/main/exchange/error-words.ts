import type { ErrorKind } from '../../shared/contract/errors'
import { CREDENTIALS, credentialLabel, type Credential } from '../../shared/domain/credentials'

/**
 * The sentences a trader reads when an exchange call fails: the exchange by its name, what
 * happened in plain words, and what to do about it. Never a URL, a query string or raw JSON: the
 * exchange's own reason is taken out of its JSON answer (`msg`, `message`, ...), and the way a
 * request failed on the network is named (no network, refused, cut, timed out) rather than quoted.
 */

/** Why a request never got an answer, from Node's and ccxt's network messages. */
export function networkCause(raw: string): string | null {
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(raw)) return 'no network (its address could not be looked up)'
  if (/ECONNREFUSED/i.test(raw)) return 'the connection was refused (nothing answers at its address)'
  if (/ENETUNREACH|EHOSTUNREACH|ENETDOWN/i.test(raw)) return 'no network route to it'
  if (/ECONNRESET|EPIPE|socket hang up|other side closed/i.test(raw)) return 'the connection was cut'
  if (/ETIMEDOUT|ECONNABORTED/i.test(raw)) return 'the connection timed out'
  if (/CERT|SSL|TLS|self[- ]signed/i.test(raw))
    return 'the secure connection failed (its certificate was not accepted)'
  if (/fetch failed|network/i.test(raw)) return 'the request did not get through'
  return null
}

const REASON_KEYS = [
  'msg',
  'message',
  'error_message',
  'errorMessage',
  'err_msg',
  'errmsg',
  'sMsg',
  'detail',
  'description',
  'reason',
  'error',
] as const
const CODE_KEYS = ['code', 'error_code', 'errorCode', 'sCode', 'status'] as const

/** The exchange's own reason inside a JSON answer (`{"code":-2015,"msg":"Invalid API-key..."}`). */
function reasonInJson(value: unknown, depth = 0): string | null {
  if (depth > 3 || value === null || typeof value !== 'object') return null
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = reasonInJson(v, depth + 1)
      if (found) return found
    }
    return null
  }
  const o = value as Record<string, unknown>
  let text: string | null = null
  for (const k of REASON_KEYS) {
    const v = o[k]
    // Kraken: {"error":["EService:Unavailable"]}
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) {
      text = (v as string[]).join('; ')
      break
    }
    if (typeof v === 'string' && v.trim() !== '' && !/^(true|false|null|ok|error)$/i.test(v.trim())) {
      text = v.trim()
      break
    }
    if (v && typeof v === 'object') {
      const inner = reasonInJson(v, depth + 1)
      if (inner) {
        text = inner
        break
      }
    }
  }
  if (!text) {
    for (const v of Object.values(o)) {
      const inner = reasonInJson(v, depth + 1)
      if (inner) return inner
    }
    return null
  }
  const code = CODE_KEYS.map((k) => o[k]).find(
    (c) =>
      (typeof c === 'number' && c !== 0) || (typeof c === 'string' && /^-?[\w.]{1,12}$/.test(c) && c !== '0'),
  )
  if (code === undefined || text.includes(String(code))) return text
  return `${text.replace(/\.$/, '')} (code ${String(code)})`
}

/** The first JSON object or array in `text`, parsed, with where it was. */
function jsonIn(text: string): { value: unknown; start: number; end: number } | null {
  const start = text.search(/[{[]/)
  if (start < 0) return null
  for (let end = text.length; end > start; end--) {
    const ch = text[end - 1]
    if (ch !== '}' && ch !== ']') continue
    try {
      return { value: JSON.parse(text.slice(start, end)) as unknown, start, end }
    } catch {
      // a shorter span may parse
    }
  }
  return null
}

/**
 * The exchange's reason out of a (scrubbed) ccxt message, in words: without the exchange id ccxt
 * puts first, the method and URL, JSON syntax, HTML and URLs. Null when nothing readable is left.
 */
export function reasonOf(scrubbed: string, exchangeId?: string): string | null {
  let text = scrubbed.trim()
  if (exchangeId && text.toLowerCase().startsWith(exchangeId.toLowerCase()))
    text = text.slice(exchangeId.length).trim()
  text = text.replace(/^(GET|POST|PUT|DELETE|PATCH)\s+\S+\s*/i, '')
  const json = jsonIn(text)
  if (json) {
    const inside = reasonInJson(json.value)
    if (inside) return tidy(inside)
    text = `${text.slice(0, json.start)} ${text.slice(json.end)}`
  }
  text = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\b(?:https?|wss?):\/\/\S+/gi, ' ')
    // JSON debris that did not parse; `[redacted]` and `[query]` marks stay.
    .replace(/[{}"]/g, ' ')
  return tidy(text)
}

function tidy(text: string): string | null {
  const out = text
    .replace(/\s+/g, ' ')
    .replace(/^[\s:;,.-]+|[\s:;,.-]+$/g, '')
    .trim()
  if (out === '') return null
  return out.length > 200 ? `${out.slice(0, 200)}…` : out
}

/** What an operation was doing, for a sentence ("while placing the order"); null when unknown. */
function doing(operation: string | undefined): string | null {
  const op = operation?.split(/\s/)[0] ?? ''
  const words: Record<string, string> = {
    fetchBalance: 'reading the balance',
    createOrder: 'placing the order',
    cancelOrder: 'cancelling the order',
    editOrder: 'changing the order',
    fetchOrder: 'looking up the order',
    fetchOpenOrders: 'reading the open orders',
    fetchClosedOrders: 'reading past orders',
    fetchOrders: 'reading the orders',
    fetchMyTrades: 'reading the account’s trades',
    fetchTicker: 'reading the price',
    fetchTickers: 'reading prices',
    fetchOrderBook: 'reading the order book',
    fetchOHLCV: 'reading candles',
    fetchTime: 'reading its clock',
    loadMarkets: 'loading its markets',
    fetchMarkets: 'loading its markets',
  }
  return words[op] ?? null
}

/** `the passphrase` for ccxt's "requires "password" credential" (ccxt refusing to sign without it). */
function missingCredential(reason: string | null, exchangeId: string | undefined): string | null {
  const m = reason ? /requires "?(\w+)"? credential/i.exec(reason) : null
  if (!m) return null
  const c = m[1] as Credential
  if (!CREDENTIALS.includes(c)) return null
  const required: Credential[] = c === 'password' && exchangeId === 'ndax' ? ['login'] : []
  return credentialLabel(c, required).replace(/^[A-Z](?=[a-z])/, (ch) => ch.toLowerCase())
}

export interface Situation {
  kind: ErrorKind
  /** ccxt's class names on the error's prototype chain. */
  classes: ReadonlySet<string>
  /** The exchange's name as traders know it (`Binance`, `OKX`). */
  name: string
  exchangeId: string | undefined
  operation: string | undefined
  mutating: boolean
  /** The ccxt message, scrubbed of secrets and query strings. */
  scrubbed: string
  status: number | null
  /** Seconds to wait, for rate limits. */
  retryAfter: number | undefined
  banned: boolean
  /** A Node network failure ccxt did not wrap. */
  nodeNetwork: boolean
}

/** The sentence for a failed exchange call. */
export function describeFailure(s: Situation): string {
  const { name, classes } = s
  const reason = reasonOf(s.scrubbed, s.exchangeId)
  const why = reason ? `: ${reason}` : ''
  const while_ = doing(s.operation)
  const during = while_ ? ` while ${while_}` : ''
  const has = (c: string) => classes.has(c)

  if (s.kind === 'outcome_unknown') {
    return `${name} did not answer in time${during}: whether it went through is unknown until it is looked up, which Candlework does by itself. Do not send it again.`
  }
  if (has('RequestTimeout')) {
    return `${name} did not answer in time${during}. Try again in a moment.`
  }
  if (s.kind === 'rate_limited') {
    const wait = s.retryAfter === undefined ? 'a moment' : waitWords(s.retryAfter)
    return s.banned
      ? `${name} has blocked requests from this machine for a while after too many of them: wait ${wait} before trying again.`
      : `${name} is limiting how fast requests are sent (too many too quickly): wait ${wait} and try again.`
  }
  if (has('InvalidNonce')) {
    return `${name} refused the request’s timestamp: this computer’s clock is off from ${name}’s. Turn on clock adjustment for the connection, or set the computer’s clock right.`
  }
  if (has('OnMaintenance')) return `${name} is down for maintenance${why}. Try again later.`
  if (has('RestrictedLocation')) return `${name} does not serve the place this machine connects from${why}.`
  if (s.nodeNetwork || (has('NetworkError') && !has('ExchangeNotAvailable') && !has('DDoSProtection'))) {
    const cause = networkCause(s.scrubbed) ?? 'the request did not get through'
    return `${name} is unreachable from this machine: ${cause}. ${
      cause.startsWith('no network') || cause.startsWith('no network route')
        ? 'Check this computer’s internet connection, then try again.'
        : cause.startsWith('the connection was refused')
          ? 'Check the API URL, and that the server there is running.'
          : 'Try again in a moment.'
    }`
  }
  if (has('ExchangeNotAvailable') || has('BadResponse') || has('OperationFailed')) {
    const answered = s.status !== null ? ` (it answered HTTP ${s.status})` : why
    return `${name} is not available right now${answered}. Try again in a few minutes.`
  }
  switch (s.kind) {
    case 'auth_failed': {
      const missing = missingCredential(reason, s.exchangeId)
      if (missing) return `${name} needs the ${missing} for this: enter the account’s API keys.`
      if (has('AccountSuspended')) return `${name} says the account is suspended${why}.`
      if (has('PermissionDenied'))
        return `${name} refused the request: the API key lacks the permission for it${why}. Enable it for the key on ${name}, or use a key that has it.`
      return `${name} refused the API key${why}. Check the key and its secret (and passphrase, if it has one), that it is enabled, and that this machine’s IP address is allowed to use it.`
    }
    case 'insufficient_funds':
      return `${name} refused the order: not enough funds${why}.`
    case 'invalid_order':
      return `${name} rejected the order${why}.`
    case 'not_found':
      if (has('BadSymbol')) return `${name} has no such market${why}.`
      return `${name} has no such order${why}.`
    case 'validation':
      return `${name} refused the request as malformed${why}.`
    default:
      if (has('NotSupported')) return `${name} does not support this through ccxt${why}.`
      if (has('MarketClosed')) return `The market is closed on ${name}${why}.`
      return `${name} answered with an error${during}${why}.`
  }
}

function waitWords(seconds: number): string {
  if (seconds < 90) return `${seconds} s`
  const minutes = Math.ceil(seconds / 60)
  return `${minutes} min`
}

/** An exchange's name from its id when ccxt's is not at hand (`binance` -> `Binance`). */
export function nameFromId(id: string | undefined): string {
  if (!id) return 'The exchange'
  return id.charAt(0).toUpperCase() + id.slice(1)
}
