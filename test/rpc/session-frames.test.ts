import { describe, expect, it, vi } from 'vitest'
import { RpcSession, type SessionOptions } from '../../src/main/rpc/session'
import { serverMessageSchema, type ServerMessage } from '../../src/shared/rpc/wire'
import { registryWith } from '../support/memory-transport'

const info = { version: '1', host: 'headless' as const, dataDir: '/d', startedAt: 1 }

/** A session on a real registry, fed raw frames as a transport would, recording what it sends. */
function session(options: SessionOptions = {}) {
  const sent: ServerMessage[] = []
  const unanswerable: string[] = []
  const registry = registryWith({
    'system.info': () => info,
    'market.tickers': () => () => {},
  })
  const s = new RpcSession(
    registry,
    (m) => sent.push(serverMessageSchema.parse(JSON.parse(JSON.stringify(m)))),
    { transport: 'memory', peer: 'test' },
    { onUnanswerable: (r) => unanswerable.push(r), ...options },
  )
  return { s, sent, unanswerable }
}

describe('every frame with a usable id is answered', () => {
  it.each([
    ['an invoke without params', { type: 'invoke', id: 4, name: 'system.info' }, 'params', /required/],
    ['an invoke with a numeric name', { type: 'invoke', id: 4, name: 7, params: {} }, 'name', /string/],
    ['an invoke without a name', { type: 'invoke', id: 4, params: {} }, 'name', /string/],
    ['an unknown type', { type: 'call', id: 4, name: 'system.info', params: {} }, 'type', /invoke/],
    ['no type at all', { id: 4, name: 'system.info', params: {} }, 'type', /invoke/],
  ])('%s: a result with a validation error naming the field', async (_, frame, path, message) => {
    const { s, sent, unanswerable } = session()
    await s.receive(frame)
    expect(sent).toEqual([
      {
        type: 'result',
        id: 4,
        result: { ok: false, error: { kind: 'validation', path, message: expect.any(String) } },
      },
    ])
    const error = (sent[0] as { result: { error: { message: string } } }).result.error
    expect(error.message).toMatch(new RegExp(`^${path}: `))
    expect(error.message).toMatch(message)
    expect(unanswerable).toEqual([])
  })

  it.each([
    ['without params', { type: 'subscribe', id: 9, name: 'market.tickers' }, 'params'],
    ['with a numeric name', { type: 'subscribe', id: 9, name: 3, params: {} }, 'name'],
  ])('a subscribe %s: an end with the validation error', async (_, frame, path) => {
    const { s, sent } = session()
    await s.receive(frame)
    expect(sent).toEqual([
      { type: 'end', id: 9, error: { kind: 'validation', path, message: expect.any(String) } },
    ])
    expect(s.activeSubscriptions).toBe(0)
  })

  it.each([
    ['no id', { type: 'invoke', name: 'system.info', params: {} }],
    ['a negative id', { type: 'invoke', id: -1, name: 'system.info', params: {} }],
    ['a fractional id', { type: 'invoke', id: 1.5, name: 'system.info', params: {} }],
    ['an id past 2^53', { type: 'invoke', id: 2 ** 53, name: 'system.info', params: {} }],
    ['an id as a string', { type: 'invoke', id: '3', name: 'system.info', params: {} }],
    ['an unsubscribe without id', { type: 'unsubscribe' }],
    ['an array', [1, 2]],
    ['a number', 42],
    ['null', null],
  ])('%s cannot be answered: nothing is sent and the transport is told why', async (_, frame) => {
    const { s, sent, unanswerable } = session()
    await s.receive(frame)
    expect(sent).toEqual([])
    expect(unanswerable).toHaveLength(1)
    expect(unanswerable[0]).toMatch(/"id"|JSON object/)
  })

  it('still answers well-formed calls after malformed ones', async () => {
    const { s, sent } = session()
    await s.receive({ type: 'invoke', id: 1, name: 'system.info' })
    await s.receive({ type: 'invoke', id: 2, name: 'system.info', params: {} })
    expect(sent.map((m) => m.type === 'result' && m.result.ok)).toEqual([false, true])
  })
})

