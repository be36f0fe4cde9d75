import type { Db } from '../storage/database'
import { ExportError } from './columns'

/**
 * Row sources over SQLite: one query in time order, read with better-sqlite3's `iterate`, so
 * rows are read as they are written and never held all at once. The export should run on a
 * connection of its own (the CLI's, or one the engine opens for it): an open iterator keeps its
 * connection busy, and on its own connection it reads one consistent snapshot (WAL) while the
 * engine goes on writing.
 */

/** Which rows: one account (by id or name), and a time range [from, to) in ms. */
export interface ExportFilter {
  account?: string | undefined
  from?: number | undefined
  to?: number | undefined
}

export interface RowSource<R> {
  /** How many rows the export will write (for progress). */
  total: number
  rows: IterableIterator<R>
}

/** The id of the account named (id first, then name); refuses an unknown or ambiguous one. */
export function resolveAccount(db: Db, account: string): string {
  const byId = db
    .prepare<[string], { id: string }>('SELECT id FROM trading_accounts WHERE id = ?')
    .get(account)
  if (byId) return byId.id
  const byName = db
    .prepare<[string], { id: string }>('SELECT id FROM trading_accounts WHERE name = ?')
    .all(account)
  if (byName.length === 1) return byName[0]!.id
  const known = db
    .prepare<[], { id: string; name: string }>(
      'SELECT id, name FROM trading_accounts ORDER BY created_at, id',
    )
    .all()
    .map((a) => (a.id === a.name ? a.id : `${a.name} (${a.id})`))
  if (byName.length > 1)
    throw new ExportError(`--account: ${byName.length} accounts are named "${account}"; give its id`)
  throw new ExportError(
    `--account: no account "${account}"` +
      (known.length ? `; accounts: ${known.join(', ')}` : '; there are no accounts'),
  )
}

/** A query of `table` (aliased `t`) joined to its account's name, filtered on `timeColumn`. */
export function timeOrderedSource<R>(
  db: Db,
  table: string,
  timeColumn: string,
  filter: ExportFilter,
): RowSource<R> {
  const where: string[] = []
  const params: Record<string, unknown> = {}
  if (filter.account !== undefined) {
    where.push('t.account_id = @account')
    params.account = resolveAccount(db, filter.account)
  }
  if (filter.from !== undefined) {
    where.push(`t.${timeColumn} >= @from`)
    params.from = filter.from
  }
  if (filter.to !== undefined) {
    where.push(`t.${timeColumn} < @to`)
    params.to = filter.to
  }
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM ${table} t ${cond}`).get(params) as { n: number }).n
  const order =
    table === 'trading_orders'
      ? `t.${timeColumn}, t.account_id, t.client_order_id`
      : `t.${timeColumn}, t.rowid`
  const rows = db
    .prepare(
      `SELECT t.*, a.name AS account_name FROM ${table} t
       JOIN trading_accounts a ON a.id = t.account_id ${cond} ORDER BY ${order}`,
    )
    .iterate(params) as IterableIterator<R>
  return { total, rows }
}
