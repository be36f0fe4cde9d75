import type { MigrationStep } from '../migration'

/**
 * An account's kind is its `mode`: `paper`, `live` (real money) or `imported` (fills imported
 * from a file; it places no orders). The column was `venue`, a word that also named the trading
 * port and the ccxt connection.
 *
 * SQLite cannot change a CHECK constraint, so trading_accounts is rebuilt: created anew with the
 * `mode` column, every row copied (rowids too) with `venue` as `mode`, the old table dropped, the
 * new one renamed, its indexes made again from their stored SQL. Every other table references
 * trading_accounts ON DELETE CASCADE, so the step runs with foreign keys off (`foreignKeysOff`:
 * dropping the old table would otherwise delete every order, fill and paper book with it) and
 * commits only when every reference still holds.
 */
export const migration: MigrationStep = {
  name: 'trading: account mode (paper, live, imported) in place of venue',
  foreignKeysOff: true,
  up(db) {
    const indexes = db
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trading_accounts' AND sql IS NOT NULL",
      )
      .all()
      .map((i) => i.sql)
    db.exec(`
      CREATE TABLE trading_accounts_mode (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('paper', 'live', 'imported')),
        exchange_id TEXT NOT NULL,
        api_url TEXT,
        live_enabled INTEGER NOT NULL DEFAULT 0,
        key_ref TEXT,
        key_hint TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      INSERT INTO trading_accounts_mode
        (rowid, id, name, mode, exchange_id, api_url, live_enabled, key_ref, key_hint, created_at, updated_at)
        SELECT rowid, id, name, venue, exchange_id, api_url, live_enabled, key_ref, key_hint, created_at, updated_at
        FROM trading_accounts;
    `)
    const count = (table: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
    const before = count('trading_accounts')
    const after = count('trading_accounts_mode')
    if (before !== after) throw new Error(`migration 10: trading_accounts copied ${after} of ${before} rows`)
    db.exec('DROP TABLE trading_accounts')
    db.exec('ALTER TABLE trading_accounts_mode RENAME TO trading_accounts')
    for (const index of indexes) db.exec(index)
  },
}
