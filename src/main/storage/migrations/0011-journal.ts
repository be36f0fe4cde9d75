import type { MigrationStep } from '../migration'

/**
 * The trade journal (src/main/journal, docs/JOURNAL.md). None of these tables references
 * trading_accounts: deleting an account (or resetting a paper one) must not delete its journal.
 *
 * - `journal_fills`: the journal's own copy of every fill it has seen (trading_fills' columns),
 *   kept when the account's fills go. Keyed by (account, symbol, exchange trade id, time): a paper
 *   account reset may give a new fill an old trade id, never at the same time. The rowid orders
 *   fills of the same time as they were recorded.
 * - `journal_trades`: the round-trip trades made from them, derived (a rebuild replaces them),
 *   each as a compact JSON array with its fills (journal/store.ts; a rebuild writes 33,000 rows for
 *   100,000 fills, so bytes per row are most of its time); keyed by a key stable across rebuilds
 *   (account, symbol, time and trade id of its first entry fill).
 * - `journal_edits`: what the trader wrote (notes, tags, rating, initial stop), by trade key, apart
 *   from the derived rows so a rebuild never touches it.
 * - `journal_accounts`: each account's name and market source as last seen, for trades of an
 *   account that is gone.
 */
export const migration: MigrationStep = {
  name: 'journal: fills copy, round-trip trades, trader edits',
  up(db) {
    db.exec(`
      CREATE TABLE journal_fills (
        account_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        time INTEGER NOT NULL,
        exchange_order_id TEXT NOT NULL,
        client_order_id TEXT,
        side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
        amount TEXT NOT NULL,
        price TEXT NOT NULL,
        fee_cost TEXT,
        fee_currency TEXT,
        UNIQUE (account_id, symbol, trade_id, time)
      );
      CREATE INDEX journal_fills_by_pair ON journal_fills (account_id, symbol, time);

      CREATE TABLE journal_trades (
        key TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        entry_time INTEGER NOT NULL,
        data TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE journal_edits (
        key TEXT PRIMARY KEY,
        notes TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        rating INTEGER CHECK (rating BETWEEN 1 AND 5),
        stop_price TEXT,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE journal_accounts (
        account_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        source TEXT NOT NULL
      ) WITHOUT ROWID;
    `)
  },
}
