import { scheduleJob, type Job } from 'node-schedule'
import { performance } from 'node:perf_hooks'
import { AppError } from '../../shared/contract/errors'
import type { CatchUp, Schedule, SchedulerUpdate, Task, TaskRun } from '../../shared/contract/scheduler'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import type { Db } from '../storage/db'
import { describeSchedule, nextRuns, runsAfter } from './cron'
import type { TaskKind, TaskKinds } from './kinds'
import type { JobEvents } from './ports'
import * as store from './store'
import { watchForWake } from './wake'

export interface SchedulerDeps {
  db: Db
  clock: Clock
  log: Logger
  kinds: TaskKinds
  /** Where a failing task's event goes (the alerts domain); none: the failure is only recorded. */
  events?: JobEvents
  /** A monotonic clock in ms (performance.now); tests pass their own to simulate a sleep. */
  monotonic?: () => number
  /** The wake watch (wake.ts): how often it looks and how far the wall clock must jump. */
  wake?: { everyMs?: number; jumpMs?: number } | false
  /** A run firing later than this after its time was missed (a sleep delays timers); default 2 min. */
  lateMs?: number
}

/** Missed runs counted at most, for the words of a skipped catch-up. */
const MAX_COUNTED = 1_000

/**
 * Runs the registered task kinds on their stored schedules (docs/ARCHITECTURE.md "Scheduler").
 *
 * Each enabled task has one node-schedule job, armed for its next run only; when it fires the
 * task runs and the next one is armed. The next run is stored before the run starts, so on
 * start (or after a sleep, `resume`) a stored next run in the past is a missed run: caught up
 * once (`run-once`), or recorded as skipped (`skip`), never once per missed time. Catch-ups of
 * several tasks run one after another, not all at once. A task never runs twice at the same time.
 */
export class SchedulerService {
  private readonly jobs = new Map<string, Job>()
  private readonly running = new Map<string, Promise<TaskRun>>()
  private readonly listeners = new Set<(u: SchedulerUpdate) => void>()
  private readonly aborter = new AbortController()
  private catchUps: Promise<unknown> = Promise.resolve()
  private stopWake: (() => void) | null = null
  private started = false
  private pending: NodeJS.Immediate | null = null
  private closed = false

  constructor(private readonly deps: SchedulerDeps) {}

  private get now(): number {
    return this.deps.clock.now()
  }

  private mono(): number {
    return (this.deps.monotonic ?? (() => performance.now()))()
  }

  /**
   * Arms the tasks (`start`) a turn of the event loop from now, or at the scheduler's first use
   * before that: arming reads the system's time zone and locale the first time (~30 ms), which
   * the host need not spend before it answers.
   */
  startSoon(): void {
    if (this.started || this.pending || this.closed) return
    this.pending = setImmediate(() => this.start())
  }

  /** Arms now what `startSoon` put off (every public method calls it first). */
  private begin(): void {
    if (this.pending) this.start()
  }

  /** Stores a task for each kind without one, then arms every enabled task, catching up what was missed. */
  start(): void {
    if (this.pending) clearImmediate(this.pending)
    this.pending = null
    if (this.started || this.closed) return
    this.started = true
    for (const kind of this.deps.kinds.all()) this.adopt(kind)
    this.deps.kinds.onRegister((kind) => this.adopt(kind))
    this.settleAll('start')
    if (this.deps.wake !== false) {
      this.stopWake = watchForWake({
        now: () => this.now,
        monotonic: () => this.mono(),
        ...this.deps.wake,
        onWake: (ms) => {
          this.deps.log.info('woke up: re-arming scheduled tasks', { sleptMs: Math.round(ms) })
          this.resume()
        },
      })
    }
  }

  /**
   * After a sleep (Electron's powerMonitor 'resume', or the wall clock jumping ahead of the
   * monotonic one): every job is re-armed from the wall clock, and each task whose run was missed
   * is caught up once or skipped, by its policy.
   */
  resume(): void {
    this.begin()
    if (!this.started || this.closed) return
    this.settleAll('resume')
  }

  list(): Task[] {
    this.begin()
    return this.deps.kinds
      .all()
      .map((k) => store.getTask(this.deps.db, k.kind))
      .filter((r): r is store.TaskRow => r !== null)
      .map((r) => this.present(r))
  }

  update(id: string, patch: { schedule?: Schedule; enabled?: boolean; catchUp?: CatchUp }): Task {
    this.begin()
    const { kind, row } = this.task(id)
    const now = this.now
    if (patch.schedule) nextRuns(patch.schedule, now, 1, now) // throws `validation` naming the cron field
    const rescheduled = patch.schedule !== undefined || (patch.enabled === true && !row.enabled)
    const next: store.TaskRow = {
      ...row,
      schedule: patch.schedule ?? row.schedule,
      enabled: patch.enabled ?? row.enabled,
      catchUp: patch.catchUp ?? row.catchUp,
      // A new schedule (or switching on) counts from now, and nothing before now is "missed".
      anchor: rescheduled ? now : row.anchor,
      nextRunAt: rescheduled ? null : row.nextRunAt,
      updatedAt: now,
    }
    store.saveTask(this.deps.db, next)
    this.arm(next)
    if (patch.enabled === true && !row.enabled) {
      kind.onEnabled?.().catch((err: unknown) => this.deps.log.warn(`switching on ${kind.label}`, err))
    }
    return this.changed(id)
  }

