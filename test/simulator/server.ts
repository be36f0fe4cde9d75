/**
 * The loopback Binance spot exchange: `startSimulator()` serves the /api/v3 REST subset ccxt's
 * `binance` class uses on 127.0.0.1 (an ephemeral port by default), with real HMAC-SHA256 request
 * signing, Binance's error codes and JSON shapes, a seeded synthetic market, a matching engine,
 * fault injection and per-request timing. Point ccxt at it with `binanceClientFor` (ccxt-client.ts).
 *
 * Every response carries `X-Sim-Time-Us` (time from arrival to response inside the simulator,
 * injected delays included) and `X-Sim-Work-Us` (processing only), and the same numbers are in
 * the request log (`sim.state.requests()`, `sim.stats()`), so a benchmark can subtract them.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BalanceInit } from './accounts'
import { accountForKey, authenticateSigned } from './auth'
import { unitsToNumber } from './decimal'
import { BinanceError, err } from './errors'
import { FaultController, type Fault, type FaultSpec, type KindInfo } from './faults'
import { MarketData } from './market-data'
import { DEFAULT_MARKETS, type MarketSpec } from './markets'
import { Engine, type EngineOptions } from './matching'
import { Params } from './params'
import { RequestLog, type RequestRecord, type TimingSummary } from './request-log'
import type { Route } from './route'
import { privateRoutes } from './routes-private'
import { publicRoutes } from './routes-public'
import { SimulatorState } from './state'
import { UserStreams } from './user-stream'
import { WsServer, type WsControl } from './ws-server'
import { MarketStreams } from './ws-streams'

export interface SimulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number
  /** Interface to bind; loopback only by default. */
  host?: string
  /** Seeds the price path, book, tape, ids and fault rolls (default 1). */
  seed?: number
  /** Probabilistic faults (a FaultSpec or the grammar documented in faults.ts). */
  faults?: FaultSpec | string
  /** Credentials the default account accepts; random 64-character ones when omitted. */
  apiKey?: string
  secret?: string
  /** Starting balances of the default account. */
  balances?: BalanceInit
  markets?: readonly MarketSpec[]
  /** Candles and trades exist from this time on (default 2017-08-17, BTCUSDT's listing). */
  listedAt?: number
  /** Maker and taker fee (default 0.001, Binance's base tier). */
  feeRate?: number
  clientOrderIdReuse?: EngineOptions['clientOrderIdReuse']
  /** Resting limit orders fill all at once (default) or a fraction per matching pass. */
  limitFills?: 'full' | { mode: 'partial'; fraction: number }
  /** Matching passes run at multiples of this (default 1000 ms). */
  matchEveryMs?: number
  /**
   * Resting orders match as time passes (on a timer and when requests arrive; default true).
   * False: they match only when a test calls `sim.market.tick()`.
   */
  autoMatch?: boolean
  /** Server clock offset from the wall clock (tests of -1021). */
  clockSkewMs?: number
  /** Enforce a REQUEST_WEIGHT limit per minute with real 429s (default: no limit). */
  weightLimitPerMinute?: number
  /** Request log records kept (default 20000). */
  logLimit?: number
  /**
   * The websocket endpoint (ws-server.ts): `refuse` answers every upgrade with 503 from the start
   * (`sim.ws.refuseUpgrades()` switches it later); `tickMs` paces the market streams (default 100).
   */
  websocket?: { refuse?: boolean; tickMs?: number }
}

export interface MarketControl {
  price(symbol: string): number
  /** Moves the price now; `freeze` pins it (and the book) there until `unfreeze`. */
  setPrice(symbol: string, price: number, opts?: { freeze?: boolean }): void
  unfreeze(symbol: string): void
  /** Runs a matching pass right now (after moving the price, to fill what it reached). */
  tick(): void
  book(symbol: string, depth?: number): { bids: Array<[number, number]>; asks: Array<[number, number]> }
  /** The book as it was (or is) at simulator time `t`. */
  bookAt(
    symbol: string,
    t: number,
    depth?: number,
  ): { bids: Array<[number, number]>; asks: Array<[number, number]> }
}

export interface SimClock {
  now(): number
  readonly skewMs: number
  setSkew(ms: number): void
}

