import type { MigrationStep } from '../migration'

/**
 * Strategy runs on live accounts and on a schedule (docs/BACKTEST.md "Running strategies on
 * accounts", "Live runs", "Starting and stopping on a schedule"):
 * - `strategy_runs.live_armed_at` is when the trader armed the run to send live orders (the
 *   account's name typed at start); null for every run that is not armed (paper runs, and runs
 *   on a live account started before this existed, whose orders the order path keeps refusing).
 * - `strategy_runs.schedule` is what the scheduler's Start strategies and Stop strategies tasks
 *   do to the run (JSON `{ start, stop }`); null: neither touches it.
 */
export const migration: MigrationStep = {
  name: 'runner: live runs armed by the trader',
  up(db) {
    db.exec(`
    ALTER TABLE strategy_runs ADD COLUMN live_armed_at INTEGER;
    ALTER TABLE strategy_runs ADD COLUMN schedule TEXT;
    `)
  },
}
