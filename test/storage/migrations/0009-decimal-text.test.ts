import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { MONEY_COLUMNS } from '../../../src/main/storage/migrations/0009-decimal-text'
import { useTempDirs } from '../../support/temp-dir'
import { closeDatabase, ManualClock, Prices, service } from '../../trading/support'

const tempDir = useTempDirs()

/** Fills the previous schema wrote, more than one page of the copy (2,000 rows). */
const FILLS = 4_321

/**
 * A database at schema 8 as the previous Candlework left it: money in REAL columns, written as
 * doubles, some of them the noisy sums doubles make (0.1 + 0.2), some tiny (1e-7, which
 * SQLite's own REAL-to-TEXT would write with an exponent), with every order type's columns
 * (a trailing stop's distance and water mark, a held OCO leg).
 */
function version8(file: string): Database.Database {
  const db = new Database(file)
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS.slice(0, 8))
  db.transaction(() => write(db))()
  return db
}

function write(db: Database.Database): void {
  const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params)
  run(
    "INSERT INTO trading_accounts VALUES ('demo-paper', 'Demo', 'paper', 'paper', NULL, 0, NULL, NULL, 0, 0)",
  )
  run("INSERT INTO trading_accounts VALUES ('live', 'Binance', 'live', 'binance', NULL, 1, NULL, NULL, 0, 0)")
  const order = db.prepare(
    `INSERT INTO trading_orders (account_id, client_order_id, exchange_order_id, symbol, side, type, amount, price,
       stop_price, status, filled, average, created_at, updated_at, trailing_percent, trailing_amount,
       activation_price, water_mark, emulated, oco_group)
     VALUES ('demo-paper', ?, ?, 'BTC/USDT', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  order.run(
    'cw-1',
    '1',
    'buy',
    'market',
    0.001,
    null,
    null,
    'filled',
    0.001,
    84000.12,
    1,
    1,
    null,
    null,
    null,
    null,
    0,
    null,
  )
  order.run(
    'cw-2',
    '2',
    'sell',
    'limit',
    0.1 + 0.2,
    90000.5,
    null,
    'open',
    0,
    null,
    2,
    2,
    null,
    null,
    null,
    null,
    0,
    null,
  )
  order.run(
    'cw-3',
    null,
    'sell',
    'stop',
    1e-7,
    null,
    70000,
    'pending',
    0,
    null,
    3,
    3,
    null,
    null,
    null,
    null,
    0,
    null,
  )
  order.run(
    'cw-4',
    '4',
    'sell',
    'trailing_stop',
    0.5,
    null,
    82_350.5,
    'open',
    0,
    null,
    4,
    4,
    1.5,
    null,
    85_000,
    83_600.5,
    0,
    null,
  )
  order.run(
    'cw-5',
    null,
    'sell',
    'trailing_stop',
    0.25,
    null,
    null,
    'open',
    0,
    null,
    5,
    5,
    null,
    12.5,
    null,
    null,
    1,
    'oco-1',
  )
  const fill = db.prepare(
    `INSERT INTO trading_fills (account_id, symbol, trade_id, exchange_order_id, client_order_id, side, amount,
       price, cost, fee_cost, fee_currency, taker_or_maker, time, recorded_at)
     VALUES ('demo-paper', 'BTC/USDT', ?, ?, NULL, ?, ?, ?, ?, ?, ?, 'taker', ?, ?)`,
  )
  // Every fill at the same time: only their rowids keep their order.
  for (let i = 1; i <= FILLS; i++) {
    const amount = i / 100_000 // 0.00001, 0.00002, ...: doubles, not all exact
    const price = 84_000 + i / 100
    const side = i % 3 === 0 ? 'sell' : 'buy'
    fill.run(
      String(i),
      String(i),
      side,
      amount,
      price,
      amount * price,
      i % 7 === 0 ? null : amount * 0.001,
      i % 7 === 0 ? null : 'BTC',
      1_000,
      1_000,
    )
  }
  run(
    "INSERT INTO trading_balance_snapshots VALUES ('live', 'USDT', ?, ?, ?, 5)",
    9_899.9 + 0.1 + 0.2,
    0,
    1e21,
  )
  run("INSERT INTO paper_settings VALUES ('demo-paper', 'USDT', 10000, 10, 7.5, 5, 0)")
  run("INSERT INTO paper_balances VALUES ('demo-paper', 'USDT', ?, ?)", 9899.900000000001, 90.1)
  run("INSERT INTO paper_balances VALUES ('demo-paper', 'BTC', ?, 0)", 0.000999)
  run(
    `INSERT INTO paper_orders (id, account_id, client_order_id, symbol, side, type, amount, price, stop_price, status,
       filled, cost, reserved_asset, reserved, created_at, updated_at)
     VALUES (2, 'demo-paper', 'cw-2', 'BTC/USDT', 'sell', 'limit', ?, 90000.5, NULL, 'open', 0, 0, 'BTC', ?, 2, 2)`,
    0.1 + 0.2,
    0.1 + 0.2,
  )
  run(
    `INSERT INTO paper_orders (id, account_id, client_order_id, symbol, side, type, amount, stop_price, status,
       filled, cost, reserved_asset, reserved, created_at, updated_at, trailing_percent, activation_price, water_mark)
     VALUES (4, 'demo-paper', 'cw-4', 'BTC/USDT', 'sell', 'trailing_stop', 0.5, 82350.5, 'open', 0, 0, 'BTC', 0.5,
       4, 4, 1.5, 85000, 83600.5)`,
  )
  run('UPDATE paper_sequence SET next_order_id = 5')
}

const rowsOf = (db: Database.Database, table: string): number =>
  db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number

const indexesOf = (db: Database.Database): string[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
    .pluck()
    .all() as string[]

const columnTypes = (db: Database.Database, table: string): Record<string, string> =>
  Object.fromEntries(
    (db.pragma(`table_info(${table})`) as { name: string; type: string }[]).map((c) => [c.name, c.type]),
  )

describe('migration 9: money as exact decimal text', () => {
  it('turns every money column into TEXT holding the shortest exact decimal of each stored double, keeping every row', () => {
    const db = version8(join(tempDir(), 'm9.db'))
    const counts = Object.fromEntries(Object.keys(MONEY_COLUMNS).map((t) => [t, rowsOf(db, t)]))
    const indexes = indexesOf(db)
    const fillOrder = db.prepare('SELECT trade_id FROM trading_fills ORDER BY time, rowid').pluck().all()
    const otherTypes = Object.fromEntries(Object.keys(MONEY_COLUMNS).map((t) => [t, columnTypes(db, t)]))

    migrate(db, MIGRATIONS.slice(0, 9))
    expect(MIGRATIONS[8]!.name).toMatch(/decimal text/)
    expect(db.pragma('user_version', { simple: true })).toBe(9)

    // Every row kept, every index back, fills still in the order they were recorded.
    for (const [table, n] of Object.entries(counts)) expect(rowsOf(db, table), table).toBe(n)
    expect(counts['trading_fills']).toBe(FILLS)
    expect(indexesOf(db)).toEqual(indexes)
    expect(db.prepare('SELECT trade_id FROM trading_fills ORDER BY time, rowid').pluck().all()).toEqual(
      fillOrder,
    )
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')

    // TEXT columns holding decimal text, never a number and never an exponent; no other column changed.
    for (const [table, columns] of Object.entries(MONEY_COLUMNS)) {
      const types = columnTypes(db, table)
      expect(Object.keys(types), table).toEqual(Object.keys(otherTypes[table]!))
      for (const [c, type] of Object.entries(types)) {
        expect(type, `${table}.${c}`).toBe(columns.includes(c) ? 'TEXT' : otherTypes[table]![c])
      }
      for (const c of columns) {
        const bad = db
          .prepare(
            `SELECT COUNT(*) FROM ${table} WHERE ${c} IS NOT NULL AND (typeof(${c}) != 'text' OR ${c} GLOB '*[eE]*')`,
          )
          .pluck()
          .get()
        expect(bad, `${table}.${c}`).toBe(0)
      }
    }

    // The values: what each double was written as, exactly.
    expect(
      db
        .prepare(
          `SELECT client_order_id, amount, price, stop_price, filled, average, trailing_percent, trailing_amount,
             activation_price, water_mark, emulated, oco_group FROM trading_orders ORDER BY 1`,
        )
        .all(),
    ).toEqual([
      {
        client_order_id: 'cw-1',
        amount: '0.001',
        price: null,
        stop_price: null,
        filled: '0.001',
        average: '84000.12',
        trailing_percent: null,
        trailing_amount: null,
        activation_price: null,
        water_mark: null,
        emulated: 0,
        oco_group: null,
      },
      {
        client_order_id: 'cw-2',
        amount: '0.30000000000000004',
        price: '90000.5',
        stop_price: null,
        filled: '0',
        average: null,
        trailing_percent: null,
        trailing_amount: null,
        activation_price: null,
        water_mark: null,
        emulated: 0,
        oco_group: null,
      },
      {
        client_order_id: 'cw-3',
        amount: '0.0000001',
        price: null,
        stop_price: '70000',
        filled: '0',
        average: null,
        trailing_percent: null,
        trailing_amount: null,
        activation_price: null,
        water_mark: null,
        emulated: 0,
        oco_group: null,
      },
      {
        client_order_id: 'cw-4',
        amount: '0.5',
        price: null,
        stop_price: '82350.5',
        filled: '0',
        average: null,
        trailing_percent: '1.5',
        trailing_amount: null,
        activation_price: '85000',
        water_mark: '83600.5',
        emulated: 0,
        oco_group: null,
      },
      {
        client_order_id: 'cw-5',
        amount: '0.25',
        price: null,
        stop_price: null,
        filled: '0',
        average: null,
        trailing_percent: null,
        trailing_amount: '12.5',
        activation_price: null,
        water_mark: null,
        emulated: 1,
        oco_group: 'oco-1',
      },
    ])
    const fill = (id: number) =>
      db.prepare('SELECT amount, price, cost, fee_cost FROM trading_fills WHERE trade_id = ?').get(String(id))
    // 1e-8 would be text with an exponent from SQLite; 0.00008 * 84000.08 is 6.720006400000001 in doubles.
    expect(fill(1)).toEqual({
      amount: '0.00001',
      price: '84000.01',
      cost: '0.8400001',
      fee_cost: '0.00000001',
    })
    expect(fill(8)).toEqual({
      amount: '0.00008',
      price: '84000.08',
      cost: '6.720006400000001',
      fee_cost: '0.00000008',
    })
    expect(fill(7)).toEqual({ amount: '0.00007', price: '84000.07', cost: '5.8800049', fee_cost: null })
    expect(db.prepare('SELECT free, used, total FROM trading_balance_snapshots').get()).toEqual({
      free: '9900.2',
      used: '0',
      total: '1000000000000000000000',
    })
    expect(db.prepare('SELECT starting_amount, taker_fee_bps FROM paper_settings').get()).toEqual({
      starting_amount: '10000',
      taker_fee_bps: 7.5,
    })
    expect(db.prepare('SELECT asset, free, used FROM paper_balances ORDER BY asset').all()).toEqual([
      { asset: 'BTC', free: '0.000999', used: '0' },
      { asset: 'USDT', free: '9899.900000000001', used: '90.1' },
    ])
    expect(
      db
        .prepare(
          'SELECT id, amount, price, stop_price, filled, cost, reserved, trailing_percent, activation_price, water_mark FROM paper_orders ORDER BY id',
        )
        .all(),
    ).toEqual([
      {
        id: 2,
        amount: '0.30000000000000004',
        price: '90000.5',
        stop_price: null,
        filled: '0',
        cost: '0',
        reserved: '0.30000000000000004',
        trailing_percent: null,
        activation_price: null,
        water_mark: null,
      },
      {
        id: 4,
        amount: '0.5',
        price: null,
        stop_price: '82350.5',
        filled: '0',
        cost: '0',
        reserved: '0.5',
        trailing_percent: '1.5',
        activation_price: '85000',
        water_mark: '83600.5',
      },
    ])
    // A new row's defaults are decimal text too.
    db.prepare(
      `INSERT INTO trading_orders (account_id, client_order_id, symbol, side, type, amount, status, created_at, updated_at)
       VALUES ('demo-paper', 'cw-new', 'BTC/USDT', 'buy', 'market', '1', 'pending', 9, 9)`,
    ).run()
    expect(db.prepare("SELECT filled FROM trading_orders WHERE client_order_id = 'cw-new'").get()).toEqual({
      filled: '0',
    })
    db.close()
  })

  it('keeps every constraint: the order types, foreign keys and the unique exchange id', () => {
    const db = version8(join(tempDir(), 'constraints.db'))
    migrate(db, MIGRATIONS)
    const insert = (type: string) =>
      db
        .prepare(
          `INSERT INTO trading_orders (account_id, client_order_id, symbol, side, type, amount, status, created_at, updated_at)
           VALUES ('demo-paper', ?, 'BTC/USDT', 'buy', ?, '1', 'pending', 0, 0)`,
        )
        .run(`t-${type}`, type)
    for (const type of [
      'market',
      'limit',
      'stop',
      'stop_limit',
      'take_profit',
      'take_profit_limit',
      'trailing_stop',
    ])
      expect(() => insert(type), type).not.toThrow()
    expect(() => insert('iceberg')).toThrow(/CHECK/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO trading_orders (account_id, client_order_id, symbol, side, type, amount, status, created_at, updated_at) VALUES ('nobody', 'x', 'S', 'buy', 'market', '1', 'sent', 0, 0)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO trading_orders (account_id, client_order_id, exchange_order_id, symbol, side, type, amount, status, created_at, updated_at) VALUES ('demo-paper', 'cw-9', '1', 'BTC/USDT', 'buy', 'market', '1', 'sent', 0, 0)",
        )
        .run(),
    ).toThrow(/UNIQUE/)
    db.close()
  })

  it('is read by the engine as it was written: orders, fills, positions, balances and the trailing stop', async () => {
    const file = join(tempDir(), 'engine.db')
    version8(file).close()
    const db = new Database(file)
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS)
    const svc = service(db, new ManualClock(), new Prices().set('BTC/USDT', { bid: 99, ask: 100 }))
    expect(svc.orders('demo-paper', { limit: 5 }).map((o) => [o.clientOrderId, o.amount, o.average])).toEqual(
      [
        ['cw-5', '0.25', null],
        ['cw-4', '0.5', null],
        ['cw-3', '0.0000001', null],
        ['cw-2', '0.30000000000000004', null],
        ['cw-1', '0.001', '84000.12'],
      ],
    )
    expect(svc.orders('demo-paper', { clientOrderId: 'cw-4', limit: 1 })[0]).toMatchObject({
      trailingPercent: '1.5',
      activationPrice: '85000',
      waterMark: '83600.5',
      stopPrice: '82350.5',
    })
    expect(svc.fills('demo-paper', { limit: 1 })[0]).toMatchObject({
      tradeId: String(FILLS),
      amount: '0.04321',
    })
    const balances = await svc.balances('demo-paper')
    expect(balances.balances.map((b) => [b.asset, b.free, b.used, b.total])).toEqual([
      ['BTC', '0.000999', '0', '0.000999'],
      ['USDT', '9899.900000000001', '90.1', '9990.000000000001'],
    ])
    const [position] = await svc.positions('demo-paper')
    expect(position!.fills).toBe(FILLS)
    svc.close()
    closeDatabase(db)
  })

  it('stops at a value that is no number, naming it, and leaves the database as it was', () => {
    const db = version8(join(tempDir(), 'bad.db'))
    db.prepare("UPDATE paper_balances SET free = ? WHERE asset = 'BTC'").run(Number.POSITIVE_INFINITY)
    expect(() => migrate(db, MIGRATIONS)).toThrow(
      /migration 9: paper_balances\.free = Infinity \(rowid 2, account_id demo-paper, asset BTC\) is not a finite number/,
    )
    expect(db.pragma('user_version', { simple: true })).toBe(8)
    expect(columnTypes(db, 'trading_fills')['amount']).toBe('REAL')
    expect(rowsOf(db, 'trading_fills')).toBe(FILLS)
    expect(db.prepare("SELECT free FROM paper_balances WHERE asset = 'USDT'").pluck().get()).toBe(
      9899.900000000001,
    )
    db.close()
  })
})
