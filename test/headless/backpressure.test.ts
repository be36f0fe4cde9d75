import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { Outbox, type OutboxLimits } from '../../src/main/headless/outbox'
import { serveWebSocket, type SocketOptions } from '../../src/main/headless/ws-transport'
import type { DomainHandlers } from '../../src/main/rpc/handlers'
import type { ServerMessage } from '../../src/shared/rpc/wire'
import { registryWith } from '../support/memory-transport'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

/** A real WebSocket pair on loopback: the server side handed to `onSocket`, the client returned. */
async function socketPair(onSocket: (ws: WebSocket) => void) {
  const server: Server = createServer()
  const wss = new WebSocketServer({ server })
  wss.on('connection', onSocket)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { maxPayload: 512 << 20 })
  const messages: unknown[] = []
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    client.on('close', (code, reason) => r({ code, reason: reason.toString() })),
  )
  client.on('message', (d) => messages.push(JSON.parse(d.toString())))
  await new Promise<void>((r, reject) => {
    client.once('open', () => r())
    client.once('error', reject)
  })
  cleanups.push(() => {
    client.terminate()
    for (const c of wss.clients) c.terminate()
    wss.close()
    server.close()
  })
  return { client, messages, closed }
}

/** An outbox on the server side of a fresh pair. */
async function outboxPair(limits: OutboxLimits) {
  const cutOff: string[] = []
  let outbox!: Outbox
  let server!: WebSocket
  const pair = await socketPair((ws) => {
    server = ws
    outbox = new Outbox(ws, { closeGraceMs: 30_000, ...limits }, undefined, (r) => cutOff.push(r))
  })
  await vi.waitFor(() => expect(outbox).toBeDefined())
  /** Bytes waiting in the outbox itself (not yet handed to the socket). */
  const queued = () => outbox.backlogBytes - server.bufferedAmount
  return { ...pair, outbox, server, queued, cutOff }
}

const bigResult = (id: number, n: number): ServerMessage => ({
  type: 'result',
  id,
  result: { ok: true, value: { values: Array.from({ length: n }, (_, i) => i + 0.123456789) } },
})

describe('outbox: a peer that does not read', () => {
  it('keeps only the latest of coalescible events while it is behind, and every other event in order', async () => {
    const softBytes = 256 << 10
    const { client, messages, outbox, server, queued } = await outboxPair({ softBytes, stallMs: 60_000 })
    client.pause()
    // Enough to fill the kernel's buffers and pass the soft bound: now nothing can be written.
    for (let id = 0; server.bufferedAmount < softBytes; id++) {
      outbox.send(bigResult(id, 200_000))
      await new Promise((r) => setTimeout(r, 20))
    }
    const queuedBefore = queued()
    for (let i = 1; i <= 3000; i++) {
      for (const symbol of ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']) {
        outbox.send({ type: 'event', id: 100, event: { symbol, last: i } }, symbol)
      }
      if (i % 600 === 0) outbox.send({ type: 'event', id: 200, event: { fill: i } }, null)
      if (i % 300 === 0) await new Promise((r) => setImmediate(r)) // the writer gets its turns
    }
    // 9,000 ticks (about 400 kB) wait as three, beside the five fills.
    expect(queued() - queuedBefore).toBeLessThan(1000)
    client.resume()
    await vi.waitFor(() => expect(messages.filter((m) => (m as { id?: number }).id === 200)).toHaveLength(5))
    await new Promise((r) => setTimeout(r, 100))
    const ticks = messages.filter((m) => (m as { id?: number }).id === 100) as {
      event: { symbol: string; last: number }
    }[]
    const fills = messages.filter((m) => (m as { id?: number }).id === 200) as { event: { fill: number } }[]
    expect(ticks.map((t) => t.event)).toEqual([
      { symbol: 'BTC/USDT', last: 3000 },
      { symbol: 'ETH/USDT', last: 3000 },
      { symbol: 'SOL/USDT', last: 3000 },
    ])
    expect(fills.map((f) => f.event.fill)).toEqual([600, 1200, 1800, 2400, 3000])
    await vi.waitFor(() => expect(outbox.isBehind).toBe(false))
  })

  it('cuts off a peer with more than hardBytes waiting, with 4008 and a reason', async () => {
    const { client, closed, outbox, cutOff } = await outboxPair({
      softBytes: 64 << 10,
      hardBytes: 4 << 20,
      stallMs: 60_000,
    })
    client.pause()
    let sent = 0
    while (cutOff.length === 0 && sent < 1000) {
      outbox.send(bigResult(sent++, 50_000)) // about 1 MB each
      await new Promise((r) => setImmediate(r))
    }
    expect(cutOff).toEqual([expect.stringMatching(/more than 4\.0 MiB waited to be sent to this connection/)])
    expect(sent).toBeLessThan(100) // the bound, not the loop's end, stopped it
    outbox.send(bigResult(9999, 10)) // no-op now
    client.resume()
    const { code, reason } = await closed
    expect(code).toBe(4008)
    expect(reason).toMatch(/^Closed: more than 4\.0 MiB waited/)
  })

  it('cuts off a peer that reads nothing for stallMs while data waits', async () => {
    const { client, outbox, cutOff } = await outboxPair({ softBytes: 64 << 10, stallMs: 300 })
    client.pause()
    for (let id = 0; !outbox.isBehind; id++) {
      outbox.send(bigResult(id, 100_000))
      await new Promise((r) => setTimeout(r, 20))
    }
    const congestedAt = Date.now()
    await vi.waitFor(() => expect(cutOff).toHaveLength(1), { timeout: 3_000 })
    expect(Date.now() - congestedAt).toBeGreaterThanOrEqual(250)
    expect(cutOff[0]).toMatch(/read nothing of the .* MiB waiting for it in 0\.3 s/)
  })

  it('delivers a large answer whole, in order with what follows it', async () => {
    const { messages, outbox } = await outboxPair({ wholeBytes: 64 << 10, fragmentBytes: 64 << 10 })
    const big = bigResult(1, 300_000)
    outbox.send(big)
    outbox.send({ type: 'result', id: 2, result: { ok: true, value: 'small' } })
    await vi.waitFor(() => expect(messages).toHaveLength(2), { timeout: 10_000 })
    expect(messages[0]).toEqual(big)
    expect(messages[1]).toMatchObject({ id: 2 })
  })
})

