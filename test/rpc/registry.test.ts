import { describe, expect, it, vi } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import { HandlerRegistry } from '../../src/main/rpc/registry'
import { silentLogger } from '../../src/main/log'
import { memoryPair, registryWith } from '../support/memory-transport'

const info = { version: '1', host: 'headless' as const, dataDir: '/d', startedAt: 1 }

describe('handler registry', () => {
  it('rejects a name registered twice at start-up', () => {
    const registry = new HandlerRegistry(silentLogger).add({ 'system.info': () => info })
    expect(() => registry.add({ 'system.info': () => info })).toThrow(/Duplicate handler for "system.info"/)
  })

  it('rejects a handler for a name the contract does not have', () => {
    const bogus = { 'system.nope': () => 1 } as unknown as Parameters<HandlerRegistry['add']>[0]
    expect(() => new HandlerRegistry(silentLogger).add(bogus)).toThrow(/unknown contract name "system.nope"/)
  })

  it('lists contract names nothing handles', () => {
    const registry = new HandlerRegistry(silentLogger).add({ 'system.info': () => info })
    expect(registry.missing()).toContain('market.candles')
    expect(registry.missing()).not.toContain('system.info')
  })
})

describe('envelopes over an in-memory transport', () => {
  it('answers ok with the value', async () => {
    const { client } = memoryPair(registryWith({ 'system.info': () => info }))
    expect(await client.invoke('system.info', {})).toEqual({ ok: true, value: info })
  })

  it('refuses bad params with a validation error naming the field, without calling the handler', async () => {
    const handler = vi.fn(() => ({
      candles: { time: [], open: [], high: [], low: [], close: [], volume: [] },
      gaps: [],
    }))
    const { client } = memoryPair(registryWith({ 'market.candles': handler }))
    const r = await client.invoke('market.candles', {
      source: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '7m' as '1m',
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.kind).toBe('validation')
    expect(r.error.path).toBe('params.timeframe')
    expect(r.error.message).toMatch(/params\.timeframe/)
    expect(handler).not.toHaveBeenCalled()
  })

  it('fills defaults before the handler sees the params', async () => {
    const seen: unknown[] = []
    const { client } = memoryPair(
      registryWith({
        'market.candles': (p) => {
          seen.push(p)
          return { candles: { time: [], open: [], high: [], low: [], close: [], volume: [] }, gaps: [] }
        },
      }),
    )
    await client.invoke('market.candles', { source: 'demo', symbol: 'X', timeframe: '1h' })
    expect(seen).toEqual([{ source: 'demo', symbol: 'X', timeframe: '1h', limit: 1000 }])
  })

  it('keeps the kind of a domain error', async () => {
    const { client } = memoryPair(
      registryWith({
        'system.info': () => {
          throw new AppError('not_found', 'nothing here', 'params.x')
        },
      }),
    )
    expect(await client.invoke('system.info', {})).toEqual({
      ok: false,
      error: { kind: 'not_found', message: 'nothing here', path: 'params.x' },
    })
  })

  it('turns a thrown error into internal with a safe message, logs it, and keeps serving', async () => {
    const errors: unknown[] = []
    const log = { ...silentLogger, error: (_m: string, d: unknown) => void errors.push(d) }
    let calls = 0
    const { client } = memoryPair(
      registryWith(
        {
          'system.info': () => {
            calls++
            if (calls === 1) throw new Error('secret path /home/me/.keys exploded')
            return info
          },
        },
        log,
      ),
    )
    const r = await client.invoke('system.info', {})
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.kind).toBe('internal')
      expect(r.error.message).not.toMatch(/secret|\.keys/)
    }
    expect(errors).toHaveLength(1)
    expect(await client.invoke('system.info', {})).toEqual({ ok: true, value: info })
  })

  it('with checkResults, reports a handler answering outside its schema as internal', async () => {
    const wrong = { version: 1 } as unknown as typeof info
    const { client } = memoryPair(registryWith({ 'system.info': () => wrong }))
    expect(await client.invoke('system.info', {})).toMatchObject({ ok: false, error: { kind: 'internal' } })
  })

  it('answers not_found for a name outside the contract', async () => {
    const { client } = memoryPair(registryWith({}))
    const r = await (client.invoke as (n: string, p: unknown) => Promise<unknown>)('system.shutdown', {})
    expect(r).toMatchObject({ ok: false, error: { kind: 'not_found', path: 'name' } })
  })

  it('settles pending calls as unavailable when the connection drops', async () => {
    const { client, disconnect } = memoryPair(registryWith({ 'system.info': () => new Promise(() => {}) }))
    const pending = client.invoke('system.info', {})
    disconnect()
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'unavailable' } })
  })
})

describe('streams over an in-memory transport', () => {
  const tick = (symbol: string, last: number) => ({ source: 'demo', symbol, time: 1, last, change24h: null })

  it('delivers events until unsubscribed, then disposes the handler', async () => {
    let emit: ((e: ReturnType<typeof tick>) => void) | undefined
    const dispose = vi.fn()
    const { client, session } = memoryPair(
      registryWith({
        'market.tickers': (_p, sink) => {
          emit = sink.emit
          return dispose
        },
      }),
    )
    const events: number[] = []
    const stop = client.subscribe('market.tickers', {}, (e) => events.push(e.last))
    await vi.waitFor(() => expect(emit).toBeDefined())
    emit!(tick('A', 1))
    emit!(tick('A', 2))
    await vi.waitFor(() => expect(events).toEqual([1, 2]))
    expect(session.activeSubscriptions).toBe(1)
    stop()
    await vi.waitFor(() => expect(dispose).toHaveBeenCalledOnce())
    expect(session.activeSubscriptions).toBe(0)
  })

  it('disposes every subscription when the peer goes', async () => {
    const dispose = vi.fn()
    const { client, session, disconnect } = memoryPair(registryWith({ 'market.tickers': () => dispose }))
    client.subscribe('market.tickers', {}, () => {})
    client.subscribe('market.tickers', {}, () => {})
    await vi.waitFor(() => expect(session.activeSubscriptions).toBe(2))
    disconnect()
    expect(dispose).toHaveBeenCalledTimes(2)
  })

  it('ends a subscription with the validation error when params are bad', async () => {
    const { client } = memoryPair(registryWith({ 'market.liveCandle': () => () => {} }))
    const ended = await new Promise((resolve) =>
      client.subscribe(
        'market.liveCandle',
        { source: 'demo', symbol: '', timeframe: '1m' },
        () => {},
        resolve,
      ),
    )
    expect(ended).toMatchObject({ kind: 'validation', path: 'params.symbol' })
  })

  it('ends a subscription whose handler fails to start, as internal', async () => {
    const { client } = memoryPair(
      registryWith({
        'market.tickers': () => {
          throw new Error('boom')
        },
      }),
    )
    const ended = await new Promise((resolve) => client.subscribe('market.tickers', {}, () => {}, resolve))
    expect(ended).toMatchObject({ kind: 'internal' })
  })
})
