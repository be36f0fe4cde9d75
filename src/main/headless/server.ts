import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { Engine } from '../engine'
import { APP_VERSION } from '../engine'
import { serveStatic } from './static-files'
import { tokenMatches } from './token'
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
}

export interface HeadlessHost {
  /** Base URL without the token. */
  readonly url: string
  /** The URL to open: carries the token. */
  readonly appUrl: string
  close(): Promise<void>
}

const TOKEN_COOKIE = 'candlework_token'

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
}

/**
 * The headless host: the built renderer over HTTP and the contract over a WebSocket, on
 * loopback by default. Everything but `/healthz` needs the token (query `?token=`, an
 * `Authorization: Bearer` header, or the cookie set when the page was opened with it).
 */
export async function startHeadlessHost(options: HostOptions): Promise<HeadlessHost> {
  const { engine, token, staticDir } = options
  const startedAt = Date.now()
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 })
  let peers = 0

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname === '/healthz') {
      json(res, 200, { status: 'ok', version: APP_VERSION, uptimeMs: Date.now() - startedAt })
      return
    }
    const given = presentedToken(req, url)
    if (!tokenMatches(token, given)) {
      json(res, 401, { error: 'A valid access token is required: open the URL the host printed.' })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { error: 'Method not allowed' })
      return
    }
    res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v)
    if (!serveStatic(staticDir, url.pathname, res)) {
      // Client-side routes fall back to the app shell.
      if (extensionless(url.pathname) && serveStatic(staticDir, '/', res)) return
      json(res, 404, { error: `Not found: ${url.pathname}` })
    }
  })

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== '/ws' || !tokenMatches(token, presentedToken(req, url))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    if (!sameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      serveWebSocket(ws, engine.registry, `ws#${++peers}`, { heartbeatMs: options.heartbeatMs })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 5170, options.host ?? '127.0.0.1', () => resolve())
  })
  const addr = server.address() as AddressInfo
  const hostName = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
  const base = `http://${hostName}:${addr.port}`
  return {
    url: base,
    appUrl: `${base}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function presentedToken(req: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return fromQuery
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7)
  const cookie = req.headers.cookie ?? ''
  const match = cookie.split(/;\s*/).find((c) => c.startsWith(`${TOKEN_COOKIE}=`))
  return match ? match.slice(TOKEN_COOKIE.length + 1) : null
}

/** A browser page from another site must not drive the engine, even if it learnt the port. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (!origin) return true // scripts and tools (no browser) send no Origin
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

function extensionless(path: string): boolean {
  return !/\.[a-z0-9]+$/i.test(path)
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify(body))
}
