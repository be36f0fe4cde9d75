import type { MigrationStep } from '../migration'

/**
 * The trading schema.
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
export const migration: MigrationStep = {
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
