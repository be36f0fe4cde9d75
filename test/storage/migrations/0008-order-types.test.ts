import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

/** A database just before migration 8, with an order and a resting paper order in it. */
function beforeOrderTypes(): Database.Database {
  const db = new Database(join(tempDir(), 'order-types.db'))
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS.slice(0, 7))
  db.prepare(
    "INSERT INTO trading_accounts VALUES ('demo-paper', 'Demo', 'paper', 'paper', NULL, 0, NULL, NULL, 0, 0)",
  ).run()
  db.prepare(
    `INSERT INTO trading_orders (account_id, client_order_id, exchange_order_id, symbol, side, type, amount, price, stop_price,
       status, filled, average, origin, created_at, updated_at)
     VALUES ('demo-paper', 'cw-1', '7', 'BTC/USDT', 'sell', 'stop', 0.5, NULL, 60000, 'open', 0, NULL, 'local', 1, 2)`,
  ).run()
  db.prepare(
    `INSERT INTO paper_orders (id, account_id, client_order_id, symbol, side, type, amount, stop_price, status, filled, cost,
       reserved_asset, reserved, created_at, updated_at)
     VALUES (7, 'demo-paper', 'cw-1', 'BTC/USDT', 'sell', 'stop', 0.5, 60000, 'open', 0, 0, 'BTC', 0.5, 1, 2)`,
  ).run()
  return db
}

/** Migration 8 and those before it: money is still REAL here (migration 9 has its own test). */
const upTo8 = MIGRATIONS.filter((m) => m.version <= 8)

const indexes = (db: Database.Database, table: string) =>
  (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
      .all(table) as {
      name: string
    }[]
  )
    .map((r) => r.name)
    .sort()

describe('migration 8: order types, flags, emulation, OCOs and brackets', () => {
  it('widens the type CHECK, keeps every row and index, and adds the option and link columns', () => {
    const db = beforeOrderTypes()
    const beforeIndexes = indexes(db, 'trading_orders')
    const insert = (type: string) =>
      db
        .prepare(
          `INSERT INTO trading_orders (account_id, client_order_id, symbol, side, type, amount, status, created_at, updated_at)
           VALUES ('demo-paper', ?, 'BTC/USDT', 'buy', ?, 1, 'pending', 3, 3)`,
        )
        .run(`cw-${type}`, type)
    expect(() => insert('trailing_stop')).toThrow(/CHECK constraint failed/)

    migrate(db, upTo8)
    expect(db.pragma('user_version', { simple: true })).toBe(8)
    const row = db.prepare("SELECT * FROM trading_orders WHERE client_order_id = 'cw-1'").get() as Record<
      string,
      unknown
    >
    expect(row).toMatchObject({
      exchange_order_id: '7',
      type: 'stop',
      amount: 0.5,
      stop_price: 60000,
      status: 'open',
      created_at: 1,
      trailing_percent: null,
      trailing_amount: null,
      activation_price: null,
      water_mark: null,
      post_only: 0,
      reduce_only: 0,
      emulated: 0,
      oco_group: null,
      parent_client_order_id: null,
    })
    for (const t of ['stop_limit', 'take_profit', 'take_profit_limit', 'trailing_stop'])
      expect(() => insert(t)).not.toThrow()
    expect(() => insert('bogus')).toThrow(/CHECK constraint failed/)
    expect(indexes(db, 'trading_orders')).toEqual(
      [...beforeIndexes, 'trading_orders_by_oco', 'trading_orders_held', 'trading_orders_waiting'].sort(),
    )
    // Still keyed by (account, client order id), and still refusing a reused exchange id.
    expect(() =>
      db
        .prepare(
          `INSERT INTO trading_orders (account_id, client_order_id, symbol, side, type, amount, status, created_at, updated_at)
           VALUES ('demo-paper', 'cw-1', 'BTC/USDT', 'buy', 'market', 1, 'pending', 3, 3)`,
        )
        .run(),
    ).toThrow(/UNIQUE|PRIMARY KEY/)
    const paper = db.prepare('SELECT * FROM paper_orders WHERE id = 7').get() as Record<string, unknown>
    expect(paper).toMatchObject({
      reserved: 0.5,
      triggered: 0,
      post_only: 0,
      oco_group: null,
      water_mark: null,
    })
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('the lookups of waiting legs and held orders can use their partial indexes (INDEXED BY would fail otherwise)', () => {
    const db = beforeOrderTypes()
    migrate(db, upTo8)
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM trading_orders INDEXED BY trading_orders_held
           WHERE account_id = ? AND emulated = 1 AND exchange_order_id IS NULL AND status = 'open'`,
        )
        .all('demo-paper') as { detail: string }[]
    ).map((r) => r.detail)
    expect(plan.join(' ')).toContain('trading_orders_held')
    expect(() =>
      db
        .prepare(
          "SELECT * FROM trading_orders INDEXED BY trading_orders_waiting WHERE account_id = ? AND status = 'waiting'",
        )
        .all('demo-paper'),
    ).not.toThrow()
  })
})
