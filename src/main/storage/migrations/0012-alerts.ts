import type { MigrationStep } from '../migration'

/**
 * The alert tables.
 *
 * - `alerts`: one row per alert: its definition as validated JSON (`spec`, delivery secrets
 *   left out: they live in the secret store under `alert:<id>:<n>`, the row keeps a hint), its
 *   status, and its evaluation state as JSON (`state`: armed, last firing, the last closed bar
 *   it evaluated, which is where "while you were away" resumes on start).
 * - `alert_firings`: every firing, kept when its alert is deleted (name and series copied): the
 *   time, the bar, the triggering values as JSON, whether it was found on start (`away`) and
 *   whether the trader has read it. A partial index keeps the unread count cheap.
 * - `alert_deliveries`: every delivery attempt of a firing: channel (its place in the alert's
 *   list) and kind, attempt number, time, outcome, HTTP status and error in words.
 */
export const migration: MigrationStep = {
  name: 'alerts: definitions with their state, firings and delivery attempts',
  up(db) {
    db.exec(`
    CREATE TABLE alerts (
      id TEXT PRIMARY KEY,
      spec TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'fired', 'expired')),
      state TEXT NOT NULL DEFAULT '{}',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE alert_firings (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      alert_id TEXT NOT NULL,
      alert_name TEXT NOT NULL,
      series TEXT,
      time INTEGER NOT NULL,
      bar_time INTEGER,
      away INTEGER NOT NULL DEFAULT 0 CHECK (away IN (0, 1)),
      message TEXT NOT NULL,
      vals TEXT NOT NULL,
      read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1))
    );
    CREATE INDEX alert_firings_by_alert ON alert_firings (alert_id, time);
    CREATE INDEX alert_firings_by_time ON alert_firings (time);
    CREATE INDEX alert_firings_unread ON alert_firings (id) WHERE read = 0;
    CREATE TABLE alert_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      firing_id INTEGER NOT NULL REFERENCES alert_firings (id) ON DELETE CASCADE,
      channel INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('webhook', 'discord', 'telegram')),
      attempt INTEGER NOT NULL,
      at INTEGER NOT NULL,
      ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
      status INTEGER,
      error TEXT,
      duration_ms REAL NOT NULL
    );
    CREATE INDEX alert_deliveries_by_firing ON alert_deliveries (firing_id);
    `)
  },
}
