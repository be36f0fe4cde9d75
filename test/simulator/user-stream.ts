import { authenticateSigned } from './auth'
import { formatUnits } from './decimal'
import { BinanceError, err } from './errors'
import type { MarketData } from './market-data'
import type { Engine, OrderEvent } from './matching'
import { Params } from './params'

/** A WebSocket API connection, as the user data stream sees it. */
export interface ApiSink {
  send(payload: unknown): void
}

interface Request {
  id?: unknown
  method?: unknown
  params?: unknown
}

interface UserSub {
  sink: ApiSink
  apiKey: string
  subscriptionId: number
}

const RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2 },
]

/** The signed payload of a WebSocket API request: every param but the signature, sorted, as a query string. */
export function wsSignedPayload(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&')
}

/**
 * The user data stream the way ccxt.pro's binance class uses it for spot: over the WebSocket API
 * (`/ws-api/v3`), `userDataStream.subscribe.signature` with HMAC-signed params (apiKey, timestamp,
 * recvWindow, signature; the same key, signature and timestamp checks as signed REST), then
 * `{ subscriptionId, event }` messages: an executionReport for every order event of the matching
 * engine and an outboundAccountPosition with the balances of the assets it changed.
 * Also answers `userDataStream.unsubscribe`, `session.subscriptions`, `ping` and `time`.
 */
export class UserStreams {
  private readonly subs = new Set<UserSub>()
  private readonly nextId = new Map<ApiSink, number>()
  private readonly dirty = new Map<string, Set<string>>()
  private readonly unlisten: () => void

  constructor(
    private readonly engine: Engine,
    private readonly data: MarketData,
    private readonly now: () => number,
  ) {
    this.unlisten = engine.onOrderEvent((e) => this.onOrderEvent(e))
  }

  handle(sink: ApiSink, text: string): void {
    let req: Request
    try {
      req = JSON.parse(text) as Request
    } catch {
      sink.send({ id: null, status: 400, error: { code: -1000, msg: 'Malformed request.' } })
      return
    }
    const id = req.id ?? null
    try {
      const result = this.run(sink, req)
      sink.send({ id, status: 200, result, rateLimits: RATE_LIMITS })
    } catch (e) {
      const known = e instanceof BinanceError ? e : err.unknown()
      sink.send({ id, status: known.httpStatus, error: known.body() })
    }
  }

  private run(sink: ApiSink, req: Request): unknown {
    const params = (req.params ?? {}) as Record<string, unknown>
    switch (req.method) {
      case 'ping':
        return {}
      case 'time':
        return { serverTime: this.now() }
      case 'userDataStream.subscribe.signature': {
        const arrivedAt = this.now()
        const map = new Map(Object.entries(params).map(([k, v]) => [k, String(v)]))
        const apiKey = map.get('apiKey')
        const account = authenticateSigned(
          this.engine.accounts,
          apiKey,
          new Params(map),
          wsSignedPayload(params),
          '',
          arrivedAt,
        )
        const subscriptionId = this.nextId.get(sink) ?? 0
        this.nextId.set(sink, subscriptionId + 1)
        this.subs.add({ sink, apiKey: account.apiKey, subscriptionId })
        return { subscriptionId }
      }
      case 'userDataStream.unsubscribe': {
        const only = params['subscriptionId']
        for (const s of this.subs)
          if (s.sink === sink && (only === undefined || s.subscriptionId === Number(only)))
            this.subs.delete(s)
        return {}
      }
      case 'session.subscriptions':
        return [...this.subs]
          .filter((s) => s.sink === sink)
          .map((s) => ({ subscriptionId: s.subscriptionId }))
      default:
        throw new BinanceError(-1100, `Illegal characters found in parameter 'method'; unknown method.`)
    }
  }

  /** A connection closed: its subscriptions end. */
  drop(sink: ApiSink): void {
    for (const s of this.subs) if (s.sink === sink) this.subs.delete(s)
    this.nextId.delete(sink)
  }

  close(): void {
    this.unlisten()
    this.subs.clear()
  }

  subscribers(apiKey?: string): number {
    return [...this.subs].filter((s) => apiKey === undefined || s.apiKey === apiKey).length
  }

  private deliver(apiKey: string, event: unknown): void {
    for (const s of this.subs)
      if (s.apiKey === apiKey) s.sink.send({ subscriptionId: s.subscriptionId, event })
  }

  private onOrderEvent(e: OrderEvent): void {
    if (this.subscribers(e.order.apiKey) === 0) return
    this.deliver(e.order.apiKey, executionReport(e))
    const m = this.data.market(e.order.symbol)
    if (!m) return
    // One balance update after the burst of events a request or matching pass makes.
    let assets = this.dirty.get(e.order.apiKey)
    if (!assets) {
      assets = new Set()
      this.dirty.set(e.order.apiKey, assets)
      queueMicrotask(() => this.flushBalances(e.order.apiKey))
    }
    assets.add(m.base).add(m.quote)
  }

  private flushBalances(apiKey: string): void {
    const assets = this.dirty.get(apiKey)
    this.dirty.delete(apiKey)
    const account = this.engine.accounts.get(apiKey)
    if (!assets || !account) return
    const now = this.now()
    this.deliver(apiKey, {
      e: 'outboundAccountPosition',
      E: now,
      u: account.updateTime,
      B: [...assets].map((a) => {
        const b = account.get(a)
        return { a, f: formatUnits(b.free), l: formatUnits(b.locked) }
      }),
    })
  }
}

/** Binance's spot executionReport for one order event. */
export function executionReport(e: OrderEvent): Record<string, unknown> {
  const o = e.order
  const f = e.fill
  return {
    e: 'executionReport',
    E: e.time,
    s: o.symbol,
    c: o.clientOrderId,
    S: o.side,
    o: o.type,
    f: o.timeInForce,
    q: formatUnits(o.origQty),
    p: formatUnits(o.price),
    P: formatUnits(o.stopPrice),
    F: formatUnits(o.icebergQty),
    g: -1,
    C: e.execution === 'CANCELED' ? o.clientOrderId : '',
    x: e.execution,
    X: o.status,
    r: 'NONE',
    i: o.orderId,
    l: formatUnits(f?.qty ?? 0n),
    z: formatUnits(o.executedQty),
    L: formatUnits(f?.price ?? 0n),
    n: formatUnits(f?.commission ?? 0n),
    N: f?.commissionAsset ?? null,
    T: e.time,
    t: f?.id ?? -1,
    I: 0,
    w: o.status === 'NEW' || o.status === 'PARTIALLY_FILLED' ? o.workingTime !== -1 : false,
    m: f?.isMaker ?? false,
    M: false,
    O: o.time,
    Z: formatUnits(o.cumQuote),
    Y: formatUnits(f?.quoteQty ?? 0n),
    Q: formatUnits(o.origQuoteOrderQty),
    W: o.workingTime,
    V: o.selfTradePreventionMode,
  }
}
