import { z } from 'zod'
import { isLoopbackHost } from '../net/loopback'

/**
 * Where an exchange's API may be: the one rule for every command that takes an API URL
 * (`exchange.configure`, `trading.saveAccount`), and for a URL already stored when a connection is
 * opened. API keys and signatures travel to this address, so it must be https, except plain http
 * to this computer (the local simulator, a testnet proxy on loopback), where nothing crosses a
 * network.
 */

/**
 * Why `value` cannot be an exchange's API URL, in a sentence for the trader, or null when it can:
 * https to any host, or http to this computer (`isLoopbackHost`); no user name or password in it,
 * no query or fragment (it is a base that request paths are added to), no spaces, control
 * characters or backslashes (which parsers read differently).
 */
export function apiUrlProblem(value: string): string | null {
  const control = [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  if (control || /[\s\\]/.test(value)) {
    return 'an API URL has no spaces, control characters or backslashes'
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'not a URL: give one like https://api.example.com'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `${url.protocol.replace(/:$/, '')}: URLs are not allowed: an API URL starts with https://`
  }
  if (url.username !== '' || url.password !== '') {
    return 'an API URL must not carry a user name or password (user:pass@); API keys go in their own fields'
  }
  if (url.hostname === '') return 'an API URL names a host'
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) {
    return 'an API URL has no query (?…) or fragment (#…): request paths are added to it'
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return `plain http is only for this computer (localhost, 127.0.0.1, [::1]): use https://${url.host}${url.pathname === '/' ? '' : url.pathname}, so keys and signatures are encrypted on the way`
  }
  return null
}

/** An exchange API URL, checked by `apiUrlProblem`; kept as given. */
export const apiUrlSchema = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const problem = apiUrlProblem(value)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })
  .describe(
    'https://host[:port][/path], or http:// to this computer only (localhost, 127.0.0.0/8, [::1]); no user:pass@, query or fragment',
  )

/**
 * Whether two API URLs (null: the exchange's own) send requests to the same place: compared after
 * the URL parser's normalisation (`HTTP://LOCALHOST` is `http://localhost/`) and without trailing
 * slashes, which the exchange layer drops too.
 */
export function sameApiUrl(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b
  const norm = (s: string): string => {
    try {
      return new URL(s).href.replace(/\/+$/, '')
    } catch {
      return s
    }
  }
  return norm(a) === norm(b)
}
