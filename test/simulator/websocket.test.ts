import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { sign } from './auth'
import { formatUnits, unitsFromNumber, type Units } from './decimal'
import { TRACKED_DEPTH } from './depth-versions'
import { MarketData } from './market-data'
import { DEFAULT_MARKETS } from './markets'
import { Engine } from './matching'
import { useSimulators } from './harness'
import { UserStreams, wsSignedPayload } from './user-stream'
import { MarketStreams, type StreamSink } from './ws-streams'

const LISTED = Date.UTC(2017, 7, 17)
const T0 = Date.UTC(2025, 0, 6, 12, 0, 0)
const data = () => new MarketData(DEFAULT_MARKETS, 1, LISTED)

type Book = Map<Units, Units>
const toMap = (levels: Array<{ price: Units; qty: Units }>): Book =>
  new Map(levels.map((l) => [l.price, l.qty]))
function apply(book: Book, rows: Array<[Units, Units]>): Book {
  const out = new Map(book)
  for (const [p, q] of rows) {
    if (q === 0n) out.delete(p)
    else out.set(p, q)
  }
  return out
}
const sorted = (b: Book, desc: boolean) =>
  [...b.entries()].sort((x, y) => (x[0] < y[0] ? (desc ? 1 : -1) : desc ? -1 : 1))

describe('diff depth versions (depth-versions.ts)', () => {
  it('snapshot at any version in between + the diff = the current book, with contiguous ids', () => {
    const d = data()
    const versions = d.depth('BTCUSDT')
    expect(versions.tracking).toBe(false)
    const reader = versions.reader(T0)
    expect(versions.tracking).toBe(true)
    const start = reader.at
    // Two snapshots (as GET /depth would take them) between the reader's last version and now.
    const s1 = versions.current(T0 + 1_000)
    const s2 = versions.current(T0 + 2_000)
    expect(s1.id).toBeGreaterThan(start)
    expect(s2.id).toBeGreaterThan(s1.id)
    const diff = reader.next(T0 + 3_000)!
    expect(diff).not.toBeNull()
    expect(diff.U).toBe(start + 1)
    expect(diff.u).toBe(versions.current(T0 + 3_000).id)
    const want = d.book('BTCUSDT', T0 + 3_000, TRACKED_DEPTH)
    for (const snap of [s1, s2]) {
      const bids = apply(toMap(snap.bids), diff.bids)
      const asks = apply(toMap(snap.asks), diff.asks)
      expect(sorted(bids, true).slice(0, TRACKED_DEPTH)).toEqual(want.bids.map((l) => [l.price, l.qty]))
      expect(sorted(asks, false).slice(0, TRACKED_DEPTH)).toEqual(want.asks.map((l) => [l.price, l.qty]))
    }
    // The next diff starts right after this one.
    const next = reader.next(T0 + 4_000)!
    expect(next.U).toBe(diff.u + 1)
    reader.close()
    expect(versions.tracking).toBe(false)
  })

  it('sends nothing while the book does not change (a frozen price)', () => {
    const d = data()
    d.source('ETHUSDT').setPrice(T0, 3_000, true)
    const reader = d.depth('ETHUSDT').reader(T0 + 1)
    expect(reader.next(T0 + 5_000)).toBeNull()
    d.source('ETHUSDT').setPrice(T0 + 6_000, 3_010, true)
    const diff = reader.next(T0 + 6_001)!
    expect(diff.bids.length + diff.asks.length).toBeGreaterThan(0)
    reader.close()
  })
})

/** A sink that records what a connection would be sent. */
function recorder(): StreamSink & { got: Array<{ stream: string; payload: Record<string, unknown> }> } {
  const got: Array<{ stream: string; payload: Record<string, unknown> }> = []
  return { got, send: (stream, payload) => got.push({ stream, payload: payload as Record<string, unknown> }) }
}

