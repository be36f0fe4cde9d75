import { Decimal } from '../../shared/decimal/decimal'
import type { Db } from '../storage/db'
import type { Migration } from '../storage/migration'

/**
 * The trading schema (migration 3; the lead appends it to MIGRATIONS).
 *
 * Orders are keyed by (account, client order id) in a WITHOUT ROWID table: every lookup on
 * the order path is by that key, and it saves a b-tree per write. Paper ids are plain rowids
 * (no AUTOINCREMENT bookkeeping); a paper reset forgets the account's orders on both sides, so
 * an id reused after it refers to nothing stale.
 *
 * - `trading_accounts`: paper and live accounts. A live account trades through the exchange
 *   connection of its exchange id, which holds its API URL and keys (`exchange_connections`, the
 *   secret store): api_url, key_ref and key_hint here are no longer written.
 * - `trading_orders`: one row per order intent, written before the order is sent; unique per
 *   (account, client order id) and per (account, symbol, exchange order id).
 * - `trading_fills`: fills deduplicated by (account, symbol, exchange trade id); positions and
 *   P&L are recomputed from them.
 * - `reconciliation_events`: every difference reconciliation found, for the UI.
 * - `trading_balance_snapshots`: the last balances fetched from a live exchange.
 * - `paper_*`: the paper venue's own book (its orders, trades, balances and settings), kept
 *   apart from the order path's tables exactly as an exchange's state is.
 */
export const tradingMigration: Migration = {
  version: 3,
  name: 'trading: accounts, order intents, fills, reconciliation, paper venue',
  up(db) {
    db.exec(`
      CREATE TABLE trading_accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        venue TEXT NOT NULL CHECK (venue IN ('paper', 'live')),
        exchange_id TEXT NOT NULL,
        api_url TEXT,
        live_enabled INTEGER NOT NULL DEFAULT 0,
        key_ref TEXT,
        key_hint TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE trading_orders (
        account_id TEXT NOT NULL REFERENCES trading_accounts(id) ON DELETE CASCADE,
        client_order_id TEXT NOT NULL,
        exchange_order_id TEXT,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
        type TEXT NOT NULL CHECK (type IN ('market', 'limit', 'stop')),
        amount REAL NOT NULL,
        price REAL,
        stop_price REAL,
        status TEXT NOT NULL,
        filled REAL NOT NULL DEFAULT 0,
        average REAL,
        origin TEXT NOT NULL DEFAULT 'local',
        error_kind TEXT,
        error_message TEXT,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        updated_at INTEGER NOT NULL,
        -- unknown outcomes: when the order is provably not placed if still not found, and when to look again
        outcome_deadline INTEGER,
        check_attempts INTEGER NOT NULL DEFAULT 0,
        next_check_at INTEGER,
        PRIMARY KEY (account_id, client_order_id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX trading_orders_by_exchange_id
        ON trading_orders (account_id, symbol, exchange_order_id) WHERE exchange_order_id IS NOT NULL;
      CREATE INDEX trading_orders_by_status ON trading_orders (account_id, status);
      CREATE INDEX trading_orders_by_time ON trading_orders (account_id, created_at);

      CREATE TABLE trading_fills (
        account_id TEXT NOT NULL REFERENCES trading_accounts(id) ON DELETE CASCADE,
        symbol TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        exchange_order_id TEXT NOT NULL,
        client_order_id TEXT,
        side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
        amount REAL NOT NULL,
        price REAL NOT NULL,
        cost REAL NOT NULL,
        fee_cost REAL,
        fee_currency TEXT,
        taker_or_maker TEXT,
        time INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, symbol, trade_id)
      );
      CREATE INDEX trading_fills_by_time ON trading_fills (account_id, time);
      CREATE INDEX trading_fills_by_order ON trading_fills (account_id, symbol, exchange_order_id);

      CREATE TABLE reconciliation_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL REFERENCES trading_accounts(id) ON DELETE CASCADE,
        time INTEGER NOT NULL,
        kind TEXT NOT NULL,
        symbol TEXT,
        client_order_id TEXT,
        exchange_order_id TEXT,
        detail TEXT NOT NULL
      );
      CREATE INDEX reconciliation_events_by_account ON reconciliation_events (account_id, id);

      CREATE TABLE trading_balance_snapshots (
        account_id TEXT NOT NULL REFERENCES trading_accounts(id) ON DELETE CASCADE,
        asset TEXT NOT NULL,
        free REAL NOT NULL,
        used REAL NOT NULL,
        total REAL NOT NULL,
        as_of INTEGER NOT NULL,
        PRIMARY KEY (account_id, asset)
      );

      CREATE TABLE paper_settings (
        account_id TEXT PRIMARY KEY REFERENCES trading_accounts(id) ON DELETE CASCADE,
        starting_asset TEXT NOT NULL,
        starting_amount REAL NOT NULL,
        maker_fee_bps REAL NOT NULL,
        taker_fee_bps REAL NOT NULL,
        slippage_bps REAL NOT NULL,
        reset_at INTEGER NOT NULL
      );
      CREATE TABLE paper_balances (
        account_id TEXT NOT NULL REFERENCES trading_accounts(id) ON DELETE CASCADE,
        asset TEXT NOT NULL,
        free REAL NOT NULL,
        used REAL NOT NULL,
        PRIMARY KEY (account_id, asset)
      );
      CREATE TABLE paper_orders (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES trading_accounts(id) ON DELETE CASCADE,
        client_order_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        type TEXT NOT NULL,
        amount REAL NOT NULL,
        price REAL,
        stop_price REAL,
        status TEXT NOT NULL,
        filled REAL NOT NULL DEFAULT 0,
        cost REAL NOT NULL DEFAULT 0,
        reserved_asset TEXT,
        reserved REAL NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX paper_orders_by_client_id ON paper_orders (account_id, client_order_id);
      CREATE INDEX paper_orders_open ON paper_orders (account_id, symbol) WHERE status = 'open';
      CREATE TABLE paper_trades (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES trading_accounts(id) ON DELETE CASCADE,
        order_id INTEGER NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        amount REAL NOT NULL,
        price REAL NOT NULL,
        cost REAL NOT NULL,
        fee_cost REAL NOT NULL,
        fee_currency TEXT NOT NULL,
        taker_or_maker TEXT NOT NULL,
        time INTEGER NOT NULL
      );
      CREATE INDEX paper_trades_by_symbol ON paper_trades (account_id, symbol, time);
      CREATE INDEX paper_trades_by_order ON paper_trades (account_id, order_id);
    `)
  },
}

