import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/main/log'
import { defaultConnection, type ConnectionConfig } from '../../src/main/exchange/schema'
import { ExchangeConnection } from '../../src/main/exchange/connection'
import { overrideWsUrls } from '../../src/main/exchange/ws-urls'

const BINANCE_WS = {
  spot: 'wss://stream.binance.com:9443/ws',
  'ws-api': { spot: 'wss://ws-api.binance.com:443/ws-api/v3' },
}

describe('overrideWsUrls', () => {
  it('moves every websocket URL to the override host, keeping paths (http -> ws, https -> wss)', () => {
    expect(overrideWsUrls(BINANCE_WS, 'http://127.0.0.1:5000')).toEqual({
      spot: 'ws://127.0.0.1:5000/ws',
      'ws-api': { spot: 'ws://127.0.0.1:5000/ws-api/v3' },
    })
    expect(overrideWsUrls(BINANCE_WS, 'https://proxy.test/x/')).toEqual({
      spot: 'wss://proxy.test/x/ws',
      'ws-api': { spot: 'wss://proxy.test/x/ws-api/v3' },
    })
    expect(overrideWsUrls('wss://stream.{hostname}/v5/public/spot', 'http://h:1')).toBe(
      'ws://h:1/v5/public/spot',
    )
  })

  it('gives up when the URLs cannot be moved sensibly', () => {
    expect(overrideWsUrls(undefined, 'http://h:1')).toBeNull()
    expect(overrideWsUrls({}, 'http://h:1')).toBeNull()
    expect(overrideWsUrls({ a: 'wss://x/{path}/ws' }, 'http://h:1')).toBeNull()
    expect(overrideWsUrls({ a: 'https://x/ws' }, 'http://h:1')).toBeNull()
    expect(overrideWsUrls(BINANCE_WS, 'ftp://h:1')).toBeNull()
    expect(overrideWsUrls(BINANCE_WS, 'not a url')).toBeNull()
  })
})

describe('connection with a custom API URL', () => {
  const make = (patch: Partial<ConnectionConfig>) =>
    new ExchangeConnection({ ...defaultConnection('binance'), ...patch }, null, {
      ccxt,
      clock: { now: () => Date.now() },
      log: silentLogger,
    })

  it('uses the ccxt.pro class with REST and websockets on the custom host', async () => {
    const v = make({ apiUrl: 'http://127.0.0.1:5000' })
    const api = v.exchange.urls.api as unknown as Record<string, unknown>
    expect(v.websocket).toBe(true)
    expect(typeof (v.exchange as unknown as { watchTicker?: unknown }).watchTicker).toBe('function')
    expect(api['public']).toBe('http://127.0.0.1:5000/api/v3')
    expect(api['ws']).toMatchObject({
      spot: 'ws://127.0.0.1:5000/ws',
      'ws-api': { spot: 'ws://127.0.0.1:5000/ws-api/v3' },
    })
    expect(JSON.stringify(api['ws'])).not.toContain('binance.com')
    expect((v.exchange as unknown as { httpAgent?: unknown }).httpAgent).toBeDefined()
    expect((v.exchange.options['watchTickers'] as { name: string }).name).toBe('ticker')
    expect(v.exchange.options['defaultType']).toBe('spot')
    await v.close()
  })

  it('stays on REST when websockets are off, or when the exchange keeps its websocket URLs elsewhere', async () => {
    const off = make({ apiUrl: 'http://127.0.0.1:5000', websocket: false })
    expect(off.websocket).toBe(false)
    // bitopro's ccxt.pro class has its websocket URL outside urls.api: it cannot be moved.
    const bitopro = new ExchangeConnection(
      { ...defaultConnection('bitopro'), apiUrl: 'http://127.0.0.1:5000' },
      null,
      {
        ccxt,
        clock: { now: () => Date.now() },
        log: silentLogger,
      },
    )
    expect(bitopro.websocket).toBe(false)
    expect(JSON.stringify(bitopro.exchange.urls.api)).toContain('http://127.0.0.1:5000')
    // Without a custom URL the pro class keeps the exchange's own websocket URLs.
    const real = make({})
    expect(real.websocket).toBe(true)
    expect((real.exchange.urls.api as unknown as { ws: { spot: string } }).ws.spot).toContain('binance.com')
    await Promise.all([off.close(), bitopro.close(), real.close()])
  })
})