describe('serveWebSocket', () => {
  async function served(handlers: DomainHandlers, options: SocketOptions = {}) {
    let started = 0
    let disposed = 0
    const registry = registryWith({
      'market.tickers': () => (started++, () => disposed++),
      ...handlers,
    })
    const pair = await socketPair((ws) =>
      serveWebSocket(ws, registry, 'test', { heartbeatMs: 60_000, ...options }),
    )
    return { ...pair, startedCount: () => started, disposedCount: () => disposed }
  }
  const info = { version: '1', host: 'headless' as const, dataDir: '/d', startedAt: 1 }

  it('answers an invoke without params with a validation error over the socket', async () => {
    const { client, messages } = await served({ 'system.info': () => info })
    client.send('{"type":"invoke","id":4,"name":"system.info"}')
    client.send('{"type":"invoke","id":5,"name":4,"params":{}}')
    await vi.waitFor(() =>
      expect(messages.filter((m) => (m as { type: string }).type === 'result')).toHaveLength(2),
    )
    expect(messages).toContainEqual({
      type: 'result',
      id: 4,
      result: {
        ok: false,
        error: { kind: 'validation', path: 'params', message: expect.stringMatching(/^params: /) },
      },
    })
    expect(messages).toContainEqual({
      type: 'result',
      id: 5,
      result: {
        ok: false,
        error: { kind: 'validation', path: 'name', message: expect.stringMatching(/^name: /) },
      },
    })
  })

  it.each([
    ['not JSON', 'hello', 1007, /not JSON/],
    [
      'JSON without an id',
      '{"type":"invoke","name":"system.info","params":{}}',
      1007,
      /"id" must be a whole number/,
    ],
    ['JSON that is not an object', '[1,2,3]', 1007, /JSON object/],
    // Its reason quotes the id: cut to the 123 bytes a close reason may have, in UTF-8.
    [
      'JSON with an id of 200 "ü"',
      JSON.stringify({ type: 'invoke', id: 'ü'.repeat(200) }),
      1007,
      /"id" must be/,
    ],
    ['binary', Buffer.from('{"type":"invoke","id":1,"name":"system.info","params":{}}'), 1003, /binary/],
  ])('closes the socket on a frame it cannot answer (%s), saying why', async (_, frame, code, reason) => {
    const { client, closed, startedCount, disposedCount } = await served({ 'system.info': () => info })
    client.send('{"type":"subscribe","id":1,"name":"market.tickers","params":{}}')
    await vi.waitFor(() => expect(startedCount()).toBe(1))
    client.send(frame)
    const got = await closed
    expect(got.code).toBe(code)
    expect(got.reason).toMatch(reason)
    expect(Buffer.byteLength(got.reason)).toBeLessThanOrEqual(123)
    await vi.waitFor(() => expect(disposedCount()).toBe(1))
  })

  it('runs at most maxInFlight calls of one peer at once, reading the rest as they finish', async () => {
    const release: (() => void)[] = []
    let started = 0
    const { client, messages } = await served(
      {
        'system.info': async () => {
          started++
          await new Promise<void>((r) => release.push(r))
          return info
        },
      },
      { maxInFlight: 2 },
    )
    for (let id = 1; id <= 5; id++)
      client.send(JSON.stringify({ type: 'invoke', id, name: 'system.info', params: {} }))
    await vi.waitFor(() => expect(started).toBe(2))
    await new Promise((r) => setTimeout(r, 100))
    expect(started).toBe(2)
    while (messages.filter((m) => (m as { type: string }).type === 'result').length < 5) {
      release.splice(0).forEach((r) => r())
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(started).toBe(5)
  })

  it('starts one call per turn of the event loop, even from frames that came in one chunk', async () => {
    const marks: string[] = []
    const { client, messages } = await served({
      'system.info': () => {
        marks.push('call')
        setImmediate(() => marks.push('turn'))
        return info
      },
    })
    // One write, so the host reads all five frames at once.
    const raw = (client as unknown as { _socket: import('node:net').Socket })._socket
    raw.cork()
    for (let id = 1; id <= 5; id++)
      client.send(JSON.stringify({ type: 'invoke', id, name: 'system.info', params: {} }))
    raw.uncork()
    await vi.waitFor(() =>
      expect(messages.filter((m) => (m as { type: string }).type === 'result')).toHaveLength(5),
    )
    // Other work (here the handlers' own immediates; in the host, /healthz) runs between the calls.
    expect(marks.lastIndexOf('call')).toBeGreaterThan(marks.indexOf('turn'))
  })

  it('keeps the heartbeat: a peer is not cut off for pongs the host did not read while it was busy', async () => {
    const { client, messages } = await served(
      { 'system.info': () => new Promise((r) => setTimeout(() => r(info), 700)) },
      { heartbeatMs: 100, maxInFlight: 1 },
    )
    // The second call waits for the first, and the host reads nothing of this peer meanwhile.
    client.send('{"type":"invoke","id":1,"name":"system.info","params":{}}')
    client.send('{"type":"invoke","id":2,"name":"system.info","params":{}}')
    await vi.waitFor(
      () => expect(messages.filter((m) => (m as { type: string }).type === 'result')).toHaveLength(2),
      {
        timeout: 5_000,
      },
    )
    expect(client.readyState).toBe(WebSocket.OPEN)
    const beats = messages.filter((m) => (m as { type: string }).type === 'heartbeat').length
    await vi.waitFor(() =>
      expect(messages.filter((m) => (m as { type: string }).type === 'heartbeat').length).toBeGreaterThan(
        beats + 2,
      ),
    )
  })

  it('stops reading a peer that does not read its answers, then cuts it off and ends its streams', async () => {
    let calls = 0
    const column = Array.from({ length: 100_000 }, (_, i) => i + 0.5)
    const candles = { time: column, open: column, high: column, low: column, close: column, volume: column }
    const { client, closed, disposedCount } = await served(
      {
        'market.candles': () => {
          calls++
          return { candles, gaps: [] } // about 6 MB of JSON
        },
      },
      { outbox: { softBytes: 256 << 10, hardBytes: 512 << 20, stallMs: 1_000, closeGraceMs: 30_000 } },
    )
    client.send('{"type":"subscribe","id":1,"name":"market.tickers","params":{}}')
    client.pause()
    // It keeps asking; the host stops taking its requests once it is behind.
    let id = 2
    const params = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' }
    const asking = setInterval(() => {
      for (let i = 0; i < 5; i++)
        client.send(JSON.stringify({ type: 'invoke', id: id++, name: 'market.candles', params }))
    }, 20)
    cleanups.push(() => clearInterval(asking))
    await vi.waitFor(() => expect(disposedCount()).toBe(1), { timeout: 5_000 })
    clearInterval(asking)
    expect(id).toBeGreaterThan(200) // it asked all along...
    // ...but a few answers filled the buffers (the kernel's take up to 36 MB here), then reading stopped.
    expect(calls).toBeLessThan(20)
    client.resume()
    expect(await closed).toMatchObject({ code: 4008, reason: expect.stringMatching(/read nothing/) })
  })
})
