import type { MigrationStep } from '../migration'

/**
 * Strategy runs on live accounts (docs/BACKTEST.md "Running strategies on accounts", "Live
 * runs"): `strategy_runs.live_armed_at` is when the trader armed the run to send live orders
 * (the account's name typed at start); null for every run that is not armed (paper runs, and runs
 * on a live account started before this existed, whose orders the order path keeps refusing).
 */
export const migration: MigrationStep = {
  name: 'runner: live runs armed by the trader',
  up(db) {
    db.exec(`ALTER TABLE strategy_runs ADD COLUMN live_armed_at INTEGER`)
  },
}
