import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HealthRing, RING_SLOTS, type RingSample } from '../../src/main/health/ring'
import { openDatabase } from '../../src/main/storage/database'
import { createEngine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { contract } from '../../src/shared/contract'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const MINUTE = 60_000
const T0 = Date.UTC(2026, 0, 5)

const sample = (at: number, p99 = 1): RingSample => ({
  at,
  eventLoopP50Ms: 0.5,
  eventLoopP99Ms: p99,
  rssBytes: 100,
  heapUsedBytes: 50,
  cpuShare: 0.01,
  exchanges: { binance: { p50: 10, p95: 20, p99: 30 } },
})

describe('the health ring', () => {
  it('keeps one sample a minute for a week: the table never grows past its slots and the oldest go first', () => {
    const db = openDatabase(join(tempDir(), 'ring.db'))
    const ring = new HealthRing(db)
    // A week and a day of minutes, in one transaction (this is the size the ring is for).
    db.transaction(() => {
      for (let i = 0; i < RING_SLOTS + 24 * 60; i++) ring.write(sample(T0 + i * MINUTE, i))
    })()
    expect(ring.count()).toBe(RING_SLOTS)
    const all = ring.since(0)
    expect(all).toHaveLength(RING_SLOTS)
    // The first day was overwritten by the eighth: the oldest left is a day after the start.
    expect(all[0]!.at).toBe(T0 + 24 * 60 * MINUTE)
    expect(all[all.length - 1]!.at).toBe(T0 + (RING_SLOTS + 24 * 60 - 1) * MINUTE)
    expect(all.every((s, i) => i === 0 || s.at - all[i - 1]!.at === MINUTE)).toBe(true)
    db.close()
  })

  it('wraps in a small ring too, and skips a row that no longer parses', () => {
    const db = openDatabase(join(tempDir(), 'small.db'))
    const ring = new HealthRing(db, 3)
    for (let i = 0; i < 5; i++) ring.write(sample(T0 + i * MINUTE, i))
    expect(ring.since(0).map((s) => s.eventLoopP99Ms)).toEqual([2, 3, 4])
    db.prepare("UPDATE health_samples SET figures = '{' WHERE at = ?").run(T0 + 3 * MINUTE)
    expect(ring.since(0).map((s) => s.eventLoopP99Ms)).toEqual([2, 4])
    expect(ring.since(T0 + 2 * MINUTE).map((s) => s.at)).toEqual([T0 + 4 * MINUTE])
    db.close()
  })

  it('survives a restart: the samples an engine recorded are in the next engine’s health.summary', async () => {
    const dir = tempDir()
    const first = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
    const written = new HealthRing(first.db)
    const now = Date.now()
    written.write(sample(now - 30 * MINUTE, 7))
    written.write(sample(now - 10 * MINUTE, 9))
    await first.close()

    const second = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
    try {
      const res = await second.registry.invoke('health.summary', {}, { transport: 'memory', peer: 'test' })
      if (!res.ok) throw new Error(res.error.message)
      const s = contract['health.summary'].result.parse(res.value)
      expect(s.history.map((h) => h.eventLoopP99Ms)).toEqual([7, 9])
      expect(s.history[0]!.exchanges.binance).toEqual({ p50: 10, p95: 20, p99: 30 })
    } finally {
      await second.close()
    }
  })
})
