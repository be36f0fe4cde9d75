import { scheduleSchema, type CatchUp, type Schedule, type TaskRun } from '../../shared/contract/scheduler'
import type { Db } from '../storage/db'
import { perConnection } from '../storage/statements'

/** One row of `scheduled_tasks`, parsed (migration 0013). */
export interface TaskRow {
  id: string
  schedule: Schedule
  enabled: boolean
  catchUp: CatchUp
  /** Where an interval counts from: its last run, or when it was scheduled. */
  anchor: number
  /** The run it is armed for; one in the past on start (or after a sleep) is a missed run. */
  nextRunAt: number | null
  createdAt: number
  updatedAt: number
}

interface RawTask {
  id: string
  schedule: string
  enabled: number
  catch_up: CatchUp
  anchor: number
  next_run_at: number | null
  created_at: number
  updated_at: number
}

interface RawRun {
  started_at: number
  scheduled_for: number
  duration_ms: number
  result: TaskRun['result']
  message: string
  trigger: TaskRun['trigger']
}

/** Runs kept per task. */
export const RUNS_KEPT = 50

const statements = perConnection((db) => ({
  get: db.prepare<[string], RawTask>('SELECT * FROM scheduled_tasks WHERE id = ?'),
  upsert: db.prepare(
    `INSERT INTO scheduled_tasks (id, schedule, enabled, catch_up, anchor, next_run_at, created_at, updated_at)
     VALUES (@id, @schedule, @enabled, @catch_up, @anchor, @next_run_at, @created_at, @updated_at)
     ON CONFLICT (id) DO UPDATE SET schedule = excluded.schedule, enabled = excluded.enabled,
       catch_up = excluded.catch_up, anchor = excluded.anchor, next_run_at = excluded.next_run_at,
       updated_at = excluded.updated_at`,
  ),
  setNext: db.prepare<[number | null, number, string]>(
    'UPDATE scheduled_tasks SET next_run_at = ?, anchor = ? WHERE id = ?',
  ),
  insertRun: db.prepare(
    `INSERT INTO scheduler_runs (task_id, started_at, scheduled_for, duration_ms, result, message, trigger)
     VALUES (@task_id, @started_at, @scheduled_for, @duration_ms, @result, @message, @trigger)`,
  ),
  prune: db.prepare<[string, string, number]>(
    `DELETE FROM scheduler_runs WHERE task_id = ? AND id <= (
       SELECT id FROM scheduler_runs WHERE task_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
  ),
  runs: db.prepare<[string, number], RawRun>(
    'SELECT * FROM scheduler_runs WHERE task_id = ? ORDER BY id DESC LIMIT ?',
  ),
}))

function parse(r: RawTask): TaskRow {
  return {
    id: r.id,
    // Parsed, not trusted: a row written by a later version with a schedule this one cannot read fails here.
    schedule: scheduleSchema.parse(JSON.parse(r.schedule)),
    enabled: r.enabled === 1,
    catchUp: r.catch_up,
    anchor: r.anchor,
    nextRunAt: r.next_run_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function getTask(db: Db, id: string): TaskRow | null {
  const r = statements(db).get.get(id)
  return r ? parse(r) : null
}

export function saveTask(db: Db, t: TaskRow): void {
  statements(db).upsert.run({
    id: t.id,
    schedule: JSON.stringify(t.schedule),
    enabled: t.enabled ? 1 : 0,
    catch_up: t.catchUp,
    anchor: t.anchor,
    next_run_at: t.nextRunAt,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  })
}

export function setNextRun(db: Db, id: string, nextRunAt: number | null, anchor: number): void {
  statements(db).setNext.run(nextRunAt, anchor, id)
}

/** Records a run and keeps only the newest `RUNS_KEPT` of the task, in one transaction. */
export function recordRun(db: Db, taskId: string, run: TaskRun): void {
  const s = statements(db)
  db.transaction(() => {
    s.insertRun.run({
      task_id: taskId,
      started_at: run.startedAt,
      scheduled_for: run.scheduledFor,
      duration_ms: run.durationMs,
      result: run.result,
      message: run.message,
      trigger: run.trigger,
    })
    s.prune.run(taskId, taskId, RUNS_KEPT)
  })()
}

/** The newest runs of a task, newest first. */
export function recentRuns(db: Db, taskId: string, limit: number): TaskRun[] {
  return statements(db)
    .runs.all(taskId, limit)
    .map((r) => ({
      startedAt: r.started_at,
      scheduledFor: r.scheduled_for,
      durationMs: r.duration_ms,
      result: r.result,
      message: r.message,
      trigger: r.trigger,
    }))
}