export interface Simulator {
  url: string
  /** The market streams' websocket base (`ws://…/ws`); `ws.apiUrl` is the WebSocket API. */
  wsUrl: string
  ws: WsControl
  port: number
  apiKey: string
  secret: string
  seed: number
  state: SimulatorState
  market: MarketControl
  faults: FaultController
  clock: SimClock
  /** Time spent inside the simulator over the logged requests (all kinds, or one kind). */
  stats(kind?: string): { sim: TimingSummary; work: TimingSummary }
  /** Resolves when no request is in flight (held timeouts included). */
  settled(): Promise<void>
  close(): Promise<void>
}

export const DEFAULT_BALANCES: BalanceInit = { USDT: 100_000, BTC: 1, ETH: 10, SOL: 100, LTC: 100 }
const DEFAULT_LISTED_AT = Date.UTC(2017, 7, 17)
const ORDER_KINDS = [
  'createOrder',
  'getOrder',
  'cancelOrder',
  'cancelAll',
  'cancelReplace',
  'testOrder',
  'createOrderList',
  'cancelOrderList',
  'getOrderList',
]
const MAX_BODY = 1 << 20
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** 64 alphanumerics, the shape of Binance API keys and secrets. */
export function randomCredential(): string {
  return [...randomBytes(64)].map((b) => ALNUM[b % ALNUM.length]).join('')
}

const ROUTES: Record<string, Route> = { ...publicRoutes, ...privateRoutes }

function kindInfo(route: Route | undefined): KindInfo {
  if (!route) return { kind: 'unknown', groups: [] }
  const groups = [route.security === 'NONE' ? 'public' : 'private']
  if (ORDER_KINDS.includes(route.kind)) groups.push('order')
  return { kind: route.kind, groups }
}

interface Outcome {
  status: number
  json?: unknown
  text?: string
  code?: number
  headers?: Record<string, string>
  apiKey?: string
  params?: Params
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) reject(new Error('body too large'))
      else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

const gatewayPage = (status: number, text: string) =>
  `<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center></body></html>`
