import type { Db } from '../db'
import type { MigrationStep } from '../migration'

/** The order types trading_orders accepts from this migration on (the domain's ORDER_TYPES then). */
const ORDER_TYPES_SQL =
  "('market', 'limit', 'stop', 'stop_limit', 'take_profit', 'take_profit_limit', 'trailing_stop')"

/**
 * order types (stop-limit, take-profit, trailing stops), flags, emulation, OCOs and
 * brackets.
 *
 * - trading_orders is rebuilt from its own current definition with the `type` CHECK widened to
 *   every order type; only that CHECK changes (whatever column types it has are kept), its rows
 *   are copied as they are and its indexes recreated from their stored definitions.
 * - New trading_orders columns: the trailing distance (trailing_percent or trailing_amount), its
 *   activation price and stored water mark, post_only and reduce_only, `emulated` (held by the
 *   engine), oco_group (legs of one OCO) and parent_client_order_id (a bracket leg's entry), with
 *   indexes for the lookups that are not by client order id: bracket legs waiting for their
 *   entry, the legs of an OCO, and the emulated orders the engine holds (each index holds only
 *   those rows).
 * - New paper_orders columns: the same trailing fields, post_only, oco_group, and `triggered`
 *   (a stop-limit or take-profit-limit whose trigger fired now rests as a limit order).
 */
export const migration: MigrationStep = {
  name: 'trading: order types, post-only and reduce-only, emulated orders, OCOs and brackets',
  up(db) {
    widenOrderTypeCheck(db)
    db.exec(`
      ALTER TABLE trading_orders ADD COLUMN trailing_percent REAL;
      ALTER TABLE trading_orders ADD COLUMN trailing_amount REAL;
      ALTER TABLE trading_orders ADD COLUMN activation_price REAL;
      ALTER TABLE trading_orders ADD COLUMN water_mark REAL;
      ALTER TABLE trading_orders ADD COLUMN post_only INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE trading_orders ADD COLUMN reduce_only INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE trading_orders ADD COLUMN emulated INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE trading_orders ADD COLUMN oco_group TEXT;
      ALTER TABLE trading_orders ADD COLUMN parent_client_order_id TEXT;
      CREATE INDEX trading_orders_waiting ON trading_orders (account_id, parent_client_order_id)
        WHERE status = 'waiting';
      CREATE INDEX trading_orders_by_oco ON trading_orders (account_id, oco_group) WHERE oco_group IS NOT NULL;
      CREATE INDEX trading_orders_held ON trading_orders (account_id, symbol)
        WHERE emulated = 1 AND exchange_order_id IS NULL AND status = 'open';

      ALTER TABLE paper_orders ADD COLUMN trailing_percent REAL;
      ALTER TABLE paper_orders ADD COLUMN trailing_amount REAL;
      ALTER TABLE paper_orders ADD COLUMN activation_price REAL;
      ALTER TABLE paper_orders ADD COLUMN water_mark REAL;
      ALTER TABLE paper_orders ADD COLUMN post_only INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE paper_orders ADD COLUMN oco_group TEXT;
      ALTER TABLE paper_orders ADD COLUMN triggered INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX paper_orders_by_oco ON paper_orders (account_id, oco_group) WHERE oco_group IS NOT NULL;
    `)
  },
}

/**
 * SQLite cannot alter a CHECK: the table is created again from its stored SQL with the `type`
 * CHECK replaced, filled from the old one, and swapped in; its indexes are recreated as stored.
 */
function widenOrderTypeCheck(db: Db): void {
  const table = db
    .prepare<[], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'trading_orders'",
    )
    .get()
  if (!table) throw new Error('migration 8: trading_orders is missing')
  const check = /CHECK\s*\(\s*type\s+IN\s*\([^)]*\)\s*\)/i
  if (!check.test(table.sql)) throw new Error('migration 8: trading_orders has no type CHECK to widen')
  const indexes = db
    .prepare<[], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trading_orders' AND sql IS NOT NULL",
    )
    .all()
  const created = table.sql
    .replace(check, `CHECK (type IN ${ORDER_TYPES_SQL})`)
    .replace(/^CREATE TABLE\s+"?trading_orders"?/i, 'CREATE TABLE trading_orders_widened')
  db.exec(created)
  db.exec('INSERT INTO trading_orders_widened SELECT * FROM trading_orders')
  db.exec('DROP TABLE trading_orders')
  db.exec('ALTER TABLE trading_orders_widened RENAME TO trading_orders')
  for (const i of indexes) db.exec(i.sql)
}
