import { Decimal } from '../../../shared/decimal/decimal'
import type { Db } from '../db'
import type { MigrationStep } from '../migration'

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
 * Money as exact decimal text (src/shared/decimal/decimal.ts).
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
export const migration: MigrationStep = {
  name: 'trading: amounts, prices, fees and balances as exact decimal text',
  up(db) {
    for (const [table, money] of Object.entries(MONEY_COLUMNS)) rebuildWithText(db, table, money)
  },
}

/** Rebuilds one table with its money columns as decimal text; see `migration`. */
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
