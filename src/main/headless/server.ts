import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  AUTH_CHECK_PATH,
  TOKEN_CHANGED_CLOSE_CODE,
  TOKEN_CHANGED_CLOSE_REASON,
  WS_PROTOCOL,
} from '../../shared/rpc/ws-auth'
import type { Engine } from '../engine'
import { openCheckOf } from '../storage/database'
import { EXPORT_PATH, serveExportDownload } from './export-download'
import { DRIFT_EXPORT_PATH, serveDriftDownload } from './drift-download'
import { bearerToken, offeredProtocols, protocolToken, selectProtocol, upgradeToken } from './credentials'
import { isLoopbackHost } from '../../shared/net/loopback'
import { serveMetrics } from './metrics'
import { registryForPeer } from './peer-registry'
import { reply, replyOnSocket } from './responses'
import { securityHeaders } from './security-headers'
import { asHostName, hostAllowed, originAllowed, siteFor, wsOrigins, type Site } from './site'
import { serveStatic } from './static-files'
import { tokenMatches } from './token'
import { watchToken } from './token-watch'
import { serveWebSocket } from './ws-transport'

export interface HostOptions {
  engine: Engine
  token: string
  /** The built renderer (out/renderer). */
  staticDir: string
  port?: number
  host?: string
  /** How often each browser hears the host is alive (default HEARTBEAT_MS; short in tests). */
  heartbeatMs?: number
  /** Serve HTTPS and WSS with this certificate and key (PEM) instead of HTTP and WS. */
  tls?: { cert: string | Buffer; key: string | Buffer }
  /**
   * Follow the token file in the engine's data folder (default true): when `new-token` replaces
   * it, switch to the new token and close every connection that used the old one.
   */
  watchTokenFile?: boolean
  /** Called after the token changed, with the new URL to open. */
  onTokenChanged?(appUrl: string): void
}

export interface HeadlessHost {
  /** Base URL without the token. */
  readonly url: string
  /** The URL to open: the token in its fragment, which a browser never sends to any server. */
  readonly appUrl: string
  /** Accepts only `token` from now on; every socket opened with another is closed (4001). */
  setToken(token: string): void
  close(): Promise<void>
}

/*
 * Limits against clients that hold connections open: headers must arrive within 10 s and a
 * whole request within 30 s (checked every second, not every 30 s as by default); an idle
 * keep-alive connection goes after 5 s. Headers over 16 KiB are answered 431. Node's own 400 for
 * a missing Host is turned off so that answer, like every other, carries our headers (421).
 */
const HTTP_OPTIONS = {
  maxHeaderSize: 16 * 1024,
  requireHostHeader: false,
  connectionsCheckingInterval: 1_000,
}
const HEADERS_TIMEOUT_MS = 10_000
const REQUEST_TIMEOUT_MS = 30_000
const KEEP_ALIVE_TIMEOUT_MS = 5_000

/**
 * The headless host: the built renderer over HTTP and the contract over a WebSocket, on
 * loopback by default.
 *
 * - Static files hold no secret and need no token; the page takes the token from the URL
 *   fragment the host prints. Every command and stream goes over `/ws`, which needs the token as
 *   a subprotocol or an `Authorization: Bearer` header (see credentials.ts); `/auth-check` tells
 *   a page whether its token is still good. No cookie is ever set.
 * - Every request must name this host in its Host header (421 otherwise: DNS rebinding), and a
 *   request from a browser page must come from this host's own origin (403).
 * - `/healthz` says only whether the host is healthy.
 * - `/export/<kind>.csv` streams an export as a download; like `/ws` it needs the token, as an
 *   `Authorization: Bearer` header (the page fetches it and saves the stream; export-download.ts);
 *   `/export/drift.csv?run=ID` is a strategy run's drift report (drift-download.ts), the same way.
 * - Every answer, refusals included, carries the security headers.
 */
