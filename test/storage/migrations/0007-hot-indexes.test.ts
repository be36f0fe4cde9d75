import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

const indexColumns = (db: Database.Database, index: string): string[] =>
  (db.pragma(`index_info(${index})`) as { name: string }[]).map((c) => c.name)

describe('migration 7: indexes fitting the hot queries', () => {
  it('rebuilds the fill and active-order indexes, adds the unknown-order one, keeps every row', () => {
    const db = new Database(join(tempDir(), 'hot-indexes.db'))
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS.slice(0, 6))
    db.prepare(
      "INSERT INTO trading_accounts VALUES ('a', 'A', 'paper', 'paper', NULL, 0, NULL, NULL, 0, 0)",
    ).run()
    const order = db.prepare(
      `INSERT INTO trading_orders (account_id, client_order_id, exchange_order_id, symbol, side, type, amount, status, created_at, updated_at, next_check_at)
       VALUES ('a', ?, ?, 'BTC/USDT', 'buy', 'market', 1, ?, ?, 0, ?)`,
    )
    order.run('cw-1', '1', 'filled', 1, null)
    order.run('cw-2', '2', 'open', 2, null)
    order.run('cw-3', null, 'unknown', 3, 10)
    db.prepare(
      `INSERT INTO trading_fills (account_id, symbol, trade_id, exchange_order_id, side, amount, price, cost, time, recorded_at)
       VALUES ('a', 'BTC/USDT', '1', '1', 'buy', 1, 100, 100, 1, 1)`,
    ).run()

    migrate(db, MIGRATIONS.slice(0, 7))
    expect(db.pragma('user_version', { simple: true })).toBe(7)
    expect(indexColumns(db, 'trading_fills_by_order')).toEqual([
      'account_id',
      'symbol',
      'exchange_order_id',
      'time',
    ])
    expect(indexColumns(db, 'trading_orders_active')).toEqual([
      'account_id',
      'status',
      'created_at',
      'client_order_id',
    ])
    expect(indexColumns(db, 'trading_orders_unknown_due')).toEqual(['next_check_at'])
    // Still partial: settled orders cost no entry in it.
    const sql = (name: string) =>
      (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql
    expect(sql('trading_orders_unknown_due')).toMatch(/WHERE status = 'unknown'/)
    expect(db.prepare('SELECT COUNT(*) AS n FROM trading_orders').get()).toEqual({ n: 3 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM trading_fills').get()).toEqual({ n: 1 })
    // The requests behind client-chosen order ids, deleted with their account.
    db.prepare("INSERT INTO trading_order_requests VALUES ('a', 'mine-1', '{}')").run()
    expect(() => db.prepare("INSERT INTO trading_order_requests VALUES ('a', 'mine-1', '{}')").run()).toThrow(
      /UNIQUE/,
    )
    db.prepare('DELETE FROM trading_accounts').run()
    expect(db.prepare('SELECT COUNT(*) AS n FROM trading_order_requests').get()).toEqual({ n: 0 })
    db.close()
  })
})
