import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/main/log'
import { ExchangeHub } from '../../src/main/exchange/hub'
import { useTempDirs } from '../support/temp-dir'
import { expectOk, useRig } from './support'

const newDir = useTempDirs()
const rig = useRig(newDir)

describe('exchange handlers', () => {
  it('lists every ccxt exchange with its name, credentials and websocket support', async () => {
    const { invoke } = await rig()
    const list = expectOk(await invoke('exchange.list', {}))
    expect(list.map((e) => e.id)).toEqual(ccxt.exchanges)
    expect(list.find((e) => e.id === 'binance')).toEqual({
      id: 'binance',
      name: 'Binance',
      credentials: ['apiKey', 'secret'],
      websocket: true,
    })
    expect(list.find((e) => e.id === 'bit2c')?.websocket).toBe(false)
  })

  it('keeps connection settings, refuses what ccxt cannot do, and validates input', async () => {
    const { invoke, sim } = await rig()
    expect(expectOk(await invoke('exchange.connections', {}))).toEqual([
      {
        exchange: 'binance',
        source: 'binance:custom',
        apiUrl: sim.url,
        sandbox: false,
        recvWindowMs: 10_000,
        adjustForTimeDifference: true,
        websocket: true,
        maskedKey: null,
      },
    ])
    const c = expectOk(await invoke('exchange.configure', { exchange: 'binance', recvWindowMs: 5_000 }))
    expect(c).toMatchObject({ apiUrl: sim.url, recvWindowMs: 5_000 })
    // bit2c has no testnet in ccxt.
    expect(await invoke('exchange.configure', { exchange: 'bit2c', sandbox: true })).toMatchObject({
      ok: false,
      error: { kind: 'validation' },
    })
    expect(await invoke('exchange.configure', { exchange: 'binance', apiUrl: 'ftp://x' })).toMatchObject({
      ok: false,
      error: { kind: 'validation', path: 'params.apiUrl' },
    })
    expect(await invoke('exchange.configure', { exchange: 'Not An Id' })).toMatchObject({
      ok: false,
      error: { kind: 'validation' },
    })
    // Back to the real exchange: the source becomes plain `binance`.
    expect(expectOk(await invoke('exchange.configure', { exchange: 'binance', apiUrl: null })).source).toBe(
      'binance',
    )
  })

  it('keeps keys across a restart and removes them on request', async () => {
    const { invoke, sim, db, secrets, clock } = await rig()
    const set = expectOk(
      await invoke('exchange.setKeys', {
        exchange: 'binance',
        apiKey: sim.apiKey,
        secret: sim.secret,
        verify: false,
      }),
    )
    expect(set).toEqual({
      exchange: 'binance',
      maskedKey: `${sim.apiKey.slice(0, 4)}…${sim.apiKey.slice(-4)}`,
      verified: false,
    })
    expect(await secrets.list()).toEqual(['exchange:binance'])

    const restarted = new ExchangeHub({
      db,
      clock,
      log: silentLogger,
      secrets,
      connectionOptions: { rateLimitMs: 1 },
    })
    try {
      const connection = await restarted.connection('binance')
      expect(connection.hasKeys).toBe(true)
      const balance = await connection.call('fetchBalance', (ex) => ex.fetchBalance(), { signed: true })
      expect(balance['USDT']?.free).toBe(100_000)
    } finally {
      await restarted.close()
    }

    expect(expectOk(await invoke('exchange.removeKeys', { exchange: 'binance' }))).toEqual({
      exchange: 'binance',
      removed: true,
    })
    expect(await secrets.list()).toEqual([])
    expect(expectOk(await invoke('exchange.connections', {}))[0]?.maskedKey).toBeNull()
    expect(expectOk(await invoke('exchange.removeKeys', { exchange: 'binance' })).removed).toBe(false)
  })

  it('answers health for an exchange before its first request', async () => {
    const { invoke } = await rig()
    expect(expectOk(await invoke('exchange.health', {}))).toEqual([])
    expect(expectOk(await invoke('exchange.health', { exchange: 'binance' }))).toEqual([
      {
        exchange: 'binance',
        state: 'closed',
        score: null,
        successRate: null,
        samples: 0,
        consecutiveFailures: 0,
        latencyMs: { p50: null, p95: null, p99: null },
        openUntil: null,
        lastError: null,
        lastErrorAt: null,
        clockSkew: null,
        // No answer has said its request weight yet; a websocket connection with nothing streaming.
        requestWeight: null,
        websocket: { state: 'idle', clients: 0, lastMessageAt: null, lastMessageAgeMs: null },
      },
    ])
  })
})
