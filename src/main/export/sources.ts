import type { Db } from '../storage/database'
import { ExportError, type RowWriter } from './columns'

/**
 * Row sources over SQLite, read a page at a time (timeOrderedSource), so rows are read as they
 * are written and never held all at once. Between pages the connection is free. For one
 * consistent snapshot while the engine goes on writing, an export in the engine should read on
 * a connection of its own inside one read transaction (WAL readers never block the writer).
 */

/**
 * Which rows: one account (by id or name), and a time range [from, to) in ms; for the alert
 * history also one alert (id or name), symbol and kind (what fired it).
 */
export interface ExportFilter {
  account?: string | undefined
  from?: number | undefined
  to?: number | undefined
  alert?: string | undefined
  symbol?: string | undefined
  kind?: string | undefined
}

export interface LineSource {
  /** How many rows the export will write (for progress). */
  total: number
  /** Each row's CSV line, without its line ending, a page of rows at a time. */
  lines: IterableIterator<readonly string[]>
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

/**
 * Rows read per query: enough to make each query's seek cost vanish, few enough that pages do
 * not pile up in the heap between collections (5,000 took RSS growth for 1M fills near 100 MB).
 */
const PAGE = 1000

/**
 * The CSV lines of the rows of `table` (aliased `t`, its account `a`), filtered on `timeColumn`,
 * in the order of the key (account, time, then `rowKey`, unique within an account: the order of
 * the index on (account_id, time), so each page is a range read of it). With one account that is
 * time order; without, rows come account by account, each in time order.
 *
 * Read a page at a time by keyset (`key > last`), never with an open cursor, which would keep the
 * connection busy between pages while the writer awaits the disk. Rows are raw arrays of the
 * writer's `selects` (no object per row); the rare row its fast path cannot write as it is gets
 * read again by its key, column by column, for `exactLine`. A page and those reads run in one
 * read transaction, so they see the same data.
 */
export function timeOrderedSource(
  db: Db,
  table: string,
  timeColumn: string,
  rowKey: string,
  writer: RowWriter,
  filter: ExportFilter,
  opts: {
    /** The FROM clause (`t` the table, `a` its account, and what else the columns read). */
    from?: string
    /** The account's id from `--account` (an id or a name). */
    resolve?: (db: Db, account: string) => string
  } = {},
): LineSource {
  const where: string[] = []
  const params: Record<string, unknown> = {}
  if (filter.account !== undefined) {
    where.push('t.account_id = @account')
    params.account = (opts.resolve ?? resolveAccount)(db, filter.account)
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
  const from = opts.from ?? `FROM ${table} t JOIN trading_accounts a ON a.id = t.account_id`
  // The key comes last, so the last row of a page says where the next one starts.
  const select = `SELECT ${writer.selects.join(', ')}, ${key} ${from} WHERE ${cond}`
  const first = db.prepare(`${select} ORDER BY ${key} LIMIT ${PAGE}`).raw(true)
  const next = db
    .prepare(`${select} AND (${key}) > (@lastAccount, @lastTime, @lastKey) ORDER BY ${key} LIMIT ${PAGE}`)
    .raw(true)
  const exact = db
    .prepare(`SELECT ${writer.exactSelects.join(', ')} ${from} WHERE t.account_id = ? AND t.${rowKey} = ?`)
    .raw(true)
  const k = writer.selects.length
  const readPage = db.transaction((after: unknown[] | undefined) => {
    const rows = (
      after
        ? next.all({ ...params, lastAccount: after[k], lastTime: after[k + 1], lastKey: after[k + 2] })
        : first.all(params)
    ) as unknown[][]
    const lines = new Array<string>(rows.length)
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!
      lines[i] = writer.line(row) ?? writer.exactLine(exact.get(row[k], row[k + 2]) as unknown[])
    }
    return { lines, last: rows.at(-1) }
  })
  function* lines(): Generator<readonly string[]> {
    let page = readPage(undefined)
    for (;;) {
      yield page.lines
      if (page.lines.length < PAGE) return
      page = readPage(page.last)
    }
  }
  return { total, lines: lines() }
}
