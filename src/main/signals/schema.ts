import type { Migration } from '../storage/migration'
import type { Db } from '../storage/db'

/**
 * The signal tables (migration 5; the lead appends it to MIGRATIONS).
 *
 * - `signal_history`: one row per (profile, source, symbol, timeframe, bar open time): the
 *   score, the raw score before the higher timeframes, direction, confidence, the four
 *   component scores (NULL when the profile gives a component no weight) and the reasons as a
 *   JSON array. Rows are written once (INSERT OR IGNORE), so a marker the chart showed never
 *   changes under it; a profile whose definition changes has its rows deleted.
 * - `signal_profiles`: profiles saved by the user (the built-in default is not stored), the
 *   body as validated JSON; at most one row is `active` (none = the default profile).
 */
function tablesSql(temp: boolean): string {
  const create = temp ? 'CREATE TEMP TABLE' : 'CREATE TABLE'
  return `
    ${create} signal_history (
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
    ${create} signal_profiles (
      id TEXT PRIMARY KEY,
      body TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
      updated_at INTEGER NOT NULL
    );
  `
}

export const signalsMigration: Migration = {
  version: 5,
  name: 'signals: history per bar and saved profiles',
  up(db) {
    db.exec(tablesSql(false))
  },
}

/** True when migration 5 has created the signal tables in the database file. */
export function hasSignalTables(db: Db): boolean {
  return (
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signal_history'`).get() !==
    undefined
  )
}

/**
 * Until migration 5 is part of MIGRATIONS, the engine's database has no signal tables: the
 * same tables are then created as TEMP tables of this connection, so everything works and
 * nothing outlives the session (and `user_version` is untouched, so the real migration still
 * runs later). Returns 'persistent' or 'session'.
 */
export function ensureSignalTables(db: Db): 'persistent' | 'session' {
  if (hasSignalTables(db)) return 'persistent'
  const temp = db
    .prepare(`SELECT 1 FROM sqlite_temp_master WHERE type = 'table' AND name = 'signal_history'`)
    .get()
  if (temp === undefined) db.exec(tablesSql(true))
  return 'session'
}
