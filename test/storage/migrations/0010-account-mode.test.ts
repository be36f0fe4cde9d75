import Database from 'better-sqlite3'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../../src/main/storage/database'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

const ACCOUNT_MODE = 10
const FIXTURE = join(process.cwd(), 'test/fixtures/schema-8.db')

type Db = Database.Database

const columns = (db: Db, table: string): string[] =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name)

const count = (db: Db, table: string): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

/** The tables whose rows belong to an account (each references trading_accounts ON DELETE CASCADE). */
function childTables(db: Db): string[] {
  return db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%REFERENCES trading_accounts%' ORDER BY name",
    )
    .all()
    .map((t) => t.name)
}

function accounts(db: Db, kind: 'venue' | 'mode'): Record<string, unknown>[] {
  return db
    .prepare(
      `SELECT rowid, id, name, ${kind} AS kind, exchange_id, api_url, live_enabled, key_ref, key_hint, created_at, updated_at
       FROM trading_accounts ORDER BY rowid`,
    )
    .all() as Record<string, unknown>[]
}

/**
 * A copy of the schema-8 fixture (a paper account with fills, resting orders, a bracket, an OCO)
 * with a live account and one order of it added, as the previous release would have stored them,
 * brought to the schema just before this migration.
 */
function beforeAccountMode(): { file: string; db: Db } {
  const file = join(tempDir(), 'candlework.db')
  copyFileSync(FIXTURE, file)
  const db = new Database(file)
  db.pragma('foreign_keys = ON')
  db.prepare(
    "INSERT INTO trading_accounts VALUES ('sim-live', 'Sim live', 'live', 'binance', NULL, 1, NULL, NULL, 5, 6)",
  ).run()
  db.prepare(
    `INSERT INTO trading_orders (account_id, client_order_id, exchange_order_id, symbol, side, type, amount, price,
       status, filled, origin, created_at, updated_at)
     VALUES ('sim-live', 'cw-live-1', '99', 'BTC/USDT', 'buy', 'limit', 0.01, 50000, 'open', 0, 'local', 7, 7)`,
  ).run()
  migrate(db, MIGRATIONS.slice(0, ACCOUNT_MODE - 1))
  return { file, db }
}

describe('migration 10: account mode', () => {
  it('on an empty database: trading_accounts has mode (paper, live or imported) and no venue', () => {
    const db = openDatabase(join(tempDir(), 'candlework.db'))
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(columns(db, 'trading_accounts')).toEqual([
      'id',
      'name',
      'mode',
      'exchange_id',
      'api_url',
      'live_enabled',
      'key_ref',
      'key_hint',
      'created_at',
      'updated_at',
    ])
    const insert = db.prepare(
      'INSERT INTO trading_accounts (id, name, mode, exchange_id, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)',
    )
    for (const mode of ['paper', 'live', 'imported']) insert.run(`a-${mode}`, mode, mode, 'paper')
    expect(() => insert.run('a-bogus', 'bogus', 'bogus', 'paper')).toThrow(/CHECK constraint failed/)
    expect(() => insert.run('a-null', 'null', null, 'paper')).toThrow(/NOT NULL/)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    closeDatabase(db)
  })

  it('on a schema-8 data folder migrated forward: every account kept with its venue as mode, and every row that references one', () => {
    const { file, db: before } = beforeAccountMode()
    const kept = accounts(before, 'venue')
    expect(kept.map((a) => a.kind)).toEqual(['paper', 'live'])
    const children = childTables(before)
    expect(children).toContain('trading_orders')
    expect(children).toContain('trading_fills')
    expect(children).toContain('paper_orders')
    const counts = new Map(children.map((t) => [t, count(before, t)]))
    expect(counts.get('trading_fills')).toBeGreaterThan(0)
    expect(counts.get('paper_orders')).toBeGreaterThan(0)
    const indexes = before
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trading_accounts'")
      .all()
    before.close()

    const db = openDatabase(file)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(columns(db, 'trading_accounts')).not.toContain('venue')
    expect(accounts(db, 'mode')).toEqual(kept)
    for (const [table, n] of counts) expect(count(db, table), table).toBe(n)
    expect(
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trading_accounts'")
        .all(),
    ).toEqual(indexes)
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)

    // The new kind is accepted, a made-up one refused.
    db.prepare("UPDATE trading_accounts SET mode = 'imported' WHERE id = 'sim-live'").run()
    expect(() =>
      db.prepare("UPDATE trading_accounts SET mode = 'bogus' WHERE id = 'sim-live'").run(),
    ).toThrow(/CHECK constraint failed/)
    // The references still hold: deleting an account still takes its rows with it.
    expect(count(db, 'trading_orders')).toBe(counts.get('trading_orders'))
    db.prepare("DELETE FROM trading_accounts WHERE id = 'sim-live'").run()
    expect(count(db, 'trading_orders')).toBe(counts.get('trading_orders')! - 1)
    expect(() =>
      db
        .prepare(
          `INSERT INTO trading_orders (account_id, client_order_id, symbol, side, type, amount, status, filled, origin,
             created_at, updated_at)
           VALUES ('nobody', 'cw-x', 'BTC/USDT', 'buy', 'market', '1', 'pending', '0', 'local', 1, 1)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/)
    closeDatabase(db)
  })

  it('needs foreign keys off: with them on, the same rebuild would delete every order, fill and paper book', () => {
    const { db } = beforeAccountMode()
    const orders = count(db, 'trading_orders')
    const step = MIGRATIONS[ACCOUNT_MODE - 1]!
    expect(step.foreignKeysOff).toBe(true)
    migrate(db, [...MIGRATIONS.slice(0, ACCOUNT_MODE - 1), { ...step, foreignKeysOff: false }])
    expect(orders).toBeGreaterThan(0)
    expect(count(db, 'trading_orders')).toBe(0)
    expect(count(db, 'trading_fills')).toBe(0)
    db.close()
  })

  it('refuses to run inside an open transaction, where foreign keys cannot be turned off, and changes nothing', () => {
    const { db } = beforeAccountMode()
    const orders = count(db, 'trading_orders')
    expect(() => db.transaction(() => migrate(db, MIGRATIONS))()).toThrow(
      /must run with foreign keys off, and they cannot be turned off inside a transaction/,
    )
    expect(db.pragma('user_version', { simple: true })).toBe(ACCOUNT_MODE - 1)
    expect(columns(db, 'trading_accounts')).toContain('venue')
    expect(count(db, 'trading_orders')).toBe(orders)
    db.close()
  })
})
