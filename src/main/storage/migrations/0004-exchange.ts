import type { MigrationStep } from '../migration'

/**
 * The exchange domain's tables.
 *
 * - `exchange_connections`: how to reach each exchange. API keys are not here (they live in the
 *   secret store); only the masked id shown in the UI.
 * - `exchange_fetched_ranges`: for each candle series, the bar ranges already asked of the exchange,
 *   merged, including stretches where it had nothing (before its history, or bars it omits). A later
 *   backfill asks only for what lies outside them.
 */
export const migration: MigrationStep = {
  name: 'exchange connections and fetched candle ranges',
  up(db) {
    db.exec(`
      CREATE TABLE exchange_connections (
        exchange TEXT PRIMARY KEY,
        api_url TEXT,
        sandbox INTEGER NOT NULL DEFAULT 0,
        recv_window_ms INTEGER NOT NULL DEFAULT 10000,
        adjust_time INTEGER NOT NULL DEFAULT 1,
        websocket INTEGER NOT NULL DEFAULT 1,
        masked_key TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE exchange_fetched_ranges (
        source TEXT NOT NULL,
        symbol TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        first INTEGER NOT NULL,
        last INTEGER NOT NULL,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (source, symbol, timeframe, first)
      ) WITHOUT ROWID;
    `)
  },
}
