import { AppError, type ErrorKind } from '../../shared/contract/errors'
import { redact } from '../log'
import { describeFailure, nameFromId } from './error-words'

/** What a failed exchange call means for the caller and for the circuit breaker. */
export interface ClassifiedError {
  error: AppError
  /**
   * The exchange (or the way to it) is unwell: unreachable, overloaded, rate limiting, timing
   * out. These count against its health and its circuit breaker. Answers such as "invalid order"
   * or "bad key" come from a working exchange and do not.
   */
  outage: boolean
  /** Rate limited, or banned for having been (HTTP 418 / 429). */
  rateLimited: boolean
  /** HTTP 418: the exchange banned us for a while; the breaker opens at once. */
  banned: boolean
  /** The HTTP status the error came with, when ccxt tells it. */
  status: number | null
  /** ccxt's own message, scrubbed of secrets and query strings: for the log, not for traders. */
  detail: string
}

export interface ErrorContext {
  /** The exchange id (ccxt's messages start with it). */
  exchange?: string
  /** The exchange's name as traders know it (`OKX`), for messages; else made from the id. */
  exchangeName?: string
  /** What was being done, for messages: `fetchTicker BTC/USDT`. */
  operation?: string
  /**
   * Whether the call could have changed something at the exchange (an order, a cancel). A timeout
   * of such a call is `outcome_unknown` until reconciled; of a read, it is `unavailable` (retrying
   * is safe). Defaults to true: when in doubt, assume it might have happened.
   */
  mutating?: boolean
  /** Response headers of the failed call (`exchange.last_response_headers`), for Retry-After. */
  headers?: Record<string, string> | undefined
  /** Now, ms since the epoch, to turn "banned until <time>" into seconds. */
  now?: number
  /** Extra strings to scrub from messages besides those registered with `registerSecret`. */
  secrets?: readonly string[]
}

/**
 * Kinds no retry will fix: a live feed (an `exchange.watch*` stream, a followed series) ends with
 * one of these instead of reconnecting forever: the market or exchange is unknown, the request is
 * wrong, the keys are refused, or something failed that nobody foresaw. Every other kind
 * (unreachable, rate limited, ...) is waited out with the feed's backoff.
 */
export const FEED_FATAL_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'not_found',
  'validation',
  'auth_failed',
  'internal',
])

/** True when a live feed's error ends it (see `FEED_FATAL_KINDS`). */
export function endsFeed(error: { kind: ErrorKind }): boolean {
  return FEED_FATAL_KINDS.has(error.kind)
}

/** ccxt's error class names, most specific first, with the kind each maps to. */
const CLASS_KINDS: readonly (readonly [string, ErrorKind])[] = [
  ['OrderNotFound', 'not_found'],
  ['OrderNotCached', 'not_found'],
  ['BadSymbol', 'not_found'],
  ['InsufficientFunds', 'insufficient_funds'],
  ['InvalidOrder', 'invalid_order'],
  ['MarketClosed', 'unavailable'],
  ['OperationRejected', 'invalid_order'],
  ['AccountSuspended', 'auth_failed'],
  ['PermissionDenied', 'auth_failed'],
  ['AuthenticationError', 'auth_failed'],
  ['ArgumentsRequired', 'validation'],
  ['BadRequest', 'validation'],
  ['NotSupported', 'unavailable'],
  ['DDoSProtection', 'rate_limited'],
  ['RateLimitExceeded', 'rate_limited'],
  ['RequestTimeout', 'outcome_unknown'],
  ['InvalidNonce', 'unavailable'],
  ['OnMaintenance', 'unavailable'],
  ['ExchangeNotAvailable', 'unavailable'],
  ['NetworkError', 'unavailable'],
  ['BadResponse', 'unavailable'],
  ['OperationFailed', 'unavailable'],
  ['ExchangeClosedByUser', 'unavailable'],
  ['ExchangeError', 'unavailable'],
]

const OUTAGE_CLASSES = new Set([
  'NetworkError',
  'DDoSProtection',
  'RateLimitExceeded',
  'ExchangeNotAvailable',
  'OnMaintenance',
  'RequestTimeout',
  'BadResponse',
  'OperationFailed',
])

/** The class names on an error's prototype chain (`RateLimitExceeded`, `NetworkError`, ...). */
function classNames(err: object): Set<string> {
  const names = new Set<string>()
  for (
    let p: unknown = Object.getPrototypeOf(err);
    p && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    const ctor = (p as { constructor?: { name?: unknown } }).constructor
    if (ctor && typeof ctor.name === 'string') names.add(ctor.name)
  }
  return names
}

/**
 * Takes out of an error message what must never reach a user, a log or the renderer: every
 * registered secret, query strings (signed URLs carry signatures, some exchanges put keys there)
 * and anything that looks like an API-key header. Then trims it to a readable length.
 */
export function scrubMessage(message: string, secrets: readonly string[] = []): string {
  let out = redact(message)
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('[redacted]')
  out = out.replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1?[query]')
  out = out.replace(
    /((?:api[-_]?key|apikey|secret|signature|passphrase|password)["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi,
    '$1[redacted]',
  )
  return out.length > 400 ? `${out.slice(0, 400)}…` : out
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return String(v)
  return undefined
}

/**
 * Seconds to wait before retrying, when the exchange says: a `Retry-After` header (seconds or an
 * HTTP date), or Binance's "IP banned until <ms>" in the message.
 */
export function retryAfterSeconds(
  message: string,
  headers: Record<string, string> | undefined,
  now: number,
): number | undefined {
  const header = headerValue(headers, 'retry-after')
  if (header !== undefined) {
    const secs = Number(header)
    if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs)
    const date = Date.parse(header)
    if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - now) / 1000))
  }
  const banned = /banned until (\d{12,})/i.exec(message)
  if (banned) return Math.max(0, Math.ceil((Number(banned[1]) - now) / 1000))
  return undefined
}