export async function startHeadlessHost(options: HostOptions): Promise<HeadlessHost> {
  const { engine, staticDir } = options
  let token = options.token
  let closing = false
  let peers = 0
  /** Each open socket and the token it was opened with, to close them when the token changes. */
  const sockets = new Map<WebSocket, string>()
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20, handleProtocols: selectProtocol })
  // Set once listening, before any request can arrive.
  let site: Site | undefined
  let headers: Readonly<Record<string, string>> = securityHeaders([])

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
    if (!site || !hostAllowed(site, req.headers.host)) {
      reply(res, 421, { error: 'Misdirected request: this host answers only to its own address.' })
      return
    }
    if (req.headers.origin !== undefined && !originAllowed(site, req.headers.origin)) {
      reply(res, 403, { error: 'Requests from other sites are refused.' })
      return
    }
    const path = pathOf(req.url)
    if (path === null) {
      reply(res, 400, { error: 'Bad request target.' })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      reply(res, 405, { error: 'Method not allowed.' })
      return
    }
    if (path === '/healthz') {
      // Critical: the engine closing or its database closed or found damaged (docs/BACKUP.md "Health").
      const healthy = !closing && engine.db.open && openCheckOf(engine.db)?.result !== 'damaged'
      reply(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'unavailable' })
      return
    }
    if (path === '/metrics') {
      if (!tokenMatches(token, bearerToken(req))) {
        reply(res, 401, { error: 'A valid access token is required.' })
        return
      }
      void serveMetrics(engine, res)
      return
    }
    if (path === AUTH_CHECK_PATH) {
      if (tokenMatches(token, bearerToken(req))) reply(res, 204)
      else reply(res, 401, { error: 'A valid access token is required: open the URL the host printed.' })
      return
    }
    const exportKind = EXPORT_PATH.exec(path)?.[1] as 'trades' | 'fills' | 'orders' | 'alerts' | undefined
    if (exportKind) {
      // A download carries the trader's data: the token is required, as on the WebSocket.
      if (!tokenMatches(token, bearerToken(req))) {
        reply(res, 401, { error: 'A valid access token is required, as `Authorization: Bearer TOKEN`.' })
        return
      }
      serveExportDownload(engine.db, exportKind, new URL(req.url!, 'http://host'), req, res).catch(
        (err: unknown) => {
          engine.log.error('headless host: an export download failed', { err })
          if (!res.headersSent) reply(res, 500, { error: 'The export failed.' })
          else res.destroy()
        },
      )
      return
    }
    if (path === DRIFT_EXPORT_PATH) {
      if (!tokenMatches(token, bearerToken(req))) {
        reply(res, 401, { error: 'A valid access token is required, as `Authorization: Bearer TOKEN`.' })
        return
      }
      serveDriftDownload(engine.registry, new URL(req.url!, 'http://host'), req, res).catch(
        (err: unknown) => {
          engine.log.error('headless host: a drift report download failed', { err })
          if (!res.headersSent) reply(res, 500, { error: 'The export failed.' })
          else res.destroy()
        },
      )
      return
    }
    if (path === '/ws') {
      res.setHeader('Upgrade', 'websocket')
      reply(res, 426, { error: 'Connect with a WebSocket.' })
      return
    }
    const served = serveStatic(staticDir, path, req.method, res)
    if (served === 'served') return
    if (served === 'bad-path') {
      reply(res, 400, { error: 'Bad path.' })
      return
    }
    // Client-side routes fall back to the app shell.
    if (extensionless(path) && serveStatic(staticDir, '/', req.method, res) === 'served') return
    reply(res, 404, { error: 'Not found.' })
  }

  const server = options.tls
    ? createHttpsServer({ ...HTTP_OPTIONS, cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createHttpServer(HTTP_OPTIONS, onRequest)
  server.headersTimeout = HEADERS_TIMEOUT_MS
  server.requestTimeout = REQUEST_TIMEOUT_MS
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS

  // A request Node cannot parse (bad syntax, 431-size headers, too slow) is answered and closed.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET') {
      socket.destroy()
      return
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
    replyOnSocket(socket, status, 'Bad request.', headers)
  })
  // `Expect:` values other than 100-continue: Node's own 417 would lack our headers.
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
    reply(res, 417, { error: 'Expectation failed.' })
  })
  // The 101 that accepts a WebSocket carries them too.
  wss.on('headers', (lines: string[]) => {
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`)
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the raw socket over without an error listener: a reset mid-handshake must not
    // become an uncaught exception.
    socket.on('error', () => socket.destroy())
    const refuse = (status: number, message: string): void => replyOnSocket(socket, status, message, headers)
    if (closing) return refuse(503, 'The host is shutting down.')
    if (!site || !hostAllowed(site, req.headers.host)) {
      return refuse(421, 'Misdirected request: this host answers only to its own address.')
    }
    if (pathOf(req.url) !== '/ws') return refuse(404, 'Not found.')
    if (!isWebSocketHandshake(req)) return refuse(400, 'Not a WebSocket handshake.')
    // A browser always sends Origin: only pages this host served may drive the engine.
    if (req.headers.origin !== undefined && !originAllowed(site, req.headers.origin)) {
      return refuse(403, 'WebSocket connections from other sites are refused.')
    }
    const protocols = offeredProtocols(req)
    if (protocols === null) return refuse(400, 'Malformed Sec-WebSocket-Protocol header.')
    const used = token
    if (!tokenMatches(used, upgradeToken(req, protocols))) {
      return refuse(
        401,
        'A valid access token is required, as `Authorization: Bearer TOKEN` or the subprotocol ' +
          '`candlework.token.TOKEN` (never in the URL).',
      )
    }
    if (protocolToken(protocols) !== null && !protocols.includes(WS_PROTOCOL)) {
      return refuse(400, `Offer the ${WS_PROTOCOL} subprotocol along with the token.`)
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate()) // bad frames: ws closes the socket; nothing to throw
      if (used !== token) {
        // The token changed while this handshake was under way.
        ws.close(TOKEN_CHANGED_CLOSE_CODE, TOKEN_CHANGED_CLOSE_REASON)
        return
      }
      sockets.set(ws, used)
      ws.once('close', () => sockets.delete(ws))
      const loopback = isLoopbackHost(req.socket.remoteAddress ?? '')
      serveWebSocket(ws, registryForPeer(engine.registry, { loopback }), `ws#${++peers}`, {
        heartbeatMs: options.heartbeatMs,
      })
    })
  })

  const requestedHost = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 5170, requestedHost, () => {
      server.off('error', reject)
      const addr = server.address() as AddressInfo
      site = siteFor({
        scheme: options.tls ? 'https' : 'http',
        port: addr.port,
        requestedHost,
        boundAddress: addr.address,
      })
      headers = securityHeaders(wsOrigins(site))
      resolve()
    })
  })
  // After start-up (say, no file descriptors left to accept with): said, not fatal.
  server.on('error', (err) => engine.log.error('headless host: server error', err))

  const addr = server.address() as AddressInfo
  const base = `${options.tls ? 'https' : 'http'}://${asHostName(addr.address)}:${addr.port}`
  const appUrl = (): string => `${base}/#token=${token}`

  const setToken = (next: string): void => {
    if (next === token) return
    token = next
    for (const [ws, used] of sockets) {
      if (used !== next) ws.close(TOKEN_CHANGED_CLOSE_CODE, TOKEN_CHANGED_CLOSE_REASON)
    }
    options.onTokenChanged?.(appUrl())
  }
  const stopWatching =
    options.watchTokenFile === false ? () => {} : watchToken(engine.dataDir, token, setToken)

  return {
    url: base,
    get appUrl() {
      return appUrl()
    },
    setToken,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true
        stopWatching()
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The path of an origin-form request target (`/a/b?q`), or null for anything else. */
function pathOf(target: string | undefined): string | null {
  if (!target?.startsWith('/')) return null
  const end = target.search(/[?#]/)
  return end === -1 ? target : target.slice(0, end)
}

/** Checked before `ws` sees the request, so that every refusal carries our headers. */
function isWebSocketHandshake(req: IncomingMessage): boolean {
  const version = req.headers['sec-websocket-version']
  return (
    req.method === 'GET' &&
    req.headers.upgrade?.toLowerCase() === 'websocket' &&
    /^[+/0-9A-Za-z]{22}==$/.test(req.headers['sec-websocket-key'] ?? '') &&
    (version === '13' || version === '8')
  )
}

function extensionless(path: string): boolean {
  return !/\.[a-z0-9]+$/i.test(path)
}
