import type { MigrationStep } from '../migration'

/**
 * The journal's export and import of trades (docs/CSV.md):
 * - `journal_trades_by_time`: journal_trades in (account, entry time) order, so `export trades`
 *   reads a page at a time by keyset, as fills and orders are read, instead of sorting every
 *   trade for each page (the table is WITHOUT ROWID: the index carries the key after the time).
 * - `journal_imported`: what a Candlework trades file said about a trade that its fills alone
 *   cannot tell (exit reason, the resting stop, MAE/MFE, the signal at entry, the strategy),
 *   by trade key, as one JSON object. The journal falls back to it when its own lookups find
 *   nothing (an imported account has no orders, candles or signals), so a rebuild keeps it.
 */
export const migration: MigrationStep = {
  name: 'journal export: trades by entry time, imported trade facts',
  up(db) {
    db.exec(`
      CREATE INDEX journal_trades_by_time ON journal_trades (account_id, entry_time);
      CREATE TABLE journal_imported (
        key TEXT PRIMARY KEY,
        data TEXT NOT NULL
      ) WITHOUT ROWID;
    `)
  },
}
