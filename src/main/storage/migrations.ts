import { EXCHANGE_MIGRATION } from '../exchange/schema'
import { signalsMigration } from '../signals/schema'
import {
  decimalTextMigration,
  hotIndexesMigration,
  orderTypesMigration,
  paperFillsMigration,
  tradingMigration,
} from '../trading/schema'
import type { Db } from './db'
import type { Migration } from './migration'

/**
 * Every schema change, in order. Never edit a migration that has shipped: add a new one.
 * Each has its own test in migrations.test.ts.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'candles and their sources',
    up(db) {
      // Bars live in column blocks, one BLOB per stretch of time (layout: candles/block-format.ts);
      // one row per bar made reading 100k bars cost ~75 ms in better-sqlite3's per-row overhead.
      // `block_span` is the ms each block covers, fixed when the series is created so its blocks
      // stay valid if the default span changes. count/first/last cache the series' bounds.
      db.exec(`
        CREATE TABLE candle_series (
          id INTEGER PRIMARY KEY,
          source TEXT NOT NULL,
          symbol TEXT NOT NULL,
          timeframe TEXT NOT NULL,
          label TEXT,
          imported_from TEXT,
          updated_at INTEGER NOT NULL,
          block_span INTEGER NOT NULL CHECK (block_span > 0),
          count INTEGER NOT NULL DEFAULT 0,
          first INTEGER,
          last INTEGER,
          UNIQUE (source, symbol, timeframe)
        );
        CREATE TABLE candle_blocks (
          series_id INTEGER NOT NULL REFERENCES candle_series (id) ON DELETE CASCADE,
          block_start INTEGER NOT NULL,
          count INTEGER NOT NULL CHECK (count > 0),
          first INTEGER NOT NULL,
          last INTEGER NOT NULL,
          data BLOB NOT NULL,
          PRIMARY KEY (series_id, block_start)
        ) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 2,
    name: 'settings',
    up(db) {
      db.exec(
        `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);`,
      )
    },
  },
  // Domain schemas live beside their domain; each has its own test there.
  tradingMigration,
  EXCHANGE_MIGRATION,
  signalsMigration,
  paperFillsMigration,
  hotIndexesMigration,
  orderTypesMigration,
  decimalTextMigration,
]

/** Applies every migration above the file's `user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
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
