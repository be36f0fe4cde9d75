import type { MigrationStep } from '../migration'

/**
 * The scheduler's tasks: one row per task kind (`id` is the kind), its schedule as validated
 * JSON (cron with time zone, or interval), whether it is enabled, its catch-up policy, and what
 * catch-up needs after a restart: `next_run_at`, the run it was armed for when the app last ran
 * (a value in the past on start is a missed run), and `anchor`, where an interval counts from.
 * The last run is kept on the row (start, the time it was due, duration, result, message, why it
 * ran); `scheduler_runs` keeps the recent runs of each task for the record.
 */
export const migration: MigrationStep = {
  name: 'scheduler: tasks with their schedule, catch-up policy, next and last run',
  up(db) {
    db.exec(`
    CREATE TABLE scheduled_tasks (
      id TEXT PRIMARY KEY,
      schedule TEXT NOT NULL,
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      catch_up TEXT NOT NULL CHECK (catch_up IN ('run-once', 'skip')),
      anchor INTEGER NOT NULL,
      next_run_at INTEGER,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE scheduler_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      task_id TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      scheduled_for INTEGER NOT NULL,
      duration_ms REAL NOT NULL,
      result TEXT NOT NULL CHECK (result IN ('ok', 'failed', 'skipped')),
      message TEXT NOT NULL,
      trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'catch-up', 'manual'))
    );
    CREATE INDEX scheduler_runs_by_task ON scheduler_runs (task_id, id);
    `)
  },
}