describe('market streams (ws-streams.ts)', () => {
  const made: MarketStreams[] = []
  afterEach(() => made.splice(0).forEach((s) => s.close()))
  const streams = (d: MarketData, now: () => number) => {
    const s = new MarketStreams(d, now, 60_000)
    made.push(s)
    return s
  }

  it('refuses unknown stream names with code 2', () => {
    const s = streams(data(), () => T0)
    for (const bad of [
      'btcusdt@nope',
      'BTCUSDT@ticker',
      'xxxusdt@ticker',
      'btcusdt@kline_7m',
      'btcusdt@depth@5ms',
    ])
      expect(() => s.parse(bad), bad).toThrow(expect.objectContaining({ code: 2 }))
    expect(s.parse('btcusdt@depth@100ms')).toMatchObject({ kind: 'depth', periodMs: 100 })
  })

  it('24hrTicker carries the REST ticker values, mini tickers the subset', () => {
    const d = data()
    const s = streams(d, () => T0)
    const sink = recorder()
    s.subscribe(sink, 'btcusdt@ticker')
    s.subscribe(sink, 'ethusdt@miniTicker')
    s.tick()
    const rest = d.ticker('BTCUSDT', T0)
    const full = sink.got.find((g) => g.stream === 'btcusdt@ticker')!.payload
    expect(full).toMatchObject({
      e: '24hrTicker',
      E: T0,
      s: 'BTCUSDT',
      c: rest['lastPrice'],
      b: rest['bidPrice'],
      a: rest['askPrice'],
      o: rest['openPrice'],
      v: rest['volume'],
      n: rest['count'],
    })
    const mini = sink.got.find((g) => g.stream === 'ethusdt@miniTicker')!.payload
    expect(mini).toMatchObject({ e: '24hrMiniTicker', s: 'ETHUSDT', c: d.ticker('ETHUSDT', T0)['lastPrice'] })
    expect(mini['b']).toBeUndefined()
    // Not again before the period has passed.
    s.tick()
    expect(sink.got).toHaveLength(2)
  })

  it('klines: the forming bar, then the closed one (x: true) when the next opens', () => {
    const d = data()
    let now = T0 + 30_000
    const s = streams(d, () => now)
    const sink = recorder()
    s.subscribe(sink, 'solusdt@kline_1m')
    s.tick()
    const [row] = d.klines('SOLUSDT', { interval: '1m', limit: 1 }, now)
    expect(sink.got[0]!.payload).toMatchObject({
      e: 'kline',
      s: 'SOLUSDT',
      k: { t: T0, T: T0 + 59_999, i: '1m', o: row![1], h: row![2], l: row![3], c: row![4], x: false },
    })
    now = T0 + 61_000
    s.tick()
    const [closed, forming] = sink.got.slice(1).map((g) => g.payload['k'] as Record<string, unknown>)
    const [final] = d.klines('SOLUSDT', { interval: '1m', startTime: T0, limit: 1 }, now)
    expect(closed).toMatchObject({ t: T0, x: true, c: final![4], v: final![5] })
    expect(forming).toMatchObject({ t: T0 + 60_000, x: false })
  })

  it('trades: every tape trade once, in order', () => {
    const d = data()
    let now = T0
    const s = streams(d, () => now)
    const sink = recorder()
    s.subscribe(sink, 'btcusdt@trade')
    now = T0 + 5_000
    s.tick()
    now = T0 + 9_000
    s.tick()
    const ids = sink.got.map((g) => g.payload['t'] as number)
    expect(ids.length).toBeGreaterThanOrEqual(8)
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i))
    const t = d.tape('BTCUSDT').trade(ids[0]!)
    expect(sink.got[0]!.payload).toMatchObject({
      e: 'trade',
      p: formatUnits(t.price),
      q: formatUnits(t.qty),
      T: t.time,
    })
  })
})

describe('user data stream (user-stream.ts)', () => {
  const key = 'k'.repeat(64)
  const secret = 's'.repeat(64)
  const setup = () => {
    const d = data()
    const engine = new Engine(
      d,
      {
        feeBps: 10,
        clientOrderIdReuse: 'never',
        limitFills: { mode: 'full', fraction: 1 },
        matchEveryMs: 1_000,
      },
      1,
      T0,
    )
    engine.addAccount(key, secret, { USDT: 100_000, BTC: 1 }, T0)
    const users = new UserStreams(engine, d, () => T0)
    const got: Array<Record<string, unknown>> = []
    const sink = { send: (p: unknown) => got.push(p as Record<string, unknown>) }
    return { engine, users, got, sink }
  }
  const signed = (params: Record<string, unknown>, withSecret = secret) => ({
    ...params,
    signature: sign(withSecret, wsSignedPayload(params)),
  })

  it('checks the key, the signature and the timestamp like signed REST', () => {
    const { users, got, sink } = setup()
    const subscribe = (params: Record<string, unknown>) =>
      users.handle(sink, JSON.stringify({ id: 'x', method: 'userDataStream.subscribe.signature', params }))
    subscribe(signed({ apiKey: key, timestamp: T0 }, 'w'.repeat(64)))
    subscribe(signed({ apiKey: 'u'.repeat(64), timestamp: T0 }))
    subscribe(signed({ apiKey: key, timestamp: T0 - 60_000 }))
    subscribe(signed({ apiKey: key, timestamp: T0, recvWindow: 10_000 }))
    expect(got.map((g) => [g['status'], (g['error'] as { code?: number } | undefined)?.code])).toEqual([
      [400, -1022],
      [401, -2015],
      [400, -1021],
      [200, undefined],
    ])
    expect(got[3]).toMatchObject({ id: 'x', result: { subscriptionId: 0 } })
    expect(users.subscribers(key)).toBe(1)
  })

  it('sends executionReports for an order and its fills, then the changed balances', async () => {
    const { engine, users, got, sink } = setup()
    users.handle(
      sink,
      JSON.stringify({
        id: 1,
        method: 'userDataStream.subscribe.signature',
        params: signed({ apiKey: key, timestamp: T0 }),
      }),
    )
    got.length = 0
    const account = engine.accounts.get(key)!
    engine.place(
      account,
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: unitsFromNumber(0.01),
        selfTradePreventionMode: 'NONE',
        respType: 'FULL',
      },
      T0,
    )
    const reports = got.map((g) => g['event'] as Record<string, unknown>)
    expect(got.every((g) => g['subscriptionId'] === 0)).toBe(true)
    expect(reports[0]).toMatchObject({
      e: 'executionReport',
      x: 'NEW',
      X: 'NEW',
      z: '0.00000000',
      s: 'BTCUSDT',
      S: 'BUY',
    })
    const trades = reports.filter((r) => r['x'] === 'TRADE')
    expect(trades.length).toBeGreaterThan(0)
    expect(trades.at(-1)).toMatchObject({ X: 'FILLED', z: '0.01000000' })
    const fills = engine.fillsOf(key, 'BTCUSDT')
    expect(trades.map((t) => t['t'])).toEqual(fills.map((f) => f.id))
    await Promise.resolve()
    const position = got.at(-1)!['event'] as { e: string; B: Array<{ a: string; f: string }> }
    expect(position.e).toBe('outboundAccountPosition')
    expect(Object.fromEntries(position.B.map((b) => [b.a, b.f]))).toEqual({
      BTC: formatUnits(account.get('BTC').free),
      USDT: formatUnits(account.get('USDT').free),
    })
    users.handle(sink, JSON.stringify({ id: 2, method: 'userDataStream.unsubscribe', params: {} }))
    expect(users.subscribers()).toBe(0)
    users.close()
  })
})

