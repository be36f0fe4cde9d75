import { CREDENTIALS } from '../../shared/domain/credentials'

/*
 * What must never reach a log line. Two nets, because neither is enough alone:
 * - by name: a field whose name says it holds a credential (`apiKey`, `secret`, `password`,
 *   `privateKey`, any `token`, `passphrase`, `signature`, an `Authorization` or `Cookie` header),
 *   and everything under a `keys` or `credentials` field, is replaced whatever its value. The
 *   exchange credentials that are also ordinary words (`uid`, `login`, `accountId`,
 *   `walletAddress`) are replaced where they are credentials: beside one of those names;
 *   elsewhere `accountId` is a Candlework account and stays readable;
 * - by value: every secret the engine has seen (API keys as they are stored or loaded, the
 *   passphrase) is registered here and cut out of the finished line, so it is caught inside an
 *   error message or a URL too, where no field name points at it.
 */

export const CENSORED = '[redacted]'

/** Strings that must never reach a log line (API secrets, tokens); registered at run time. */
const secrets = new Set<string>()
/**
 * The same, longest first: where one secret contains another, cutting the shorter first would
 * leave the rest of the longer one in the line.
 */
let longestFirst: string[] = []

export function registerSecret(value: string): void {
  if (value.length < 6 || secrets.has(value)) return
  secrets.add(value)
  longestFirst = [...secrets].sort((a, b) => b.length - a.length)
}

/** `text` with every registered secret replaced by `[redacted]`. */
export function redact(text: string): string {
  let out = text
  for (const secret of longestFirst) out = out.split(secret).join(CENSORED)
  return out
}

/**
 * A serialised JSON line with every registered secret cut out, also in its JSON-escaped form (a
 * secret with a quote or a backslash appears escaped in the line, not as registered).
 */
export function redactJsonLine(line: string): string {
  let out = line
  for (const secret of longestFirst) {
    out = out.split(secret).join(CENSORED)
    const escaped = JSON.stringify(secret).slice(1, -1)
    if (escaped !== secret) out = out.split(escaped).join(CENSORED)
  }
  return out
}

// Compared without case, `-` or `_`, so `api_key`, `X-API-KEY` and `apiKey` are one name.
const norm = (name: string): string => name.toLowerCase().replace(/[-_]/g, '')
const SECRET_NAMES = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'keys',
  'credentials',
])
const SECRET_PARTS = ['secret', 'password', 'passphrase', 'token', 'apikey', 'privatekey', 'signature']
/** ccxt's credential names (shared/domain/credentials.ts): secrets beside a secret-named field. */
const CREDENTIAL_NAMES = new Set<string>(CREDENTIALS.map(norm))

/** Whether a field of this name holds a credential (or credentials) wherever it is. */
export function isSecretName(name: string): boolean {
  const n = norm(name)
  return SECRET_NAMES.has(n) || SECRET_PARTS.some((p) => n.includes(p))
}

const MAX_DEPTH = 8
const MAX_STRING = 8_000

/**
 * A JSON-safe copy of a log line's detail with credential fields censored: errors become
 * `{ type, message, stack, code, cause, ...their own fields }`, cycles `[circular]`, bigints
 * strings, deeper than 8 levels `[deep]`. Never throws: a getter that throws gives `[unreadable]`.
 */
export function censor(value: unknown): unknown {
  return walk(value, 0, new WeakSet())
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'function' || typeof value === 'symbol') return undefined
  if (value === null || typeof value !== 'object') return value
  if (seen.has(value)) return '[circular]'
  if (depth >= MAX_DEPTH) return '[deep]'
  seen.add(value)
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`
    if (Array.isArray(value)) return value.slice(0, 200).map((v) => walk(v, depth + 1, seen))
    if (value instanceof Map)
      return walkEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        depth,
        seen,
      )
    if (value instanceof Set) return [...value].slice(0, 200).map((v) => walk(v, depth + 1, seen))
    const entries: [string, unknown][] = []
    if (value instanceof Error) {
      entries.push(['type', value.name], ['message', value.message], ['stack', value.stack])
      if (value.cause !== undefined) entries.push(['cause', value.cause])
    }
    for (const key of Object.keys(value)) entries.push([key, readField(value, key)])
    return walkEntries(entries, depth, seen)
  } catch {
    return '[unreadable]'
  } finally {
    seen.delete(value)
  }
}

function readField(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key]
  } catch {
    return '[unreadable]'
  }
}

function walkEntries(
  entries: [string, unknown][],
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  // An object with an API key or a secret in it is a key set: its uid, login... are credentials.
  const keySet = entries.some(([key]) => isSecretName(key))
  for (const [key, v] of entries) {
    if (isSecretName(key) || (keySet && CREDENTIAL_NAMES.has(norm(key)))) {
      if (v !== undefined && v !== null && v !== '') out[key] = CENSORED
      continue
    }
    const safe = walk(v, depth + 1, seen)
    if (safe !== undefined) out[key] = safe
  }
  return out
}
