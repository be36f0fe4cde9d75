import type { MigrationStep } from '../migration'

/**
 * fewer writes per paper fill (see PaperVenue).
 * - Paper trades become rows of trading_fills: each paper order fills once, in full, so its
 *   trade takes the order's id. Existing paper fills are renamed to that id (in two steps, so
 *   that no new id meets an old one on the way) and paper_trades is dropped.
 * - Paper order ids come from paper_sequence, since an order filled the moment it is placed is
 *   recorded by the order path only and has no paper_orders row to take a rowid from.
 * - trading_orders_by_status indexes only orders still in play: settled orders, nearly all of
 *   them, no longer cost an index write; every lookup by status asks for active ones.
 */
export const migration: MigrationStep = {
  name: 'trading: paper trades are fills; status index over active orders only',
  up(db) {
    db.exec(`
      UPDATE trading_fills AS f SET trade_id = 'migrating:' || p.order_id
        FROM paper_trades AS p
        WHERE f.account_id = p.account_id AND f.symbol = p.symbol AND f.trade_id = CAST(p.id AS TEXT);
      UPDATE trading_fills SET trade_id = substr(trade_id, 11) WHERE trade_id LIKE 'migrating:%';
      DROP TABLE paper_trades;
      CREATE TABLE paper_sequence (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        next_order_id INTEGER NOT NULL
      );
      INSERT INTO paper_sequence (id, next_order_id) SELECT 1, COALESCE(MAX(id), 0) + 1 FROM paper_orders;
      DROP INDEX trading_orders_by_status;
      CREATE INDEX trading_orders_active ON trading_orders (account_id, status)
        WHERE status IN ('pending', 'sent', 'unknown', 'open', 'partially_filled');
    `)
  },
}