/** The statuses of an order still in play (the ones the order path looks up by status). */
export const ACTIVE_STATUSES_SQL = "('pending', 'sent', 'unknown', 'open', 'partially_filled')"

/**
 * Migration 6: fewer writes per paper fill (see PaperVenue).
 * - Paper trades become rows of trading_fills: each paper order fills once, in full, so its
 *   trade takes the order's id. Existing paper fills are renamed to that id (in two steps, so
 *   that no new id meets an old one on the way) and paper_trades is dropped.
 * - Paper order ids come from paper_sequence, since an order filled the moment it is placed is
 *   recorded by the order path only and has no paper_orders row to take a rowid from.
 * - trading_orders_by_status indexes only orders still in play: settled orders, nearly all of
 *   them, no longer cost an index write; every lookup by status asks for active ones.
 */
export const paperFillsMigration: Migration = {
  version: 6,
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
        WHERE status IN ${ACTIVE_STATUSES_SQL};
    `)
  },
}

/**
 * Migration 7: indexes that fit the hot queries (each checked by EXPLAIN QUERY PLAN in
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
export const hotIndexesMigration: Migration = {
  version: 7,
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

/** The order types trading_orders accepts from migration 8 on (the domain's ORDER_TYPES). */
const ORDER_TYPES_SQL =
  "('market', 'limit', 'stop', 'stop_limit', 'take_profit', 'take_profit_limit', 'trailing_stop')"

/**
 * Migration 8: order types (stop-limit, take-profit, trailing stops), flags, emulation, OCOs and
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
export const orderTypesMigration: Migration = {
  version: 8,
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
function widenOrderTypeCheck(db: Parameters<Migration['up']>[0]): void {
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

/** The money columns of each table migration 9 turns into decimal text. */
export const MONEY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  trading_orders: [
    'amount',
    'price',
    'stop_price',
    'filled',
    'average',
    'trailing_percent',
    'trailing_amount',
    'activation_price',
    'water_mark',
  ],
  trading_fills: ['amount', 'price', 'cost', 'fee_cost'],
  trading_balance_snapshots: ['free', 'used', 'total'],
  paper_settings: ['starting_amount'],
  paper_balances: ['free', 'used'],
  paper_orders: [
    'amount',
    'price',
    'stop_price',
    'filled',
    'cost',
    'reserved',
    'trailing_percent',
    'trailing_amount',
    'activation_price',
    'water_mark',
  ],
}

/**
 * Migration 9: money as exact decimal text (src/main/trading/decimal.ts).
 *
 * Every amount, price, cost, fee, balance and trailing distance column of trading_orders,
 * trading_fills, trading_balance_snapshots, paper_settings, paper_balances and paper_orders
 * (MONEY_COLUMNS) changes from REAL to TEXT holding canonical decimal text. SQLite cannot change
 * a column's type, so each table is rebuilt from its own stored definition with only those
 * columns' types (and a `DEFAULT 0` to `DEFAULT '0'`) changed: created anew, every row copied
 * (rowids too, which order fills of the same time), the old table dropped, the new one renamed,
 * and its indexes made again from their stored SQL. Each stored double becomes the shortest
 * decimal that is that double, written out without an exponent (`Decimal.fromNumber`: 0.1
 * stays 0.1, 1e-7 becomes 0.0000001), converted in JS, never by SQLite's own REAL-to-TEXT (15
 * digits, exponents). A value that is not a finite number stops the migration naming its table,
 * column and row, and nothing is changed (each migration runs in one transaction).
 */
export const decimalTextMigration: Migration = {
  version: 9,
  name: 'trading: amounts, prices, fees and balances as exact decimal text',
  up(db) {
    for (const [table, money] of Object.entries(MONEY_COLUMNS)) rebuildWithText(db, table, money)
  },
}

/** Rebuilds one table with its money columns as decimal text; see decimalTextMigration. */
function rebuildWithText(db: Db, table: string, money: readonly string[]): void {
  const stored = db
    .prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(table)
  if (!stored) throw new Error(`migration 9: ${table} is missing`)
  const temp = `${table}_decimal`
  let sql = stored.sql.replace(new RegExp(`^CREATE TABLE\\s+"?${table}"?`, 'i'), `CREATE TABLE ${temp}`)
  for (const column of money) {
    const definition = new RegExp(`(\\b${column}\\s+)REAL\\b([^,)]*)`, 'i')
    if (!definition.test(sql)) throw new Error(`migration 9: ${table}.${column} is not a REAL column`)
    sql = sql.replace(
      definition,
      (_m, head: string, rest: string) => `${head}TEXT${rest.replace(/DEFAULT\s+0(\.0)?\b/i, "DEFAULT '0'")}`,
    )
  }
  const indexes = db
    .prepare<[string], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
    )
    .all(table)
    .map((i) => i.sql)
  db.exec(sql)
  const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: number }[]).map(
    (c) => c.name,
  )
  const withoutRowid = /\)\s*WITHOUT\s+ROWID\s*$/i.test(stored.sql)
  const copied = withoutRowid ? columns : ['rowid', ...columns]
  const isMoney = new Set(money)
  const insert = db.prepare(
    `INSERT INTO ${temp} (${copied.join(', ')}) VALUES (${copied.map(() => '?').join(', ')})`,
  )
  // Read a page at a time in rowid (or key) order: better-sqlite3 cannot write while it iterates.
  const order = withoutRowid ? primaryKey(db, table) : ['rowid']
  const first = db.prepare(
    `SELECT ${copied.join(', ')} FROM ${table} ORDER BY ${order.join(', ')} LIMIT 2000`,
  )
  const next = db.prepare(
    `SELECT ${copied.join(', ')} FROM ${table} WHERE (${order.join(', ')}) > (${order.map(() => '?').join(', ')})
     ORDER BY ${order.join(', ')} LIMIT 2000`,
  )
  let page = first.all() as Record<string, unknown>[]
  while (page.length > 0) {
    for (const row of page) {
      insert.run(copied.map((c) => (isMoney.has(c) ? decimalText(row[c], table, c, row) : row[c])))
    }
    const last = page.at(-1)!
    page = next.all(order.map((k) => last[k])) as Record<string, unknown>[]
  }
  const before = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
  const after = (db.prepare(`SELECT COUNT(*) AS n FROM ${temp}`).get() as { n: number }).n
  if (before !== after) throw new Error(`migration 9: ${table} copied ${after} of ${before} rows`)
  db.exec(`DROP TABLE ${table}`)
  db.exec(`ALTER TABLE ${temp} RENAME TO ${table}`)
  for (const index of indexes) db.exec(index)
}

/** A table's primary key columns, in key order. */
function primaryKey(db: Db, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: number }[])
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name)
}

/** A stored money value as canonical decimal text: NULL stays NULL; decimal text is kept. */
function decimalText(
  value: unknown,
  table: string,
  column: string,
  row: Record<string, unknown>,
): string | null {
  if (value === null) return null
  if (typeof value === 'number' && Number.isFinite(value)) return Decimal.fromNumber(value).toString()
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string') {
    const d = Decimal.tryParse(value)
    if (d) return d.toString()
  }
  const where = Object.entries(row)
    .filter(([k]) => k === 'rowid' || k === 'id' || k.endsWith('_id') || k === 'asset')
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ')
  throw new Error(
    `migration 9: ${table}.${column} = ${String(value)} (${where}) is not a finite number; nothing was changed`,
  )
}