  /** Runs a task now and answers when it is done; `conflict` while it runs. */
  async runNow(id: string): Promise<Task> {
    this.begin()
    const { kind, row } = this.task(id)
    if (this.running.has(id)) throw new AppError('conflict', `${kind.label} is running now`, 'params.id')
    await this.execute(kind, row, 'manual', this.now)
    return this.present(store.getTask(this.deps.db, id)!)
  }

  subscribe(listener: (u: SchedulerUpdate) => void): () => void {
    this.begin()
    this.listeners.add(listener)
    listener({ type: 'snapshot', tasks: this.list() })
    return () => this.listeners.delete(listener)
  }

  /** Runs in progress (tests wait for them). */
  async idle(): Promise<void> {
    this.begin()
    await this.catchUps
    await Promise.allSettled([...this.running.values()])
  }

  /** Cancels every job, aborts runs in progress and waits for them to end. */
  async close(): Promise<void> {
    this.closed = true
    if (this.pending) clearImmediate(this.pending)
    this.pending = null
    this.stopWake?.()
    this.deps.kinds.onRegister(null)
    for (const job of this.jobs.values()) job.cancel()
    this.jobs.clear()
    this.listeners.clear()
    this.aborter.abort(new AppError('unavailable', 'engine closing'))
    await Promise.allSettled([...this.running.values()])
  }

  // --- arming ---------------------------------------------------------------------------

  private adopt(kind: TaskKind): void {
    if (store.getTask(this.deps.db, kind.kind)) {
      if (this.started && !this.closed) this.settle(kind.kind, 'start')
      return
    }
    const now = this.now
    const row: store.TaskRow = {
      id: kind.kind,
      ...kind.defaults,
      anchor: now,
      nextRunAt: null,
      createdAt: now,
      updatedAt: now,
    }
    store.saveTask(this.deps.db, row)
    if (this.started && !this.closed) this.arm(row)
  }

  private settleAll(why: 'start' | 'resume'): void {
    for (const kind of this.deps.kinds.all()) this.settle(kind.kind, why)
  }

  /**
   * Arms a task from its stored next run: one still ahead is armed as it is; one behind now was
   * missed (app closed, machine asleep, or its timer fired late) and is caught up once or skipped.
   */
  private settle(id: string, why: 'start' | 'resume' | 'timer'): void {
    const kind = this.deps.kinds.get(id)
    const row = store.getTask(this.deps.db, id)
    if (!kind || !row) return
    if (!row.enabled) return this.arm(row)
    const now = this.now
    const due = row.nextRunAt
    if (due === null || due > now) return this.arm(row)
    const late = now - due > (this.deps.lateMs ?? 120_000)
    if (why === 'timer' && !late) {
      // On time: run, and arm the next one (stored first, so a crash mid-run is not run again).
      const anchor = row.schedule.type === 'interval' ? due : row.anchor
      this.arm({ ...row, anchor, nextRunAt: null })
      void this.execute(kind, row, 'schedule', due)
      return
    }
    const missed = this.missed(row.schedule, due, now, row.anchor)
    // Re-armed from now: an interval counts from now, not from the missed times (no burst).
    this.arm({ ...row, anchor: now, nextRunAt: null })
    if (row.catchUp === 'skip') {
      this.skipped(row, now, missed)
      return
    }
    // One catch-up per task, and one task's catch-up after another's.
    this.catchUps = this.catchUps.then(async () => {
      if (this.closed || this.running.has(id)) return
      await this.execute(kind, row, 'catch-up', missed.last)
    })
  }

  private missed(
    schedule: Schedule,
    due: number,
    now: number,
    anchor: number,
  ): { count: number; last: number } {
    let count = 1
    let last = due
    try {
      for (const t of runsAfter(schedule, due, schedule.type === 'interval' ? due : anchor)) {
        if (t > now || count >= MAX_COUNTED) break
        count++
        last = t
      }
    } catch {
      // A schedule that stopped making sense counts as one missed run.
    }
    return { count, last }
  }

  private skipped(row: store.TaskRow, now: number, missed: { count: number; last: number }): void {
    const runs =
      missed.count >= MAX_COUNTED
        ? `over ${MAX_COUNTED} runs`
        : missed.count === 1
          ? '1 run'
          : `${missed.count} runs`
    const run: TaskRun = {
      startedAt: now,
      scheduledFor: missed.last,
      durationMs: 0,
      result: 'skipped',
      message: `missed ${runs} while the app was closed or the machine asleep (catch-up: skip)`,
      trigger: 'catch-up',
    }
    store.recordRun(this.deps.db, row.id, run)
    this.changed(row.id)
  }

