import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { ManualClock, paperVenue, Prices } from '../../trading/support'
import { useTempDirs } from '../../support/temp-dir'
import { dec } from '../../../src/main/trading/decimal'

const tempDir = useTempDirs()

/** A database at schema 5 holding paper history the old way: trades in paper_trades, copied as fills. */
function version5WithPaperHistory(): Database.Database {
  const db = new Database(join(tempDir(), 'm6.db'))
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS.slice(0, 5))
  db.prepare(
    "INSERT INTO trading_accounts VALUES ('demo-paper', 'Demo', 'paper', 'paper', NULL, 0, NULL, NULL, 0, 0)",
  ).run()
  const order = db.prepare(
    `INSERT INTO paper_orders (id, account_id, client_order_id, symbol, side, type, amount, status, filled, cost, created_at, updated_at)
     VALUES (?, 'demo-paper', ?, 'BTC/USDT', 'buy', 'market', 1, 'closed', 1, 100, 0, 0)`,
  )
  const trade = db.prepare(
    `INSERT INTO paper_trades (id, account_id, order_id, symbol, side, amount, price, cost, fee_cost, fee_currency, taker_or_maker, time)
     VALUES (?, 'demo-paper', ?, 'BTC/USDT', 'buy', 1, 100, 100, 0.001, 'BTC', 'taker', ?)`,
  )
  const fill = db.prepare(
    `INSERT INTO trading_fills (account_id, symbol, trade_id, exchange_order_id, client_order_id, side, amount, price, cost, fee_cost, fee_currency, taker_or_maker, time, recorded_at)
     VALUES ('demo-paper', 'BTC/USDT', ?, ?, ?, 'buy', 1, 100, 100, 0.001, 'BTC', 'taker', ?, ?)`,
  )
  // Trade ids and order ids crossed on purpose: trade 1 belongs to order 2 and trade 2 to order 1,
  // so renaming in one step would collide.
  for (const [tradeId, orderId] of [
    [1, 2],
    [2, 1],
  ] as const) {
    if (tradeId === 1) {
      order.run(1, 'cw-a')
      order.run(2, 'cw-b')
    }
    trade.run(tradeId, orderId, tradeId)
    fill.run(String(tradeId), String(orderId), orderId === 1 ? 'cw-a' : 'cw-b', tradeId, tradeId)
  }
  return db
}

describe('migration 6: paper trades are fills', () => {
  it('renames paper fills to their order ids, drops paper_trades and continues the id sequence', () => {
    const db = version5WithPaperHistory()
    migrate(db, MIGRATIONS)
    // Migration 6 and every one after it (a paper venue below needs them all).
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version)
    const fills = db
      .prepare('SELECT trade_id, exchange_order_id FROM trading_fills ORDER BY trade_id')
      .all() as { trade_id: string; exchange_order_id: string }[]
    expect(fills).toEqual([
      { trade_id: '1', exchange_order_id: '1' },
      { trade_id: '2', exchange_order_id: '2' },
    ])
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()
    expect(tables).not.toContain('paper_trades')
    expect(db.prepare('SELECT next_order_id FROM paper_sequence').pluck().get()).toBe(3)
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all()
    expect(indexes).toContain('trading_orders_active')
    expect(indexes).not.toContain('trading_orders_by_status')

    // The venue reads its old orders' trades from the fills, and numbers new orders after them.
    const clock = new ManualClock()
    const venue = paperVenue(db, clock, new Prices().set('BTC/USDT', { bid: 99, ask: 100 }))
    const old = venue.fetchOrderSync({ symbol: 'BTC/USDT', id: '2' })
    expect(old.trades.map((t) => [t.id, t.orderId, t.fee?.currency])).toEqual([['2', '2', 'BTC']])
    const placed = venue.createOrderSync({
      clientOrderId: 'cw-c',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: dec('0.01'),
    })
    expect(placed.id).toBe('3')
    expect(placed.trades.map((t) => t.id)).toEqual(['3'])
    db.close()
  })
})
