import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Account } from './accounts'
import { err } from './errors'
import type { Params } from './params'

/** Binance API keys and secrets are 64 alphanumerics; other unknown keys are "format invalid". */
const KEY_FORMAT = /^[A-Za-z0-9]{64}$/
const MAX_RECV_WINDOW = 60_000
const DEFAULT_RECV_WINDOW = 5_000
/** Binance refuses requests stamped more than this far in its future. */
const MAX_AHEAD_MS = 1_000

/** The API key header alone (API_KEY security and the first step of SIGNED). */
export function accountForKey(accounts: ReadonlyMap<string, Account>, apiKey: string | undefined): Account {
  if (!apiKey) throw err.badApiKeyFormat()
  const account = accounts.get(apiKey)
  if (account) return account
  throw KEY_FORMAT.test(apiKey) ? err.rejectedApiKey() : err.badApiKeyFormat()
}

/**
 * The signed payload: query string and body concatenated as sent, without the signature pair
 * (Binance's "totalParams"; no '&' between the two parts).
 */
export function signedPayload(query: string, body: string): string {
  const strip = (s: string) =>
    s
      .split('&')
      .filter((pair) => pair !== '' && !pair.startsWith('signature='))
      .join('&')
  return strip(query) + strip(body)
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex')
}

/**
 * SIGNED (TRADE / USER_DATA) security as Binance applies it: the key (-2014 / -2015), mandatory
 * timestamp and signature (-1102), recvWindow at most 60 s (-1131), HMAC-SHA256 of totalParams
 * with the account's secret (-1022), then timing: a timestamp more than 1 s ahead of the server or
 * older than recvWindow is refused (-1021).
 */
export function authenticateSigned(
  accounts: ReadonlyMap<string, Account>,
  apiKey: string | undefined,
  params: Params,
  rawQuery: string,
  rawBody: string,
  serverTime: number,
): Account {
  const account = accountForKey(accounts, apiKey)
  const timestamp = params.reqInt('timestamp')
  const recvWindow = params.int('recvWindow') ?? DEFAULT_RECV_WINDOW
  if (recvWindow > MAX_RECV_WINDOW) throw err.recvWindowTooLarge()
  const signature = params.str('signature')
  if (signature === undefined) throw err.mandatory('signature')
  const expected = Buffer.from(sign(account.secret, signedPayload(rawQuery, rawBody)), 'utf8')
  const given = Buffer.from(signature.toLowerCase(), 'utf8')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw err.badSignature()
  if (timestamp >= serverTime + MAX_AHEAD_MS) throw err.timestampAhead()
  if (serverTime - timestamp > recvWindow) throw err.timestampOutside()
  return account
}
