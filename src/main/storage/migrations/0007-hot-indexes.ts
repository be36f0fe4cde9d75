import type { MigrationStep } from '../migration'

/**
 * indexes that fit the hot queries (each checked by EXPLAIN QUERY PLAN in
 * test/trading/query-plans.test.ts), and the requests behind client-supplied order ids.
 * - trading_fills_by_order gains `time`: one order's fills in time order (the paper venue's
 *   answer for every order it lists) were found by walking every fill of the account, because
 *   the sort made the planner prefer the time index. Start-up reconciliation did that once per
 *   open order.
 * - trading_orders_active becomes (account, status, created_at, client_order_id) over every
 *   order: orders in play, per status, in the order they were made, without sorting the whole
 *   book (reconciliation, live polling, the blotter). Not partial: with a `status IN (...)`
 *   condition the planner could read the index per listed status and then sort (it did once the
 *   columns of migration 8 were added); settled orders cost one index entry each.
 * - trading_orders_unknown_due: the unknown orders whose next lookup is due, across accounts
 *   (checked every second), without reading every order ever placed.
 * - trading_order_requests: the request an order was placed with when the client chose its id
 *   (`clientOrderId` in trading.placeOrder), so a repeat of it is recognised as the same order
 *   and one under the same id with different terms is refused (see order-repeat.ts).
 */
export const migration: MigrationStep = {
  name: 'trading: indexes fitting the hot queries; requests behind client order ids',
  up(db) {
    db.exec(`
      DROP INDEX trading_fills_by_order;
      CREATE INDEX trading_fills_by_order ON trading_fills (account_id, symbol, exchange_order_id, time);
      DROP INDEX trading_orders_active;
      CREATE INDEX trading_orders_active ON trading_orders (account_id, status, created_at, client_order_id);
      CREATE INDEX trading_orders_unknown_due ON trading_orders (next_check_at) WHERE status = 'unknown';
      CREATE TABLE trading_order_requests (
        account_id TEXT NOT NULL REFERENCES trading_accounts(id) ON DELETE CASCADE,
        client_order_id TEXT NOT NULL,
        request TEXT NOT NULL,
        PRIMARY KEY (account_id, client_order_id)
      ) WITHOUT ROWID;
    `)
  },
}
