import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Schedule } from '../../src/shared/contract/scheduler'
import { systemClock } from '../../src/main/clock'
import { silentLogger } from '../../src/main/log'
import { createSchedulerDomain, type SchedulerDomain } from '../../src/main/scheduler/domain'
import type { RunContext, TaskKind } from '../../src/main/scheduler/kinds'
import type { JobEvent } from '../../src/main/scheduler/ports'
import * as store from '../../src/main/scheduler/store'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import type { Db } from '../../src/main/storage/db'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const MIN = 60_000
const HOUR = 3_600_000
/** Monday 2 June 2025, 10:00 UTC. */
const T0 = Date.UTC(2025, 5, 2, 10)

/** A kind that records each run and does what `behave` says. */
function kind(
  id: string,
  schedule: Schedule,
  catchUp: 'run-once' | 'skip',
  behave: (ctx: RunContext) => Promise<string> = async () => 'done',
): TaskKind & { runs: RunContext[] } {
  const runs: RunContext[] = []
  return {
    kind: id,
    label: id,
    about: `test kind ${id}`,
    defaults: { schedule, enabled: true, catchUp },
    runs,
    run: (ctx) => {
      runs.push(ctx)
      return behave(ctx)
    },
  }
}

describe('scheduler', () => {
  let db: Db
  let file: string
  let mono = 0
  const domains: SchedulerDomain[] = []
  const events: JobEvent[] = []

  beforeEach(() => {
    // node-schedule's timers and Date are faked together; the monotonic clock is ours, so a
    // "sleep" is the wall clock jumping while it stands still.
    vi.useFakeTimers({
      now: T0,
      toFake: [
        'Date',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'setImmediate',
        'clearImmediate',
      ],
    })
    mono = 0
    events.length = 0
    file = join(tempDir(), 'candlework.db')
    db = openDatabase(file)
  })

  afterEach(async () => {
    for (const d of domains.splice(0)) await d.close?.()
    closeDatabase(db)
    vi.useRealTimers()
  })

  function start(kinds: TaskKind[], on: Db = db): SchedulerDomain {
    const d = createSchedulerDomain({
      db: on,
      clock: systemClock,
      log: silentLogger,
      kinds,
      events: { jobEvent: (e) => events.push(e) },
      monotonic: () => mono,
      wake: { everyMs: 30_000, jumpMs: 60_000 },
    })
    d.start?.()
    // The domain arms a turn of the event loop later (startSoon); these tests start at T0 exactly.
    d.service.start()
    domains.push(d)
    return d
  }

  /** Advances both clocks, as time passes while awake. */
  async function pass(ms: number): Promise<void> {
    mono += ms
    await vi.advanceTimersByTimeAsync(ms)
  }

  it('arms a turn of the event loop after start-up, or at its first use before that', async () => {
    const k = kind('tick', { type: 'cron', cron: '0 * * * *', timeZone: 'UTC' }, 'run-once')
    const make = (on: Db) =>
      createSchedulerDomain({ db: on, clock: systemClock, log: silentLogger, kinds: [k], wake: false })
    const soon = make(db)
    domains.push(soon)
    soon.start?.()
    expect(store.getTask(db, 'tick')).toBeNull()
    await vi.advanceTimersByTimeAsync(0)
    expect(store.getTask(db, 'tick')?.nextRunAt).toBe(T0 + HOUR)
    // Used before that turn: armed then.
    const other = openDatabase(join(tempDir(), 'other.db'))
    const used = make(other)
    used.start?.()
    expect(store.getTask(other, 'tick')).toBeNull()
    expect(used.service.list()[0]!.nextRuns[0]).toBe(T0 + HOUR)
    await used.close?.()
    closeDatabase(other)
  })

  it('runs a cron task at its times and records each run', async () => {
    const k = kind('tick', { type: 'cron', cron: '0 * * * *', timeZone: 'UTC' }, 'run-once')
    const d = start([k])
    expect(d.service.list()[0]!.nextRuns).toEqual([1, 2, 3, 4, 5].map((h) => T0 + h * HOUR))
    await pass(2 * HOUR + MIN)
    await d.service.idle()
    expect(k.runs.map((r) => r.scheduledFor)).toEqual([T0 + HOUR, T0 + 2 * HOUR])
    const task = d.service.list()[0]!
    expect(task.lastRun).toMatchObject({
      result: 'ok',
      message: 'done',
      trigger: 'schedule',
      scheduledFor: T0 + 2 * HOUR,
    })
    expect(task.nextRun).toBe(T0 + 3 * HOUR)
  })

  it('catches up once after a simulated sleep, not once per missed run (run-once)', async () => {
    const k = kind('every5', { type: 'interval', everyMs: 5 * MIN, timeZone: 'UTC' }, 'run-once')
    const d = start([k])
    await pass(5 * MIN + 1)
    await d.service.idle()
    expect(k.runs).toHaveLength(1)
    // Eight hours asleep: the wall clock jumps, timers and the monotonic clock stand still.
    vi.setSystemTime(Date.now() + 8 * HOUR)
    // The wake watch looks every 30 s and sees the wall clock 8 h ahead of the monotonic one.
    await pass(30_000)
    await d.service.idle()
    expect(k.runs).toHaveLength(2)
    expect(k.runs[1]!.scheduledFor).toBeGreaterThan(T0 + 8 * HOUR) // the last missed time
    const task = d.service.list()[0]!
    expect(task.lastRun).toMatchObject({ result: 'ok', trigger: 'catch-up' })
    // The next run counts from the wake, not from the missed times: no burst follows.
    expect(task.nextRun).toBeGreaterThan(Date.now())
    await pass(4 * MIN)
    await d.service.idle()
    expect(k.runs).toHaveLength(2)
    await pass(2 * MIN)
    await d.service.idle()
    expect(k.runs).toHaveLength(3)
  })

  it('skips missed runs with the skip policy, recording how many were missed', async () => {
    const k = kind('hourly', { type: 'cron', cron: '0 * * * *', timeZone: 'UTC' }, 'skip')
    const d = start([k])
    vi.setSystemTime(T0 + 5 * HOUR + 10 * MIN)
    d.resume() // as the desktop's powerMonitor 'resume' does
    await d.service.idle()
    expect(k.runs).toHaveLength(0)
    const task = d.service.list()[0]!
    expect(task.lastRun).toMatchObject({
      result: 'skipped',
      trigger: 'catch-up',
      scheduledFor: T0 + 5 * HOUR,
    })
    expect(task.lastRun!.message).toMatch(/^missed 5 runs /)
    expect(task.nextRun).toBe(T0 + 6 * HOUR)
  })

  it("runs several tasks' catch-ups one after another, not at once", async () => {
    let active = 0
    let most = 0
    const slow = async (): Promise<string> => {
      active++
      most = Math.max(most, active)
      await new Promise((r) => setTimeout(r, 1_000))
      active--
      return 'slow'
    }
    const a = kind('a', { type: 'interval', everyMs: HOUR, timeZone: 'UTC' }, 'run-once', slow)
    const b = kind('b', { type: 'interval', everyMs: HOUR, timeZone: 'UTC' }, 'run-once', slow)
    const d = start([a, b])
    vi.setSystemTime(T0 + 3 * HOUR)
    d.resume()
    await pass(3_000)
    await d.service.idle()
    expect([a.runs.length, b.runs.length]).toEqual([1, 1])
    expect(most).toBe(1)
  })

  it('records a failing task in words and raises a job_failed alert event', async () => {
    const k = kind('broken', { type: 'interval', everyMs: HOUR, timeZone: 'UTC' }, 'run-once', async () => {
      throw new Error('the exchange answered 503')
    })
    const d = start([k])
    const t = await d.handlers['scheduler.runNow']({ id: 'broken' }, { transport: 'memory', peer: 't' })
    expect(t.lastRun).toMatchObject({
      result: 'failed',
      message: 'the exchange answered 503',
      trigger: 'manual',
    })
    expect(events).toEqual([
      {
        event: 'failed',
        task: 'broken',
        label: 'broken',
        message: 'the exchange answered 503',
        at: Date.now(),
      },
    ])
  })

  it('keeps schedules and last runs across a restart, and catches up what was missed while closed', async () => {
    const k = kind('daily', { type: 'cron', cron: '0 6 * * *', timeZone: 'Europe/London' }, 'run-once')
    const d = start([k])
    await d.handlers['scheduler.update'](
      {
        id: 'daily',
        schedule: { type: 'cron', cron: '30 7 * * 1-5', timeZone: 'Europe/London' },
        catchUp: 'run-once',
      },
      { transport: 'memory', peer: 't' },
    )
    await d.service.runNow('daily')
    const before = d.service.list()[0]!
    expect(before.description).toBe('At 07:30, on Monday through Friday (Europe/London)')
    expect(before.nextRun).toBe(Date.UTC(2025, 5, 3, 6, 30)) // Tuesday 07:30 BST
    await d.close?.()
    domains.splice(0)
    closeDatabase(db)

    // Closed over two weekdays' runs; the same file opened again.
    vi.setSystemTime(Date.UTC(2025, 5, 4, 12))
    db = openDatabase(file)
    const k2 = kind('daily', { type: 'cron', cron: '0 6 * * *', timeZone: 'Europe/London' }, 'run-once')
    const d2 = start([k2])
    await d2.service.idle()
    expect(k2.runs).toHaveLength(1)
    expect(k2.runs[0]!.scheduledFor).toBe(Date.UTC(2025, 5, 4, 6, 30)) // the last missed run
    const after = d2.service.list()[0]!
    expect(after.schedule).toEqual({ type: 'cron', cron: '30 7 * * 1-5', timeZone: 'Europe/London' })
    expect(after.lastRun).toMatchObject({ result: 'ok', trigger: 'catch-up' })
    expect(after.nextRun).toBe(Date.UTC(2025, 5, 5, 6, 30))
  })

  it('refuses a bad cron naming the field, and describes a good one with its next runs', async () => {
    const d = start([kind('x', { type: 'interval', everyMs: HOUR, timeZone: 'UTC' }, 'skip')])
    const ctx = { transport: 'memory' as const, peer: 't' }
    await expect(
      Promise.resolve().then(() =>
        d.handlers['scheduler.update'](
          { id: 'x', schedule: { type: 'cron', cron: '0 24 * * *', timeZone: 'UTC' } },
          ctx,
        ),
      ),
    ).rejects.toMatchObject({
      kind: 'validation',
      path: 'params.schedule.cron',
      message: 'hour (field 2): 24 is out of range 0-23',
    })
    const r = await d.handlers['scheduler.describe']({ cron: '0 9 * * 1', timeZone: 'UTC' }, ctx)
    expect(r.description).toBe('At 09:00, on Monday (UTC)')
    expect(r.nextRuns[0]).toBe(Date.UTC(2025, 5, 9, 9))
    expect(r.nextRuns).toHaveLength(5)
  })
})
