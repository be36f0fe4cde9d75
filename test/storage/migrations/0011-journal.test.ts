import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()
const upTo = MIGRATIONS.findIndex((m) => m.name.startsWith('journal:'))

describe('migration 11: the journal', () => {
  it('adds its tables beside the trading ones, keeping every row, with no reference to accounts', () => {
    const db = new Database(join(tempDir(), 'journal.db'))
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS.slice(0, upTo))
    db.prepare(
      `INSERT INTO trading_fills (account_id, symbol, trade_id, exchange_order_id, side, amount, price, cost, time, recorded_at)
       SELECT 'x', 'BTC/USDT', '1', '1', 'buy', '1', '100', '100', 1, 1 WHERE 0`,
    ).run()
    const before = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number
    }
    migrate(db, MIGRATIONS.slice(0, upTo + 1))
    const tables = db
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'journal_%'",
      )
      .all()
    expect(tables.map((t) => t.name).sort()).toEqual([
      'journal_accounts',
      'journal_edits',
      'journal_fills',
      'journal_trades',
    ])
    expect(
      (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n,
    ).toBe(before.n + 4)
    // Deleting an account must never take journal rows with it.
    for (const t of tables) {
      expect(t.sql).not.toMatch(/REFERENCES|CASCADE/i)
      expect(db.pragma(`foreign_key_list(${t.name})`)).toEqual([])
    }
    // A paper reset may reuse a trade id: the same id at another time is another fill.
    const insert = db.prepare(
      `INSERT OR IGNORE INTO journal_fills (account_id, symbol, trade_id, time, exchange_order_id, side, amount, price)
       VALUES ('a', 'BTC/USDT', '1', ?, '1', 'buy', '1', '100')`,
    )
    expect(insert.run(1).changes).toBe(1)
    expect(insert.run(1).changes).toBe(0)
    expect(insert.run(2).changes).toBe(1)
    expect(() =>
      db.prepare("INSERT INTO journal_edits (key, rating, updated_at) VALUES ('k', 6, 0)").run(),
    ).toThrow(/CHECK/)
    db.close()
  })
})
