import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

function open() {
  const db = new Database(join(tempDir(), 'm3.db'))
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS.slice(0, 3))
  return db
}

const columns = (db: Database.Database, table: string) =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name)

describe('migration 3: trading', () => {
  it('is version 3 and creates the trading tables', () => {
    const db = open()
    expect(db.pragma('user_version', { simple: true })).toBe(3)
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string
      }[]
    ).map((t) => t.name)
    for (const t of [
      'trading_accounts',
      'trading_orders',
      'trading_fills',
      'reconciliation_events',
      'trading_balance_snapshots',
      'paper_settings',
      'paper_balances',
      'paper_orders',
      'paper_trades',
    ]) {
      expect(tables).toContain(t)
    }
    expect(columns(db, 'trading_orders')).toEqual(
      expect.arrayContaining([
        'client_order_id',
        'exchange_order_id',
        'status',
        'sent_at',
        'outcome_deadline',
        'next_check_at',
      ]),
    )
    expect(columns(db, 'trading_fills')).toEqual(
      expect.arrayContaining(['trade_id', 'fee_cost', 'fee_currency']),
    )
  })

  it('keeps client order ids unique per account and fills unique per trade id', () => {
    const db = open()
    db.prepare(
      "INSERT INTO trading_accounts VALUES ('a', 'A', 'paper', 'paper', NULL, 0, NULL, NULL, 0, 0)",
    ).run()
    const order = db.prepare(
      `INSERT INTO trading_orders (account_id, client_order_id, exchange_order_id, symbol, side, type, amount, status, created_at, updated_at)
       VALUES ('a', ?, ?, 'BTC/USDT', 'buy', 'market', 1, 'sent', 0, 0)`,
    )
    order.run('cw-1', '100')
    expect(() => order.run('cw-1', null)).toThrow(/UNIQUE/)
    expect(() => order.run('cw-2', '100')).toThrow(/UNIQUE/) // one exchange id per account and symbol
    const fill = db.prepare(
      `INSERT OR IGNORE INTO trading_fills (account_id, symbol, trade_id, exchange_order_id, side, amount, price, cost, time, recorded_at)
       VALUES ('a', 'BTC/USDT', ?, '100', 'buy', 1, 100, 100, 0, 0)`,
    )
    expect(fill.run('t1').changes).toBe(1)
    expect(fill.run('t1').changes).toBe(0)
    expect(() =>
      db
        .prepare(
          "INSERT INTO trading_orders (account_id, client_order_id, symbol, side, type, amount, status, created_at, updated_at) VALUES ('nobody', 'x', 'S', 'buy', 'market', 1, 'sent', 0, 0)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/)
  })
})
