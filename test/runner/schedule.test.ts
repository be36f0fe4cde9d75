/**
 * Strategy runs started and stopped by the scheduler: the Start strategies and Stop strategies
 * tasks (kinds `strategy-start`, `strategy-stop`) move the runs marked with runner.setSchedule;
 * Stop can close the run's own position at market. Through a real engine's registry (scheduler,
 * runner, trading and risk), and on the runner rig for the close.
 */
import { describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { runScheduleKinds } from '../../src/main/runner/schedule-kinds'
import { setRunState } from '../../src/main/runner/store'
import { contract } from '../../src/shared/contract'
import type { RunStart, StrategyRun } from '../../src/shared/contract/runner'
import type { Task } from '../../src/shared/contract/scheduler'
import { useTempDirs } from '../support/temp-dir'
import { bars, runnerRig } from './support'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

async function call<T>(engine: Engine, name: string, params: unknown): Promise<T> {
  const res = await engine.registry.invoke(name, params, ctx)
  if (!res.ok) throw Object.assign(new Error(`${name}: ${res.error.message}`), { error: res.error })
  return res.value as T
}

const start: RunStart = {
  strategyId: 'sma-cross',
  params: { fast: 2, slow: 3 },
  accountId: 'demo-paper',
  source: 'demo',
  symbol: 'BTC/USDT',
  timeframe: '1m',
  allocation: '500',
  protections: [],
}

describe('strategy runs on the scheduler', () => {
  it('Start strategies and Stop strategies are scheduler tasks that move the runs marked for them', async () => {
    const engine = createEngine({
      dataDir: tempDir(),
      host: 'headless',
      log: silentLogger,
      computeWorkers: 1,
    })
    try {
      const tasks = await call<Task[]>(engine, 'scheduler.list', {})
      expect(tasks.filter((t) => t.id.startsWith('strategy-'))).toMatchObject([
        { id: 'strategy-start', label: 'Start strategies', enabled: false, catchUp: 'skip' },
        { id: 'strategy-stop', label: 'Stop strategies', enabled: false, catchUp: 'skip' },
      ])
      const marked = await call<StrategyRun>(engine, 'runner.start', start)
      const other = await call<StrategyRun>(engine, 'runner.start', start)
      expect(marked.schedule).toEqual({ start: false, stop: 'no' })
      const set = await call<StrategyRun>(engine, 'runner.setSchedule', {
        runId: marked.id,
        schedule: { start: true, stop: 'pause' },
      })
      expect(contract['runner.setSchedule'].result.parse(set).schedule).toEqual({
        start: true,
        stop: 'pause',
      })

      // The trader sets the times (a weekday session) and switches the tasks on.
      await call(engine, 'scheduler.update', {
        id: 'strategy-stop',
        schedule: { type: 'cron', cron: '0 17 * * 1-5', timeZone: 'Europe/London' },
        enabled: true,
      })
      const stopped = await call<Task>(engine, 'scheduler.runNow', { id: 'strategy-stop' })
      expect(stopped.lastRun).toMatchObject({ result: 'ok', message: `paused 1 strategy run: ${marked.id}` })
      const state = async (id: string) =>
        (await call<StrategyRun[]>(engine, 'runner.list', {})).find((r) => r.id === id)!
      expect(await state(marked.id)).toMatchObject({
        state: 'paused',
        reason: 'paused by the schedule (Stop strategies)',
      })
      expect((await state(other.id)).state).toBe('running')

      const started = await call<Task>(engine, 'scheduler.runNow', { id: 'strategy-start' })
      expect(started.lastRun).toMatchObject({ result: 'ok', message: `resumed 1 strategy run: ${marked.id}` })
      expect((await state(marked.id)).state).toBe('running')
      // Nothing left to start: said so.
      expect((await call<Task>(engine, 'scheduler.runNow', { id: 'strategy-start' })).lastRun?.message).toBe(
        'no strategy run to start',
      )
      await expect(
        call(engine, 'runner.setSchedule', { runId: marked.id, schedule: { start: true, stop: 'later' } }),
      ).rejects.toMatchObject({ error: { kind: 'validation', path: 'params.schedule.stop' } })
    } finally {
      await engine.close()
    }
  })

  it('Stop with close flattens the run’s own position at market; Start leaves a run the trader or an error paused alone', async () => {
    const warmup = bars([100, 100, 100, 100, 99, 98])
    const [cross] = bars([102], 6)
    const rig = runnerRig(tempDir(), warmup)
    const [startKind, stopKind] = runScheduleKinds(rig.runner)
    const taskCtx = { signal: new AbortController().signal, scheduledFor: 0, now: 0, timeZone: 'UTC' }
    try {
      const run = await rig.runner.startRun(start)
      await rig.closeBar(cross!)
      expect(rig.runner.view(run.id).position).not.toBe('0')
      rig.runner.setSchedule(run.id, { start: true, stop: 'pause_and_close' })
      expect(await stopKind!.run(taskCtx)).toBe(`paused 1 strategy run: ${run.id}`)
      expect(rig.runner.view(run.id)).toMatchObject({ state: 'paused', position: '0' })

      // Start resumes plain pauses (the schedule's, the trader's)...
      rig.runner.resume(run.id)
      rig.runner.pause(run.id)
      expect(await startKind!.run(taskCtx)).toBe(`resumed 1 strategy run: ${run.id}`)
      // ...but not a run paused for a reason of its own (a reconcile, a file's error, the live
      // switch): that waits for the trader.
      setRunState(rig.setup.db, run.id, 'paused', 'Reconcile: the account holds less', null, 0)
      expect(await startKind!.run(taskCtx)).toBe('no strategy run to start')
      expect(rig.runner.view(run.id).state).toBe('paused')
    } finally {
      await rig.runner.close()
      rig.setup.risk.close()
      rig.setup.db.close()
    }
  })
})
