import type { MigrationStep } from '../migration'

/**
 * Strategies running on paper and live accounts (src/main/runner, docs/BACKTEST.md "Running strategies
 * on accounts"):
 * - `strategy_runs`: one row per started strategy: what runs where (strategy, params, account,
 *   series), its capital allocation (decimal text), state and why, the first bar it could decide on
 *   (the drift report replays from there) and the last closed bar it decided on, so a restart
 *   never decides on a bar twice.
 * - `strategy_intents`: every order a decision asked for, written before it is sent. The
 *   idempotency key (run, bar time, position of the order in the decision) is UNIQUE and the
 *   order's client order id is derived from it, so a restart resends an unconfirmed intent under
 *   the same id (the order path answers the order already made) and never makes a second one.
 *   `request` is the exact order request (JSON) so the resend carries the same terms.
 */
export const migration: MigrationStep = {
  name: 'runner: strategy runs and their order intents',
  up(db) {
    db.exec(`
    CREATE TABLE strategy_runs (
      id TEXT PRIMARY KEY,
      strategy_id TEXT NOT NULL,
      params TEXT NOT NULL,
      account_id TEXT NOT NULL,
      source TEXT NOT NULL,
      symbol TEXT NOT NULL,
      timeframe TEXT NOT NULL,
      allocation TEXT NOT NULL,
      protections TEXT NOT NULL DEFAULT '[]',
      state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'stopped')),
      reason TEXT,
      locked_until INTEGER,
      first_live_bar INTEGER,
      last_bar_time INTEGER,
      started_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE strategy_intents (
      run_id TEXT NOT NULL REFERENCES strategy_runs(id) ON DELETE CASCADE,
      bar_time INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      client_order_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      reason TEXT,
      request TEXT,
      status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'rejected', 'skipped')),
      message TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (run_id, bar_time, seq)
    );
    CREATE INDEX strategy_intents_pending ON strategy_intents (status) WHERE status = 'pending';
    `)
  },
}
