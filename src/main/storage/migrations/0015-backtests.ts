import type { MigrationStep } from '../migration'

/**
 * Backtest runs: what was asked (strategy, parameters, symbols, timeframe, settings as JSON),
 * what makes it reproducible (the strategy's source hash, the data's fingerprint), its status,
 * and once done its results: statistics and trades as JSON, and the equity curve as two float64
 * blobs (time, value: 16 bytes a bar, far smaller and faster than JSON numbers).
 */
export const migration: MigrationStep = {
  name: 'backtests: stored runs with settings, source hash, data fingerprint and results',
  up(db) {
    db.exec(`
    CREATE TABLE backtest_runs (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      strategy TEXT NOT NULL,
      params TEXT NOT NULL,
      symbols TEXT NOT NULL,
      timeframe TEXT NOT NULL,
      settings TEXT NOT NULL,
      strategy_hash TEXT NOT NULL,
      data_fingerprint TEXT,
      status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
      error TEXT,
      created_at INTEGER NOT NULL,
      finished_at INTEGER,
      metrics TEXT,
      trades TEXT,
      equity_time BLOB,
      equity_value BLOB,
      counters TEXT
    );
    CREATE INDEX backtest_runs_by_created ON backtest_runs (created_at DESC);
    `)
  },
}