  /** Arms the task's next run (from `nextRunAt` when it is ahead, else the schedule's next after now), or disarms it. */
  private arm(row: store.TaskRow): void {
    this.jobs.get(row.id)?.cancel()
    this.jobs.delete(row.id)
    const now = this.now
    let next: number | null = null
    if (row.enabled && !this.closed) {
      try {
        next =
          row.nextRunAt !== null && row.nextRunAt > now
            ? row.nextRunAt
            : nextRuns(row.schedule, now, 1, row.anchor)[0]!
      } catch (err) {
        this.deps.log.error('task not armed: its schedule cannot run', { task: row.id, err })
      }
    }
    store.setNextRun(this.deps.db, row.id, next, row.anchor)
    if (next === null || !this.started) return
    const at = next
    const job = scheduleJob(new Date(at), () => {
      if (this.jobs.get(row.id) === job) this.jobs.delete(row.id)
      const current = store.getTask(this.deps.db, row.id)
      if (current?.nextRunAt === at) this.settle(row.id, 'timer')
    })
    if (job) this.jobs.set(row.id, job)
    else setImmediate(() => this.settle(row.id, 'timer')) // node-schedule refuses a date already past
  }

  // --- running --------------------------------------------------------------------------

  private execute(
    kind: TaskKind,
    row: store.TaskRow,
    trigger: TaskRun['trigger'],
    scheduledFor: number,
  ): Promise<TaskRun> {
    const existing = this.running.get(row.id)
    if (existing) {
      this.deps.log.warn('task still running: this run is left out', { task: row.id, scheduledFor })
      return existing
    }
    const p = this.run(kind, row, trigger, scheduledFor).finally(() => {
      this.running.delete(row.id)
      if (!this.closed) this.changed(row.id)
    })
    this.running.set(row.id, p)
    this.changed(row.id)
    return p
  }

  private async run(
    kind: TaskKind,
    row: store.TaskRow,
    trigger: TaskRun['trigger'],
    scheduledFor: number,
  ): Promise<TaskRun> {
    const startedAt = this.now
    const t0 = this.mono()
    let result: TaskRun['result'] = 'ok'
    let message: string
    try {
      message = await kind.run({
        signal: this.aborter.signal,
        scheduledFor,
        now: startedAt,
        timeZone: row.schedule.timeZone,
      })
    } catch (err) {
      result = 'failed'
      message = errorWords(err)
      if (!(err instanceof AppError)) this.deps.log.error('task failed', { task: row.id, err })
    }
    const run: TaskRun = {
      startedAt,
      scheduledFor,
      durationMs: Math.max(0, this.mono() - t0),
      result,
      message,
      trigger,
    }
    if (this.closed && this.aborter.signal.aborted && result === 'failed') {
      // Stopped by the engine closing: recorded as such, and no alert for it.
      run.message = `stopped: the engine closed (${message})`
      store.recordRun(this.deps.db, row.id, run)
      return run
    }
    store.recordRun(this.deps.db, row.id, run)
    if (result === 'failed') {
      try {
        this.deps.events?.jobEvent({
          event: 'failed',
          task: row.id,
          label: kind.label,
          message,
          at: this.now,
        })
      } catch (err) {
        this.deps.log.error('job failure not raised as an alert event', { task: row.id, err })
      }
    }
    return run
  }

  // --- presenting -----------------------------------------------------------------------

  private task(id: string): { kind: TaskKind; row: store.TaskRow } {
    const kind = this.deps.kinds.get(id)
    const row = kind ? store.getTask(this.deps.db, id) : null
    if (!kind || !row) throw new AppError('not_found', `No scheduled task ${id}`, 'params.id')
    return { kind, row }
  }

  private present(row: store.TaskRow): Task {
    const kind = this.deps.kinds.get(row.id)!
    let description: string
    let upcoming: number[] = []
    try {
      description = describeSchedule(row.schedule)
      if (row.enabled && row.nextRunAt !== null)
        upcoming = [row.nextRunAt, ...nextRuns(row.schedule, row.nextRunAt, 4, row.nextRunAt)]
    } catch (err) {
      description = `cannot run: ${errorWords(err)}`
    }
    return {
      id: row.id,
      label: kind.label,
      about: kind.about,
      schedule: row.schedule,
      description,
      enabled: row.enabled,
      catchUp: row.catchUp,
      nextRuns: upcoming,
      nextRun: upcoming[0] ?? null,
      running: this.running.has(row.id),
      lastRun: store.recentRuns(this.deps.db, row.id, 1)[0] ?? null,
    }
  }

  private changed(id: string): Task {
    const task = this.present(store.getTask(this.deps.db, id)!)
    for (const l of [...this.listeners]) {
      try {
        l({ type: 'task', task })
      } catch (err) {
        this.deps.log.error('scheduler listener failed', err)
      }
    }
    return task
  }
}

/** An error in words for the run's record: an AppError's message, else the error's, never a stack. */
function errorWords(err: unknown): string {
  if (err instanceof AppError) return err.message
  if (err instanceof Error && err.message) return err.message
  return 'failed'
}
