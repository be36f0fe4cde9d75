import type { IncomingMessage } from 'node:http'
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/rpc/ws-auth'

/**
 * Where a request may carry the access token: an `Authorization: Bearer` header (scripts, and the
 * page's HTTP probe) or, on a WebSocket upgrade, a subprotocol (`candlework.token.<token>`, the
 * only header a browser lets a page set there). Never the URL (it lands in logs and histories)
 * and never a cookie (browsers send cookies to every port of a host, so every other local web
 * server would receive it).
 */
export function bearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer +([^\s]+) *$/i.exec(req.headers.authorization ?? '')
  return match ? match[1]! : null
}

const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** The subprotocols a WebSocket upgrade offers (none: []), or null when the header is malformed. */
export function offeredProtocols(req: IncomingMessage): string[] | null {
  const header = req.headers['sec-websocket-protocol']
  if (header === undefined) return []
  const names = header.split(',').map((p) => p.trim())
  return names.every((n) => TOKEN_CHARS.test(n)) ? names : null
}

/** The token offered as a subprotocol, if any. */
export function protocolToken(protocols: readonly string[]): string | null {
  const offered = protocols.find((p) => p.startsWith(WS_TOKEN_PREFIX))
  return offered ? offered.slice(WS_TOKEN_PREFIX.length) : null
}

/** The token a WebSocket upgrade presents: the Authorization header first, else the subprotocol. */
export function upgradeToken(req: IncomingMessage, protocols: readonly string[]): string | null {
  return bearerToken(req) ?? protocolToken(protocols)
}

/**
 * What the host answers in `Sec-WebSocket-Protocol`: ours when offered, else nothing. Never the
 * first offered, as `ws` would by default: that could be the token, echoed back.
 */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false
}
