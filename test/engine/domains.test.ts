import { describe, expect, it } from 'vitest'
import type { healthContract, HealthSummary } from '../../src/shared/contract/health'
import type { systemContract } from '../../src/shared/contract/system'
import type { Domain, HandlersOf } from '../../src/main/domain'
import { createEngine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { Parts } from '../../src/main/parts'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

describe('a domain is typed against its part of the contract', () => {
  it('refuses a missing, a misspelled or a wrongly shaped handler at compile time', () => {
    const info = { version: '1', host: 'headless' as const, dataDir: null, startedAt: 0 }
    // @ts-expect-error a system domain without `system.info`
    const missing: Domain<typeof systemContract> = { name: 'system', handlers: {} }
    const misspelled: HandlersOf<typeof systemContract> = {
      'system.info': () => info,
      // @ts-expect-error a name the contract does not have
      'system.infos': () => info,
    }
    const wrongShape: HandlersOf<typeof systemContract> = {
      // @ts-expect-error an answer that is not the contract's result
      'system.info': () => ({ version: 1 }),
    }
    // The checks above are the compiler's; at run time these are just objects.
    expect([missing, misspelled, wrongShape]).toHaveLength(3)
  })

  it('holds for a domain added by following ARCHITECTURE.md ("Adding a domain"): health', () => {
    const summary: HealthSummary = {
      engine: { version: '1', host: 'headless', startedAt: 0, uptimeMs: 0, process: null },
      database: {
        schemaVersion: 8,
        sizeBytes: null,
        walBytes: null,
        openCheck: { result: 'ok', timing: 'at-open', checkedAt: 0, durationMs: 0, problems: [] },
      },
      exchanges: [],
      backup: { lastVerifiedAt: null, ageMs: null, state: 'warning', advice: null },
      checks: [],
      history: [],
      trading: null,
      feeds: [],
    }
    // @ts-expect-error a health domain without `health.summary`
    const missing: Domain<typeof healthContract> = { name: 'health', handlers: {} }
    const misspelled: HandlersOf<typeof healthContract> = {
      'health.summary': () => summary,
      // @ts-expect-error a name the contract does not have
      'health.sumary': () => summary,
    }
    const wrongShape: HandlersOf<typeof healthContract> = {
      // @ts-expect-error an answer without the database part
      'health.summary': () => ({ engine: summary.engine, exchanges: [] }),
    }
    expect([missing, misspelled, wrongShape]).toHaveLength(3)
  })
})

describe('the engine parts', () => {
  it('start in order and close in reverse; one failing close does not stop the others', async () => {
    const seen: string[] = []
    const errors: string[] = []
    const parts = new Parts({ ...silentLogger, error: (m) => errors.push(m) })
    for (const name of ['a', 'b', 'c']) {
      parts.add({
        name,
        start: () => seen.push(`start ${name}`),
        close: async () => {
          seen.push(`close ${name}`)
          if (name === 'b') throw new Error('b is stuck')
        },
      })
    }
    parts.startAll()
    await Promise.all([parts.closeAll(), parts.closeAll()])
    expect(seen).toEqual(['start a', 'start b', 'start c', 'close c', 'close b', 'close a'])
    expect(errors).toEqual(['closing b failed'])
    expect(() => parts.add({ name: 'late' })).toThrow(/after the engine closed/)
  })

  it('closing the engine stops the streams it serves: no ticker arrives after close', async () => {
    const engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    const ticks: number[] = []
    const sub = engine.registry.subscribe(
      'market.tickers',
      {},
      { emit: () => ticks.push(Date.now()), end: () => {} },
      ctx,
    )
    expect(sub.ok).toBe(true)
    await expect.poll(() => ticks.length, { timeout: 2_000 }).toBeGreaterThan(3)
    await engine.close()
    const atClose = ticks.length
    // The demo tickers sample every 250 ms: a second is four chances to tick after close.
    await new Promise((r) => setTimeout(r, 1_000))
    expect(ticks.length).toBe(atClose)
  })
})
