import type { Database } from 'better-sqlite3'

export interface Migration {
  /** Strictly increasing from 1; recorded in `PRAGMA user_version`. */
  version: number
  name: string
  up(db: Database): void
}

/**
 * Every schema change, in order. Never edit a migration that has shipped: add a new one.
 * Each has its own test in migrations.test.ts.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'candles and their sources',
    up(db) {
      db.exec(`
        CREATE TABLE candles (
          source TEXT NOT NULL,
          symbol TEXT NOT NULL,
          timeframe TEXT NOT NULL,
          time INTEGER NOT NULL,
          open REAL NOT NULL,
          high REAL NOT NULL,
          low REAL NOT NULL,
          close REAL NOT NULL,
          volume REAL NOT NULL,
          PRIMARY KEY (source, symbol, timeframe, time)
        ) WITHOUT ROWID;
        CREATE TABLE candle_series (
          source TEXT NOT NULL,
          symbol TEXT NOT NULL,
          timeframe TEXT NOT NULL,
          label TEXT,
          imported_from TEXT,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (source, symbol, timeframe)
        );
      `)
    },
  },
  {
    version: 2,
    name: 'settings',
    up(db) {
      db.exec(`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);`)
    },
  },
]

/** Applies every migration above the file's `user_version`, each in its own transaction. */
export function migrate(db: Database, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.at(-1)?.version ?? 0
  if (current > latest) {
    throw new Error(
      `The database is at schema version ${current}, newer than this Candlework knows (${latest}). Update Candlework.`,
    )
  }
  for (const m of migrations) {
    if (m.version <= current) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return latest
}
