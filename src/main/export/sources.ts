import type { Db } from '../storage/database'
import { ExportError } from './columns'

/**
 * Row sources over SQLite, read a page at a time (timeOrderedSource), so rows are read as they
 * are written and never held all at once. Between pages the connection is free. For one
 * consistent snapshot while the engine goes on writing, an export in the engine should read on
 * a connection of its own inside one read transaction (WAL readers never block the writer).
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

/** Rows read per query: enough to make each query's cost vanish, few enough to hold at once. */
const PAGE = 5000

/**
 * The rows of `table` (aliased `t`) with their account's name, filtered on `timeColumn`, in the
 * order of `key` (account, time, then the row's own key: the order of the index on
 * (account_id, time), so each page is a range read of it). With one account that is time order;
 * without, rows come account by account, each in time order. Read a page at a time by keyset
 * (`key > last`), never with an open cursor: better-sqlite3's `iterate` costs several times more
 * per row than `all`, and an open cursor would keep the connection busy between pages.
 */
export function timeOrderedSource<R>(
  db: Db,
  table: string,
  timeColumn: string,
  rowKey: string,
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
  const cond = where.length ? where.join(' AND ') : '1'
  const total = (
    db.prepare(`SELECT COUNT(*) AS n FROM ${table} t WHERE ${cond}`).get(params) as { n: number }
  ).n
  const key = `t.account_id, t.${timeColumn}, t.${rowKey}`
  const select = `SELECT t.*, t.${rowKey} AS page_key, a.name AS account_name FROM ${table} t
    JOIN trading_accounts a ON a.id = t.account_id WHERE ${cond}`
  const first = db.prepare(`${select} ORDER BY ${key} LIMIT ${PAGE}`)
  const next = db.prepare(
    `${select} AND (${key}) > (@lastAccount, @lastTime, @lastKey) ORDER BY ${key} LIMIT ${PAGE}`,
  )
  function* rows(): Generator<R> {
    let page = first.all(params) as (R & Record<string, unknown>)[]
    while (page.length > 0) {
      yield* page
      if (page.length < PAGE) return
      const last = page[page.length - 1]!
      page = next.all({
        ...params,
        lastAccount: last.account_id,
        lastTime: last[timeColumn],
        lastKey: last.page_key,
      }) as (R & Record<string, unknown>)[]
    }
  }
  return { total, rows: rows() }
}
