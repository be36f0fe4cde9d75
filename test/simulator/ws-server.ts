import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { BinanceError } from './errors'
import type { UserStreams } from './user-stream'
import type { MarketStreams, StreamSink } from './ws-streams'

/** The websocket side of a running simulator (`sim.ws`). */
export interface WsControl {
  /** Market streams base, Binance's `wss://stream.binance.com:9443/ws` (ccxt's `urls.api.ws.spot`). */
  readonly url: string
  /** WebSocket API, Binance's `wss://ws-api.binance.com:443/ws-api/v3` (ccxt's `urls.api.ws['ws-api'].spot`). */
  readonly apiUrl: string
  /** Cuts every websocket connection now, without a close frame (as a network failure would); returns how many. */
  dropAll(): number
  /** While on, upgrade requests are answered `503 Service Unavailable` instead of switching protocols. */
  refuseUpgrades(on?: boolean): void
  /** Open connections: market streams and WebSocket API. */
  connections(): { streams: number; api: number }
  /** Upgrades accepted and refused since the start. */
  stats(): { accepted: number; refused: number }
  /** User data stream subscriptions in place (of one API key, or all). */
  userSubscriptions(apiKey?: string): number
}

export const STREAM_PATH = '/ws'
export const COMBINED_PATH = '/stream'
export const API_PATH = '/ws-api/v3'

interface Request {
  method?: unknown
  params?: unknown
  id?: unknown
}

const sendJson = (ws: WebSocket, payload: unknown) => {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload))
}

/**
 * Accepts websocket upgrades on the simulator's HTTP server:
 * - `/ws`, `/ws/<anything>` (ccxt.pro appends a stream index; a stream name there is subscribed
 *   at once, as Binance's raw streams) and `/stream?streams=a/b` (events wrapped as
 *   `{ stream, data }`): market streams, with SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS;
 * - `/ws-api/v3`: the WebSocket API subset of the user data stream (user-stream.ts).
 * Anything else is refused with 404.
 */
export class WsServer implements WsControl {
  readonly url: string
  readonly apiUrl: string
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly kinds = new Map<WebSocket, 'streams' | 'api'>()
  private refusing: boolean
  private closed = false
  private accepted = 0
  private refused = 0

  constructor(
    server: Server,
    httpUrl: string,
    private readonly streams: MarketStreams,
    private readonly users: UserStreams,
    opts: { refuse?: boolean } = {},
  ) {
    const base = httpUrl.replace(/^http/, 'ws')
    this.url = base + STREAM_PATH
    this.apiUrl = base + API_PATH
    this.refusing = opts.refuse ?? false
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    )
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = url.pathname
    const kind =
      path === API_PATH
        ? 'api'
        : path === STREAM_PATH || path.startsWith(`${STREAM_PATH}/`) || path === COMBINED_PATH
          ? 'streams'
          : undefined
    if (this.closed || this.refusing || !kind) {
      this.refused++
      const status = kind ? '503 Service Unavailable' : '404 Not Found'
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      socket.destroy()
      return
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.accepted++
      this.kinds.set(ws, kind)
      if (kind === 'api') this.serveApi(ws)
      else this.serveStreams(ws, url)
    })
  }

  private serveApi(ws: WebSocket): void {
    const sink = { send: (payload: unknown) => sendJson(ws, payload) }
    ws.on('message', (data: RawData) => this.users.handle(sink, rawText(data)))
    ws.on('close', () => {
      this.kinds.delete(ws)
      this.users.drop(sink)
    })
    ws.on('error', () => ws.terminate())
  }

  private serveStreams(ws: WebSocket, url: URL): void {
    const combined = url.pathname === COMBINED_PATH
    const sink: StreamSink = {
      send: (stream, data) => sendJson(ws, combined ? { stream, data } : data),
    }
    const initial = combined
      ? (url.searchParams.get('streams') ?? '').split('/')
      : [url.pathname.slice(STREAM_PATH.length + 1)]
    for (const name of initial.filter((n) => n.includes('@'))) {
      try {
        this.streams.subscribe(sink, name)
      } catch {
        // Binance closes such a connection; here the bad name is just not followed.
      }
    }
    ws.on('message', (data: RawData) => sendJson(ws, this.control(sink, rawText(data))))
    ws.on('close', () => {
      this.kinds.delete(ws)
      this.streams.drop(sink)
    })
    ws.on('error', () => ws.terminate())
  }

  /** SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS, answered `{ result, id }` or `{ error, id }`. */
  private control(sink: StreamSink, text: string): unknown {
    let req: Request
    try {
      req = JSON.parse(text) as Request
    } catch {
      return { error: { code: 3, msg: 'Invalid JSON: expected a request object' }, id: null }
    }
    const id = req.id ?? null
    const names = Array.isArray(req.params) ? req.params.map(String) : []
    try {
      switch (req.method) {
        case 'SUBSCRIBE':
          for (const n of names) this.streams.parse(n)
          for (const n of names) this.streams.subscribe(sink, n)
          return { result: null, id }
        case 'UNSUBSCRIBE':
          for (const n of names) this.streams.unsubscribe(sink, n)
          return { result: null, id }
        case 'LIST_SUBSCRIPTIONS':
          return { result: this.streams.list(sink), id }
        default:
          return { error: { code: 2, msg: `Invalid request: unknown method ${String(req.method)}` }, id }
      }
    } catch (e) {
      const known = e instanceof BinanceError ? e : new BinanceError(2, 'Invalid request')
      return { error: { code: known.code, msg: known.msg }, id }
    }
  }

  dropAll(): number {
    const all = [...this.kinds.keys()]
    for (const ws of all) ws.terminate()
    return all.length
  }

  refuseUpgrades(on = true): void {
    this.refusing = on
  }

  connections(): { streams: number; api: number } {
    const kinds = [...this.kinds.values()]
    return {
      streams: kinds.filter((k) => k === 'streams').length,
      api: kinds.filter((k) => k === 'api').length,
    }
  }

  stats(): { accepted: number; refused: number } {
    return { accepted: this.accepted, refused: this.refused }
  }

  userSubscriptions(apiKey?: string): number {
    return this.users.subscribers(apiKey)
  }

  close(): void {
    this.closed = true
    this.dropAll()
    this.wss.close()
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8')
}
