import type { MigrationStep } from '../migration'

/**
 * The signal tables.
 *
 * - `signal_history`: one row per (profile, source, symbol, timeframe, bar open time): the
 *   score, the raw score before the higher timeframes, direction, confidence, the four
 *   component scores (NULL when the profile gives a component no weight) and the reasons as a
 *   JSON array. Rows are written once (INSERT OR IGNORE), so a marker the chart showed never
 *   changes under it; a profile whose definition changes has its rows deleted.
 * - `signal_profiles`: profiles saved by the user (the built-in default is not stored), the
 *   body as validated JSON; at most one row is `active` (none = the default profile).
 */
export const migration: MigrationStep = {
  name: 'signals: history per bar and saved profiles',
  up(db) {
    db.exec(`
    CREATE TABLE signal_history (
      profile TEXT NOT NULL,
      source TEXT NOT NULL,
      symbol TEXT NOT NULL,
      timeframe TEXT NOT NULL,
      time INTEGER NOT NULL,
      score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
      raw REAL NOT NULL CHECK (raw BETWEEN 0 AND 100),
      direction TEXT NOT NULL CHECK (direction IN ('buy', 'sell', 'neutral')),
      confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
      trend REAL,
      momentum REAL,
      volatility REAL,
      volume REAL,
      reasons TEXT NOT NULL,
      PRIMARY KEY (profile, source, symbol, timeframe, time)
    ) WITHOUT ROWID;
    CREATE TABLE signal_profiles (
      id TEXT PRIMARY KEY,
      body TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
      updated_at INTEGER NOT NULL
    );
    `)
  },
}