/** The HTTP status ccxt put in the message (`binance 429 Too Many Requests`, `binance GET <url> 503 ...`). */
function statusFrom(message: string, exchange: string | undefined): number | null {
  const prefix = exchange
    ? `^${exchange}\\s+(?:(?:GET|POST|PUT|DELETE|PATCH)\\s+\\S+\\s+)?`
    : '^\\S+\\s+(?:(?:GET|POST|PUT|DELETE|PATCH)\\s+\\S+\\s+)?'
  const m = new RegExp(`${prefix}([1-5]\\d\\d)\\b`).exec(message)
  return m ? Number(m[1]) : null
}

/**
 * The one mapping from whatever an exchange call threw to a contract error. ccxt errors are
 * recognised by their class (walking the prototype chain, so no ccxt import is needed here):
 *
 * | ccxt                                                 | kind                 |
 * |------------------------------------------------------|----------------------|
 * | OrderNotFound, OrderNotCached, BadSymbol             | not_found            |
 * | InsufficientFunds                                    | insufficient_funds   |
 * | InvalidOrder (and subclasses), OperationRejected     | invalid_order        |
 * | AuthenticationError, PermissionDenied, AccountSuspended | auth_failed       |
 * | RateLimitExceeded, DDoSProtection (HTTP 418 / 429)   | rate_limited (+ retryAfter: as told, else 1 s, 60 s for a ban) |
 * | RequestTimeout                                       | outcome_unknown (a mutating call) / unavailable (a read) |
 * | BadRequest, ArgumentsRequired                        | validation           |
 * | NetworkError, ExchangeNotAvailable, OnMaintenance, BadResponse, NotSupported, MarketClosed, InvalidNonce, other ExchangeError | unavailable |
 *
 * An `AppError` passes through unchanged; anything else is `internal`. Messages are sentences
 * for traders (`error-words.ts`: the exchange by name, what happened, what to do; no URL, no raw
 * JSON); ccxt's own message, scrubbed of secrets and query strings, is `detail`, for the log.
 */
export function classifyExchangeError(err: unknown, ctx: ErrorContext = {}): ClassifiedError {
  const name = ctx.exchangeName ?? nameFromId(ctx.exchange)
  const mutating = ctx.mutating ?? true
  if (err instanceof AppError) {
    const outage = err.kind === 'unavailable' || err.kind === 'rate_limited' || err.kind === 'outcome_unknown'
    return {
      error: err,
      outage,
      rateLimited: err.kind === 'rate_limited',
      banned: false,
      status: null,
      detail: err.message,
    }
  }
  if (!(err instanceof Error)) {
    return {
      error: new AppError('internal', `${name}: a request failed unexpectedly; details are in the log`),
      outage: false,
      rateLimited: false,
      banned: false,
      status: null,
      detail: scrubMessage(String(err), ctx.secrets),
    }
  }
  const names = classNames(err)
  const raw = err.message ?? ''
  const status = statusFrom(raw, ctx.exchange)
  const match = CLASS_KINDS.find(([name]) => names.has(name))
  // Node's own network failures (fetch/undici) when ccxt did not wrap them.
  const nodeNetwork =
    !match && /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up|fetch failed/i.test(raw)
  const scrubbed = scrubMessage(raw, ctx.secrets)
  if (!match && !nodeNetwork) {
    return {
      error: new AppError('internal', `${name}: a request failed unexpectedly; details are in the log`),
      outage: false,
      rateLimited: false,
      banned: false,
      status,
      detail: scrubbed,
    }
  }
  let kind: ErrorKind = match ? match[1] : 'unavailable'
  if (kind === 'outcome_unknown' && !mutating) kind = 'unavailable'
  // A 418/429 that ccxt filed elsewhere is still rate limiting.
  if (status === 429 || status === 418) kind = 'rate_limited'
  const nonce = names.has('InvalidNonce')
  const outage =
    !nonce && (nodeNetwork || kind === 'rate_limited' || [...names].some((n) => OUTAGE_CLASSES.has(n)))
  const banned = status === 418 || /\bbanned\b/i.test(raw)
  // When the exchange does not say how long to wait, callers still need a number to back off by:
  // a second for a plain 429, a minute for a ban (Binance's shortest is two).
  const retryAfter =
    kind === 'rate_limited'
      ? (retryAfterSeconds(raw, ctx.headers, ctx.now ?? Date.now()) ?? (banned ? 60 : 1))
      : undefined
  const message = describeFailure({
    kind,
    classes: names,
    name,
    exchangeId: ctx.exchange,
    operation: ctx.operation,
    mutating,
    scrubbed,
    status,
    retryAfter,
    banned,
    nodeNetwork,
  })
  return {
    error: new AppError(kind, message, undefined, retryAfter),
    outage,
    rateLimited: kind === 'rate_limited',
    banned,
    status,
    detail: scrubbed,
  }
}

/** `classifyExchangeError(...).error`: the contract error for anything an exchange call threw. */
export function mapExchangeError(err: unknown, ctx: ErrorContext = {}): AppError {
  return classifyExchangeError(err, ctx).error
}

/**
 * Errors of calls that provably sent nothing to the exchange: refused by the circuit breaker or
 * the clock-skew guard, or by ccxt's own checks, before any request left. A mutating call that
 * fails this way had no effect; one that fails otherwise might have (see `ExchangeConnection.call`).
 */
const unsent = new WeakSet<object>()

export function markNotSent<E extends object>(err: E): E {
  unsent.add(err)
  return err
}

export function wasNotSent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && unsent.has(err)
}
