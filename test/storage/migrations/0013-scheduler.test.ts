import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as schedulerMigration } from '../../../src/main/storage/migrations/0013-scheduler'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration 13: scheduler', () => {
  // Found by name, not position: the list is numbered by place and other branches add 10 and 11.
  const at = MIGRATIONS.findIndex((m) => m.name === schedulerMigration.name)

  it('creates the task and run tables', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'm13.db'))
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    const cols = (t: string) => (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name)
    expect(cols('scheduled_tasks')).toEqual([
      'id',
      'schedule',
      'enabled',
      'catch_up',
      'anchor',
      'next_run_at',
      'created_at',
      'updated_at',
    ])
    expect(cols('scheduler_runs')).toEqual([
      'id',
      'task_id',
      'started_at',
      'scheduled_for',
      'duration_ms',
      'result',
      'message',
      'trigger',
    ])
    // A catch-up policy or result outside the closed sets is refused by the table itself.
    expect(() =>
      db
        .prepare(
          `INSERT INTO scheduled_tasks (id, schedule, enabled, catch_up, anchor, created_at, updated_at) VALUES ('a', '{}', 1, 'burst', 0, 0, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/)
    expect(() =>
      db
        .prepare(
          `INSERT INTO scheduler_runs (task_id, started_at, scheduled_for, duration_ms, result, message, trigger) VALUES ('a', 0, 0, 0, 'maybe', '', 'manual')`,
        )
        .run(),
    ).toThrow(/CHECK/)
    // A task's latest run is read through the index.
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM scheduler_runs WHERE task_id = 'a' ORDER BY id DESC LIMIT 1")
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/scheduler_runs_by_task/)
    db.close()
  })
})