describe('per-connection limits', () => {
  it('answers calls past the burst with rate_limited and when to retry, and recovers', async () => {
    let now = 1_000_000
    const { s, sent } = session({ rate: { burst: 3, perSecond: 2 }, now: () => now })
    for (let id = 1; id <= 4; id++) await s.receive({ type: 'invoke', id, name: 'system.info', params: {} })
    await s.receive({ type: 'subscribe', id: 5, name: 'market.tickers', params: {} })
    expect(sent.slice(0, 3).every((m) => m.type === 'result' && m.result.ok)).toBe(true)
    expect(sent[3]).toEqual({
      type: 'result',
      id: 4,
      result: { ok: false, error: { kind: 'rate_limited', message: expect.any(String), retryAfter: 0.5 } },
    })
    const { message } = (sent[3] as { result: { error: { message: string } } }).result.error
    expect(message).toMatch(/at most 3 at once, then 2 a second.*retry in 0\.5 s/)
    expect(sent[4]).toMatchObject({ type: 'end', id: 5, error: { kind: 'rate_limited' } })
    // Malformed calls cost a token too: they are answered like any other.
    now += 500
    await s.receive({ type: 'invoke', id: 6, name: 'system.info' })
    expect(sent[5]).toMatchObject({ id: 6, result: { error: { kind: 'validation' } } })
    await s.receive({ type: 'invoke', id: 7, name: 'system.info', params: {} })
    expect(sent[6]).toMatchObject({ id: 7, result: { error: { kind: 'rate_limited' } } })
    now += 500
    await s.receive({ type: 'invoke', id: 8, name: 'system.info', params: {} })
    expect(sent[7]).toEqual({ type: 'result', id: 8, result: { ok: true, value: info } })
  })

  it('allows the defaults a real client needs: 200 calls at once', async () => {
    const { s, sent } = session({ now: () => 0 })
    await Promise.all(
      Array.from({ length: 201 }, (_, i) =>
        s.receive({ type: 'invoke', id: i, name: 'system.info', params: {} }),
      ),
    )
    expect(sent.filter((m) => m.type === 'result' && m.result.ok)).toHaveLength(200)
    expect(sent.filter((m) => m.type === 'result' && !m.result.ok)).toHaveLength(1)
  })

  it('refuses a subscription past 256 per connection with limit_exceeded, and takes one after an unsubscribe', async () => {
    const { s, sent } = session({ rate: { burst: 10_000, perSecond: 1 } })
    for (let id = 1; id <= 256; id++)
      await s.receive({ type: 'subscribe', id, name: 'market.tickers', params: {} })
    expect(s.activeSubscriptions).toBe(256)
    expect(sent).toEqual([])
    await s.receive({ type: 'subscribe', id: 257, name: 'market.tickers', params: {} })
    expect(sent).toEqual([
      { type: 'end', id: 257, error: { kind: 'limit_exceeded', message: expect.any(String) } },
    ])
    expect((sent[0] as { error: { message: string } }).error.message).toMatch(
      /At most 256 live subscriptions/,
    )
    await s.receive({ type: 'unsubscribe', id: 1 })
    await s.receive({ type: 'subscribe', id: 258, name: 'market.tickers', params: {} })
    expect(s.activeSubscriptions).toBe(256)
    expect(sent).toHaveLength(1)
  })

  it('never rate-limits an unsubscribe: it only frees what the peer holds', async () => {
    const dispose = vi.fn()
    const registry = registryWith({ 'market.tickers': () => dispose })
    const s = new RpcSession(
      registry,
      () => {},
      { transport: 'memory', peer: 't' },
      { rate: { burst: 1, perSecond: 0.001 } },
    )
    await s.receive({ type: 'subscribe', id: 1, name: 'market.tickers', params: {} })
    await s.receive({ type: 'unsubscribe', id: 1 })
    expect(dispose).toHaveBeenCalledOnce()
  })
})

describe('what a peer that is behind may lose', () => {
  it('marks ticks, forming bars and books coalescible, and never fills or closed bars', async () => {
    const candle = { time: 0, open: 1, high: 1, low: 1, close: 1, volume: 0 }
    const registry = registryWith({
      'market.tickers': (_, sink) => {
        sink.emit({ source: 'demo', symbol: 'BTC/USDT', time: 1, last: 2, change24h: null })
        return () => {}
      },
      'market.liveCandle': (_, sink) => {
        sink.emit({ candle, closed: false })
        sink.emit({ candle, closed: true })
        return () => {}
      },
      'trading.updates': (_, sink) => {
        sink.emit({ type: 'accountRemoved', accountId: 'a' })
        return () => {}
      },
    })
    const sent: [string, unknown][] = []
    const s = new RpcSession(registry, (m, key) => sent.push([m.type, key]), {
      transport: 'memory',
      peer: 't',
    })
    await s.receive({ type: 'subscribe', id: 1, name: 'market.tickers', params: {} })
    await s.receive({
      type: 'subscribe',
      id: 2,
      name: 'market.liveCandle',
      params: { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' },
    })
    await s.receive({ type: 'subscribe', id: 3, name: 'trading.updates', params: {} })
    expect(sent).toEqual([
      ['event', 'demo\u0000BTC/USDT'],
      ['event', 'forming'],
      ['event', null],
      ['event', null],
    ])
  })
})
