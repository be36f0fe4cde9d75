import type { MigrationStep } from '../migration'

/** Named watchlists and their symbols, in the trader's order. */
export const migration: MigrationStep = {
  name: 'watchlists',
  up(db) {
    // `position` orders lists and items; the store renumbers 0..n-1 on every move, so it stays
    // dense. An item names a series as the chart does (source and symbol), not a stored series:
    // an exchange market may be listed before any of its bars are stored.
    db.exec(`
      CREATE TABLE watchlists (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) BETWEEN 1 AND 60),
        position INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE watchlist_items (
        watchlist_id INTEGER NOT NULL REFERENCES watchlists (id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        symbol TEXT NOT NULL,
        position INTEGER NOT NULL,
        added_at INTEGER NOT NULL,
        PRIMARY KEY (watchlist_id, source, symbol)
      ) WITHOUT ROWID;
    `)
  },
}