/** A raw websocket client that collects JSON messages. */
async function connect(url: string): Promise<{ ws: WebSocket; got: unknown[]; closed: Promise<number> }> {
  const ws = new WebSocket(url)
  const got: unknown[] = []
  ws.on('message', (d) => got.push(JSON.parse(String(d))))
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, got, closed }
}

async function until(check: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('websocket endpoint (ws-server.ts)', () => {
  const open = useSimulators()
  const sockets: WebSocket[] = []
  afterEach(() => sockets.splice(0).forEach((s) => s.terminate()))

  it('answers SUBSCRIBE, LIST_SUBSCRIPTIONS and bad requests as Binance does, then streams', async () => {
    const { sim } = await open()
    expect(sim.wsUrl).toBe(`${sim.url.replace('http', 'ws')}/ws`)
    const c = await connect(`${sim.wsUrl}/0`)
    sockets.push(c.ws)
    c.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@ticker'], id: 1 }))
    c.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@bogus'], id: 2 }))
    c.ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 3 }))
    await until(() => c.got.some((m) => (m as { e?: string }).e === '24hrTicker'), 'a ticker event')
    expect(c.got).toContainEqual({ result: null, id: 1 })
    expect(c.got).toContainEqual({ error: { code: 2, msg: expect.any(String) as string }, id: 2 })
    expect(c.got).toContainEqual({ result: ['btcusdt@ticker'], id: 3 })
    expect(sim.ws.connections()).toEqual({ streams: 1, api: 0 })
  })

  it('wraps combined streams as { stream, data }', async () => {
    const { sim } = await open()
    const c = await connect(
      `${sim.url.replace('http', 'ws')}/stream?streams=ethusdt@miniTicker/ethusdt@kline_1m`,
    )
    sockets.push(c.ws)
    await until(() => c.got.length >= 2, 'two events')
    const streams = new Set(c.got.map((m) => (m as { stream: string }).stream))
    expect(streams).toEqual(new Set(['ethusdt@miniTicker', 'ethusdt@kline_1m']))
  })

  it('drops every connection on demand, refuses upgrades while told to, and 404s unknown paths', async () => {
    const { sim } = await open()
    const a = await connect(sim.wsUrl)
    const b = await connect(sim.ws.apiUrl)
    sockets.push(a.ws, b.ws)
    expect(sim.ws.dropAll()).toBe(2)
    expect(await a.closed).toBe(1006)
    expect(await b.closed).toBe(1006)
    await until(() => sim.ws.connections().streams + sim.ws.connections().api === 0, 'connections gone')

    sim.ws.refuseUpgrades()
    await expect(connect(sim.wsUrl)).rejects.toThrow(/503/)
    sim.ws.refuseUpgrades(false)
    const c = await connect(sim.wsUrl)
    sockets.push(c.ws)
    await expect(connect(`${sim.url.replace('http', 'ws')}/nope`)).rejects.toThrow(/404/)
    expect(sim.ws.stats()).toEqual({ accepted: 3, refused: 2 })
  })

  it('closes its websockets when the simulator closes', async () => {
    const { sim } = await open({ websocket: { refuse: true } })
    await expect(connect(sim.wsUrl)).rejects.toThrow(/503/)
    sim.ws.refuseUpgrades(false)
    const c = await connect(sim.ws.apiUrl)
    c.ws.send(JSON.stringify({ id: 'p', method: 'ping' }))
    await until(() => c.got.length === 1, 'the pong')
    expect(c.got[0]).toMatchObject({ id: 'p', status: 200, result: {} })
    await sim.close()
    expect(await c.closed).toBe(1006)
  })
})
