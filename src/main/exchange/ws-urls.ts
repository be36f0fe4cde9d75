/**
 * The websocket URLs of a ccxt.pro exchange (`urls.api.ws`, a string or a nested object of them)
 * moved to the host of a custom API URL, each keeping its path: with `http://127.0.0.1:5000`,
 * Binance's `wss://stream.binance.com:9443/ws` becomes `ws://127.0.0.1:5000/ws` and
 * `wss://ws-api.binance.com:443/ws-api/v3` becomes `ws://127.0.0.1:5000/ws-api/v3` (http -> ws,
 * https -> wss; a path on the override goes in front, as for REST in `overrideApiUrls`). A testnet
 * or a simulator that serves the exchange's REST paths is expected to serve its websocket paths
 * on the same host.
 *
 * Null when that cannot be derived: the override is not http(s), the exchange keeps no websocket
 * URLs under `urls.api.ws` (bitopro, for one, has them elsewhere), or one of them is not a ws(s)
 * URL with a plain path (a template in the path, something ccxt builds at connect time), so some
 * feed would still go to the real exchange.
 */
export function overrideWsUrls(ws: unknown, override: string): unknown {
  let base: URL
  try {
    base = new URL(override)
  } catch {
    return null
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return null
  const origin = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}`
  const prefix = base.pathname.replace(/\/+$/, '')
  let ok = true
  let count = 0
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const m = /^wss?:\/\/[^/?#]+(.*)$/.exec(value)
      // A `{hostname}` template in the host goes with the host; one in the path cannot be moved.
      if (!m || (m[1] ?? '').includes('{')) ok = false
      count++
      return `${origin}${prefix}${m?.[1] ?? ''}`
    }
    if (Array.isArray(value)) return value.map(visit)
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, visit(v)]),
      )
    }
    ok = false
    return value
  }
  const out = visit(ws)
  return ok && count > 0 ? out : null
}
