import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contract } from '../../src/shared/contract'
import type { HealthSummary } from '../../src/shared/contract/health'
import { APP_VERSION, createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { MIGRATIONS } from '../../src/main/storage/migrations'
import { startSimulator } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const
const HOUR = 3_600_000

async function call(engine: Engine, name: string, params: unknown): Promise<unknown> {
  const res = await engine.registry.invoke(name, params, ctx)
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`)
  return res.value
}

/** health.summary through the engine's own registry, checked against the contract's schema. */
async function summary(engine: Engine): Promise<HealthSummary> {
  return contract['health.summary'].result.parse(await call(engine, 'health.summary', {}))
}

describe('health.summary on a real engine and database file', () => {
  it('reports uptime and version, the database file as it is, and no exchanges before any is used', async () => {
    const dir = tempDir()
    const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs }
    const engine = createEngine({ dataDir: dir, host: 'headless', log: silentLogger, clock })
    try {
      clock.offsetMs = 2 * HOUR + 13 * 60_000
      const s = await summary(engine)
      expect(s.engine).toMatchObject({ version: APP_VERSION, host: 'headless' })
      expect(s.engine.uptimeMs).toBeGreaterThanOrEqual(2 * HOUR + 13 * 60_000)
      expect(s.engine.uptimeMs).toBeLessThan(2 * HOUR + 14 * 60_000)

      expect(s.database.schemaVersion).toBe(MIGRATIONS.length)
      const file = join(dir, 'candlework.db')
      expect(s.database.sizeBytes).toBe(statSync(file).size)
      expect(s.database.walBytes).toBe(statSync(`${file}-wal`).size)
      expect(s.database.openCheck).toMatchObject({ result: 'ok', timing: 'at-open', problems: [] })
      expect(s.database.openCheck.durationMs).toBeGreaterThanOrEqual(0)
      expect(s.database.openCheck.checkedAt).toBeLessThanOrEqual(Date.now())

      expect(s.exchanges).toEqual([])
    } finally {
      await engine.close()
    }
  })

  it('checks a cleanly closed file on a worker thread after start-up, and says so', async () => {
    const dir = tempDir()
    await createEngine({ dataDir: dir, host: 'headless', log: silentLogger }).close()
    const engine = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
    try {
      expect((await summary(engine)).database.openCheck).toMatchObject({
        result: 'checking',
        timing: 'in-background',
      })
      await expect
        .poll(async () => (await summary(engine)).database.openCheck.result, { timeout: 15_000 })
        .toBe('ok')
      const check = (await summary(engine)).database.openCheck
      expect(check).toMatchObject({ timing: 'in-background', problems: [] })
      expect(check.checkedAt).toBeLessThanOrEqual(Date.now())
    } finally {
      await engine.close()
    }
  })

  it('lists a stored connection with the hub health of its requests, and an exchange used without one', async () => {
    const sim = await startSimulator()
    const engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    try {
      await call(engine, 'exchange.configure', { exchange: 'binance', apiUrl: sim.url })
      // Stored but not used yet: listed, with no health until the first request.
      const before = await summary(engine)
      expect(before.exchanges).toEqual([
        { exchange: 'binance', endpoint: 'custom', apiUrl: sim.url, hasKeys: false, health: null },
      ])

      await call(engine, 'exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })
      // Made on first use with its defaults, never stored: kraken is only in the hub.
      await call(engine, 'exchange.health', { exchange: 'kraken' })

      const s = await summary(engine)
      expect(s.exchanges.map((e) => e.exchange)).toEqual(['binance', 'kraken'])
      const [binance, kraken] = s.exchanges
      // The very figures the hub reports through `exchange.health` (no request in between).
      expect(s.exchanges.map((e) => e.health)).toEqual(await call(engine, 'exchange.health', {}))
      expect(binance!.health).toMatchObject({ exchange: 'binance', state: 'closed', consecutiveFailures: 0 })
      expect(binance!.health!.samples).toBeGreaterThan(0)
      expect(binance!.health!.score).not.toBeNull()
      expect(binance!.health!.latencyMs.p50).toBeGreaterThan(0)
      // Real ccxt over HTTP: the weight from the simulator's X-MBX-USED-WEIGHT-1M header, the
      // limit from the REQUEST_WEIGHT entry of its exchangeInfo (fetched with the markets).
      const weight = binance!.health!.requestWeight!
      expect(weight).toMatchObject({ limit: 6000, intervalMs: 60_000 })
      expect(weight.used).toBeGreaterThan(0)
      expect(weight.share).toBeCloseTo(weight.used / 6000, 9)
      expect(binance!.health!.websocket.state).not.toBe('disconnected')
      // Used for prices only (nothing signed): Health measured its clock offset against the simulator's.
      expect(binance!.health!.clockSkew).toMatchObject({ exchange: 'binance', withinWindow: true })
      expect(Math.abs(binance!.health!.clockSkew!.offsetMs)).toBeLessThan(1_000)
      expect(kraken!.health!.requestWeight).toBeNull()
      // The risk engine's states are on Health too: all ACTIVE on a fresh folder.
      expect(s.trading!.global.state).toBe('ACTIVE')
      expect(s.checks.find((c) => c.item === 'trading.global')).toMatchObject({ state: 'ok', advice: null })
      expect(kraken).toMatchObject({ endpoint: 'default', apiUrl: null, hasKeys: false })
      expect(kraken!.health).toMatchObject({ exchange: 'kraken', state: 'closed', samples: 0, score: null })
    } finally {
      await engine.close()
      await sim.close()
    }
  })
})
