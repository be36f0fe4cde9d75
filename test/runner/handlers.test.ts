/**
 * The runner through the engine's own registry on a real database file and the demo market's
 * live feed: a run decides on the feed's next closed bar (the clock is moved a minute on, the
 * feed's next sample closes the bar), is paused, resumed and stopped; bad input names its field.
 */
import { describe, expect, it, vi } from 'vitest'
import { contract } from '../../src/shared/contract'
import type { StrategyRun } from '../../src/shared/contract/runner'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

async function call(engine: Engine, name: string, params: unknown): Promise<unknown> {
  const res = await engine.registry.invoke(name, params, ctx)
  if (!res.ok) throw Object.assign(new Error(`${name}: ${res.error.message}`), { error: res.error })
  return res.value
}

const run = async (engine: Engine, name: string, params: unknown): Promise<StrategyRun> =>
  contract['runner.start'].result.parse(await call(engine, name, params))

describe('runner commands on a real engine', () => {
  it('starts sma-cross on demo BTC/USDT 1m, decides on the next closed bar, pauses, resumes and stops', async () => {
    const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs }
    const engine = createEngine({
      dataDir: tempDir(),
      host: 'headless',
      log: silentLogger,
      clock,
      computeWorkers: 1,
    })
    try {
      const started = await run(engine, 'runner.start', {
        strategyId: 'sma-cross',
        params: { fast: 2, slow: 5 },
        accountId: 'demo-paper',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        allocation: '1000',
      })
      expect(started).toMatchObject({ state: 'running', source: 'demo', position: '0', intents: 0 })
      const first = started.lastBarTime!
      expect(first).toBeGreaterThan(0)
      // A minute on: the feed's next sample closes the forming bar and the run decides on it.
      clock.offsetMs += 60_000
      await vi.waitFor(
        async () => {
          const [r] = contract['runner.list'].result.parse(await call(engine, 'runner.list', {}))
          expect(r!.lastBarTime).toBeGreaterThan(first)
        },
        { timeout: 5_000, interval: 50 },
      )
      expect((await run(engine, 'runner.pause', { runId: started.id })).state).toBe('paused')
      expect((await run(engine, 'runner.resume', { runId: started.id })).state).toBe('running')
      const stopped = await run(engine, 'runner.stop', { runId: started.id, closePositions: true })
      expect(stopped).toMatchObject({ state: 'stopped', position: '0' })
    } finally {
      await engine.close()
    }
  })

  it('refuses bad input naming the field', async () => {
    const engine = createEngine({
      dataDir: tempDir(),
      host: 'headless',
      log: silentLogger,
      computeWorkers: 1,
    })
    try {
      const base = {
        strategyId: 'sma-cross',
        accountId: 'demo-paper',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        allocation: '1000',
      }
      await expect(
        call(engine, 'runner.start', { ...base, params: { fast: 9, slow: 5 } }),
      ).rejects.toMatchObject({
        error: { kind: 'validation', path: 'params.params.fast' },
      })
      await expect(call(engine, 'runner.start', { ...base, allocation: '-5' })).rejects.toMatchObject({
        error: { kind: 'validation' },
      })
      await expect(call(engine, 'runner.start', { ...base, accountId: 'nope' })).rejects.toMatchObject({
        error: { kind: 'not_found', path: 'params.accountId' },
      })
      await expect(call(engine, 'runner.start', { ...base, params: { stopLoss: 2 } })).rejects.toMatchObject({
        error: {
          kind: 'validation',
          path: 'params.params',
          message: expect.stringContaining('not run live yet') as unknown,
        },
      })
    } finally {
      await engine.close()
    }
  })
})