const GATEWAY_TEXT: Record<string, string> = {
  '500': 'Internal Server Error',
  '502': 'Bad Gateway',
  '503': 'Service Unavailable',
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 1
  const apiKey = opts.apiKey ?? randomCredential()
  const secret = opts.secret ?? randomCredential()
  let skewMs = opts.clockSkewMs ?? 0
  const clock: SimClock = {
    now: () => Date.now() + skewMs,
    get skewMs() {
      return skewMs
    },
    setSkew(ms: number) {
      skewMs = ms
    },
  }
  const data = new MarketData(opts.markets ?? DEFAULT_MARKETS, seed, opts.listedAt ?? DEFAULT_LISTED_AT)
  const limitFills =
    opts.limitFills === undefined || opts.limitFills === 'full'
      ? { mode: 'full' as const, fraction: 1 }
      : opts.limitFills
  if (!(limitFills.fraction > 0 && limitFills.fraction <= 1)) {
    throw new Error(`limitFills.fraction must be in (0, 1], got ${limitFills.fraction}`)
  }
  const engine = new Engine(
    data,
    {
      feeBps: Math.round((opts.feeRate ?? 0.001) * 10_000),
      clientOrderIdReuse: opts.clientOrderIdReuse ?? 'never',
      limitFills,
      matchEveryMs: opts.matchEveryMs ?? 1_000,
      timeDriven: opts.autoMatch !== false,
    },
    seed,
    clock.now(),
  )
  engine.addAccount(apiKey, secret, opts.balances ?? DEFAULT_BALANCES, clock.now())
  const faults = new FaultController(seed, opts.faults)
  const initialFaults = opts.faults
  const log = new RequestLog(opts.logLimit)
  const weights = new Map<number, number>()
  const closing = new AbortController()
  const inflight = new Set<Promise<void>>()

  const state = new SimulatorState(
    engine,
    log,
    data,
    apiKey,
    clock.now,
    () => ({ apiKey: randomCredential(), secret: randomCredential() }),
    () => {
      faults.clear()
      if (initialFaults !== undefined) faults.set(initialFaults)
      weights.clear()
    },
  )

  /** REQUEST_WEIGHT used in the current minute, with an optional hard limit (real 429s). */
  function useWeight(now: number, w: number): { used: number; retryAfterS?: number } {
    const minute = Math.floor(now / 60_000)
    const used = (weights.get(minute) ?? 0) + w
    if (opts.weightLimitPerMinute !== undefined && used > opts.weightLimitPerMinute) {
      return { used: used - w, retryAfterS: Math.ceil(((minute + 1) * 60_000 - now) / 1_000) }
    }
    weights.clear()
    weights.set(minute, used)
    return { used }
  }

  /**
   * One run of the endpoint: parse, authenticate, rate-limit, handle; errors become answers.
   * Timestamps are checked against `arrivedAt`, the time the request reached the simulator, so
   * injected delays (a held timeout-exec) never turn into -1021 on their own.
   */
  function execute(
    route: Route | undefined,
    req: IncomingMessage,
    query: string,
    body: string,
    arrivedAt: number,
    fault?: Fault,
  ): Outcome {
    const now = clock.now()
    let params: Params | undefined
    const header = req.headers['x-mbx-apikey']
    const key = Array.isArray(header) ? header[0] : header
    try {
      if (!route) return { status: 404, text: gatewayPage(404, 'Not Found') }
      params = Params.parse(query, body, route.repeated)
      const weight = useWeight(now, route.weight(params))
      const weightHeaders = {
        'x-mbx-used-weight': String(weight.used),
        'x-mbx-used-weight-1m': String(weight.used),
      }
      if (weight.retryAfterS !== undefined) {
        const e = err.tooManyRequests(opts.weightLimitPerMinute ?? 0)
        return {
          status: 429,
          json: e.body(),
          code: e.code,
          params,
          headers: { ...weightHeaders, 'Retry-After': String(weight.retryAfterS) },
        }
      }
      engine.catchUp(now)
      const account =
        route.security === 'SIGNED'
          ? authenticateSigned(engine.accounts, key, params, query, body, arrivedAt)
          : route.security === 'API_KEY'
            ? accountForKey(engine.accounts, key)
            : undefined
      const json = route.handle({
        params,
        now,
        engine,
        data,
        ...(account ? { account } : {}),
        ...(fault?.kind === 'partial' ? { partialFraction: fault.fraction } : {}),
      })
      return {
        status: 200,
        json,
        params,
        headers: weightHeaders,
        ...(key !== undefined ? { apiKey: key } : {}),
      }
    } catch (e) {
      const known = e instanceof BinanceError ? e : undefined
      if (!known) console.error('[simulator] internal error', e)
      const answer = known ?? err.unknown()
      return {
        status: answer.httpStatus,
        json: answer.body(),
        code: answer.code,
        ...(params ? { params } : {}),
        ...(key !== undefined ? { apiKey: key } : {}),
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = process.hrtime.bigint()
    const at = clock.now()
    const method = req.method ?? 'GET'
    const rawUrl = req.url ?? '/'
    const q = rawUrl.indexOf('?')
    const path = q >= 0 ? rawUrl.slice(0, q) : rawUrl
    const query = q >= 0 ? rawUrl.slice(q + 1) : ''
    let body: string
    try {
      body = await readBody(req)
    } catch {
      req.socket.destroy()
      return
    }
    const route = ROUTES[`${method} ${path}`]
    const info = kindInfo(route)
    const decision = faults.decide(info)
    const runs: RequestRecord['runs'] = []
    let workNs = 0n
    let first: Outcome | undefined
    const run = (): Outcome => {
      const w0 = process.hrtime.bigint()
      const out = execute(route, req, query, body, at, decision.fault)
      workNs += process.hrtime.bigint() - w0
      runs.push(out.code !== undefined ? { status: out.status, code: out.code } : { status: out.status })
      first ??= out
      return out
    }

    await sleep(decision.latencyMs, closing.signal)
    const f = decision.fault
    let answer: Outcome | undefined
    let drop = false
    switch (f?.kind) {
      case undefined:
      case 'partial':
        answer = run()
        break
      case 'duplicate':
        answer = run()
        run()
        break
      case '429':
      case '418': {
        const e =
          f.kind === '429' ? err.tooManyRequests(6000) : err.ipBanned(clock.now() + f.retryAfterS * 1_000)
        answer = {
          status: Number(f.kind),
          json: e.body(),
          code: e.code,
          headers: { 'Retry-After': String(f.retryAfterS) },
        }
        break
      }
      case '500':
      case '502':
      case '503':
        answer = {
          status: Number(f.kind),
          text: gatewayPage(Number(f.kind), GATEWAY_TEXT[f.kind] ?? 'Error'),
        }
        break
      case 'reset':
        drop = true
        break
      case 'drop-after-accept':
        run()
        drop = true
        break
      case 'timeout':
        await sleep(f.holdMs, closing.signal)
        drop = true
        break
      case 'timeout-exec':
        await sleep(f.holdMs, closing.signal)
        if (closing.signal.aborted) drop = true
        else answer = run()
        break
    }

    const payload = answer
      ? answer.json !== undefined
        ? JSON.stringify(answer.json)
        : (answer.text ?? '')
      : ''
    const simTimeUs = Number((process.hrtime.bigint() - t0) / 1_000n)
    const workUs = Number(workNs / 1_000n)
    if (drop || !answer || closing.signal.aborted) {
      req.socket.destroy()
    } else if (!res.destroyed && !req.socket.destroyed) {
      res.writeHead(answer.status, {
        'Content-Type': answer.json !== undefined ? 'application/json;charset=UTF-8' : 'text/html',
        'Content-Length': Buffer.byteLength(payload),
        'X-Sim-Time-Us': String(simTimeUs),
        'X-Sim-Work-Us': String(workUs),
        ...answer.headers,
      })
      res.end(payload)
    }
    const params = first?.params ?? answer?.params
    const code = answer?.code ?? first?.code
    log.add({
      at,
      method,
      path,
      kind: info.kind,
      params: params?.entries() ?? Object.fromEntries(new URLSearchParams(query + (body ? `&${body}` : ''))),
      unread: params?.unread() ?? [],
      ...(first?.apiKey !== undefined ? { apiKey: first.apiKey } : {}),
      ...(f ? { fault: f.kind } : {}),
      ...(answer && !drop ? { status: answer.status } : {}),
      ...(code !== undefined ? { code } : {}),
      runs,
      outcome: f && f.kind !== 'partial' ? 'faulted' : (answer?.status ?? 500) < 400 ? 'ok' : 'error',
      simTimeUs,
      workUs,
    })
  }

  const server = createServer((req, res) => {
    const p: Promise<void> = handle(req, res)
      .catch((e: unknown) => {
        console.error('[simulator] request failed', e)
        req.socket.destroy()
      })
      .finally(() => inflight.delete(p))
    inflight.add(p)
  })
  // Long keep-alive so a client never reuses a socket the server is just closing (which would
  // look like an injected connection reset).
  server.keepAliveTimeout = 60_000
  server.headersTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`

  const streams = new MarketStreams(data, clock.now, opts.websocket?.tickMs)
  const users = new UserStreams(engine, data, clock.now)
  const ws = new WsServer(server, url, streams, users, opts.websocket)

  const timer =
    opts.autoMatch === false
      ? undefined
      : setInterval(() => engine.catchUp(clock.now()), engine.opts.matchEveryMs)
  timer?.unref()

  const market: MarketControl = {
    price: (symbol) => data.price(symbol, clock.now()),
    setPrice(symbol, price, o = {}) {
      const now = clock.now()
      engine.catchUp(now)
      data.source(symbol).setPrice(now, price, o.freeze ?? false)
    },
    unfreeze: (symbol) => data.source(symbol).unfreeze(clock.now()),
    tick: () => engine.tick(clock.now()),
    book(symbol, depth = 5) {
      return market.bookAt(symbol, clock.now(), depth)
    },
    bookAt(symbol, t, depth = 5) {
      const b = data.book(symbol, t, depth)
      const row = (l: { price: bigint; qty: bigint }): [number, number] => [
        unitsToNumber(l.price),
        unitsToNumber(l.qty),
      ]
      return { bids: b.bids.map(row), asks: b.asks.map(row) }
    },
  }

  async function settled(): Promise<void> {
    while (inflight.size > 0) await Promise.allSettled([...inflight])
  }

  let closed: Promise<void> | undefined
  return {
    url,
    wsUrl: ws.url,
    ws,
    port,
    apiKey,
    secret,
    seed,
    state,
    market,
    faults,
    clock,
    stats: (kind) => log.timing(kind),
    settled,
    close() {
      closed ??= (async () => {
        if (timer) clearInterval(timer)
        closing.abort()
        ws.close()
        streams.close()
        users.close()
        const done = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeAllConnections()
        await settled()
        await done
      })()
      return closed
    },
  }
}
