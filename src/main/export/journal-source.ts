import { decodeTrade } from '../journal/store'
import { present, type TraderEdit } from '../journal/trade'
import type { Db } from '../storage/database'
import { ExportError, type RowWriter } from './columns'
import type { ExportFilter, LineSource } from './sources'
import { TRADE_GETTERS, type TradeExportRow } from './trade-columns'

/** Trades read per query (as sources.ts reads fills and orders). */
const PAGE = 1000

/**
 * The id of the journal account named: an id the journal or trading knows, else a name the
 * journal keeps (also for an account deleted since; the journal never loses its trades).
 */
export function resolveJournalAccount(db: Db, account: string): string {
  const byId = db
    .prepare<[string, string], { id: string }>(
      `SELECT account_id AS id FROM journal_accounts WHERE account_id = ?
       UNION SELECT id FROM trading_accounts WHERE id = ?`,
    )
    .get(account, account)
  if (byId) return byId.id
  const byName = db
    .prepare<[string], { id: string }>('SELECT account_id AS id FROM journal_accounts WHERE name = ?')
    .all(account)
  if (byName.length === 1) return byName[0]!.id
  if (byName.length > 1)
    throw new ExportError(`--account: ${byName.length} accounts are named "${account}"; give its id`)
  const known = db
    .prepare<[], { id: string; name: string }>(
      'SELECT account_id AS id, name FROM journal_accounts ORDER BY name',
    )
    .all()
    .map((a) => (a.id === a.name ? a.id : `${a.name} (${a.id})`))
  throw new ExportError(
    `--account: no account "${account}" in the journal` +
      (known.length ? `; accounts: ${known.join(', ')}` : '; the journal has no trades yet'),
  )
}

interface PageRow {
  key: string
  account_id: string
  symbol: string
  entry_time: number
  data: string
  name: string | null
  notes: string | null
  tags: string | null
  rating: number | null
  stop_price: string | null
}

/**
 * The CSV lines of the journal's trades (journal_trades as the journal last stored them, with
 * the trader's edits), filtered on entry time, account by account, each in entry-time order:
 * the order of journal_trades_by_time, read a page at a time by keyset like fills and orders.
 * Each trade is decoded and shown as the journal shows it (`present`), then its cells are
 * written by the shared column rules; the `fills` column reads the trade's recorded fills from
 * journal_fills only when it is chosen.
 */
export function journalTradesSource(db: Db, writer: RowWriter, filter: ExportFilter): LineSource {
  const where: string[] = []
  const params: Record<string, unknown> = {}
  if (filter.account !== undefined) {
    where.push('t.account_id = @account')
    params.account = resolveJournalAccount(db, filter.account)
  }
  if (filter.from !== undefined) {
    where.push('t.entry_time >= @from')
    params.from = filter.from
  }
  if (filter.to !== undefined) {
    where.push('t.entry_time < @to')
    params.to = filter.to
  }
  const cond = where.length ? where.join(' AND ') : '1'
  const total = (
    db.prepare(`SELECT COUNT(*) AS n FROM journal_trades t WHERE ${cond}`).get(params) as { n: number }
  ).n
  const select = `SELECT t.key, t.account_id, t.symbol, t.entry_time, t.data, a.name, e.notes, e.tags, e.rating,
      e.stop_price
    FROM journal_trades t
    LEFT JOIN journal_accounts a ON a.account_id = t.account_id
    LEFT JOIN journal_edits e ON e.key = t.key
    WHERE ${cond}`
  const order = 'ORDER BY t.account_id, t.entry_time, t.key'
  const first = db.prepare<Record<string, unknown>, PageRow>(`${select} ${order} LIMIT ${PAGE}`)
  const next = db.prepare<Record<string, unknown>, PageRow>(
    `${select} AND (t.account_id, t.entry_time, t.key) > (@lastAccount, @lastTime, @lastKey) ${order} LIMIT ${PAGE}`,
  )
  // The page's recorded fills in one statement, each trade's as the JSON text of its `fills` cell,
  // built by SQLite: one indexed read per fill by journal_fills' unique key, driven by a JSON
  // list of (trade's row, account, symbol, trade id, time). A statement call per fill, and an
  // object and JSON.stringify per fill in JavaScript, made a trade cost ~56 µs with this column
  // against ~15 µs without (bench/csv.bench.ts).
  const pageFills = db
    .prepare<[string], [number, string]>(
      `SELECT j.value ->> 0, json_group_array(json_object('time', f.time, 'trade_id', f.trade_id,
         'order_id', f.exchange_order_id, 'client_order_id', f.client_order_id, 'side', f.side, 'amount', f.amount,
         'price', f.price, 'fee', f.fee_cost, 'fee_currency', f.fee_currency) ORDER BY j.key)
       FROM json_each(?) j
       JOIN journal_fills f ON f.account_id = j.value ->> 1 AND f.symbol = j.value ->> 2
         AND f.trade_id = j.value ->> 3 AND f.time = j.value ->> 4
       GROUP BY j.value ->> 0`,
    )
    .raw(true)
  const getters = writer.exactSelects.map((s) => TRADE_GETTERS.get(s)!)
  const wantFills = writer.exactSelects.includes('fills')
  const readPage = db.transaction((after: PageRow | undefined) => {
    const rows = after
      ? next.all({ ...params, lastAccount: after.account_id, lastTime: after.entry_time, lastKey: after.key })
      : first.all(params)
    const stored = rows.map((r) => decodeTrade(r.key, r.account_id, r.symbol, r.data))
    const fills = wantFills ? recordedFills(pageFills, stored) : null
    const lines = new Array<string>(rows.length)
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!
      const t = stored[i]!
      const edit: TraderEdit | null =
        r.notes === null
          ? null
          : {
              notes: r.notes,
              tags: JSON.parse(r.tags ?? '[]') as TraderEdit['tags'],
              rating: r.rating,
              stopPrice: r.stop_price,
            }
      const row: TradeExportRow = {
        trade: present(t, edit, r.name ?? r.account_id),
        stored: t,
        fills: () => fills?.[i] ?? '[]',
      }
      lines[i] = writer.exactLine(getters.map((g) => g(row)))
    }
    return { lines, last: rows.at(-1) }
  })
  function* lines(): Generator<readonly string[]> {
    let page = readPage(undefined)
    for (;;) {
      yield page.lines
      if (page.lines.length < PAGE || !page.last) return
      page = readPage(page.last)
    }
  }
  return { total, lines: lines() }
}

/**
 * Each trade's fills as trading recorded them (journal_fills), in the journal's order, as JSON
 * text, by the trade's index in `trades`: the amount before any base-currency fee, the fee with
 * its currency, a flip's whole fill (it is listed by both trades it touches; the importer keeps
 * it once). A trade none of whose fills are found gets `[]`.
 */
function recordedFills(
  stmt: { all(json: string): [number, string][] },
  trades: readonly {
    accountId: string
    symbol: string
    fills: readonly { tradeId: string; time: number }[]
  }[],
): string[] {
  const wanted: (string | number)[][] = []
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i]!
    let last = ''
    for (const p of t.fills) {
      // A fill split in two parts within one trade (none today) is still one fill.
      const id = `${p.time}\u0000${p.tradeId}`
      if (id === last) continue
      last = id
      wanted.push([i, t.accountId, t.symbol, p.tradeId, p.time])
    }
  }
  const out = new Array<string>(trades.length).fill('[]')
  for (const [i, json] of stmt.all(JSON.stringify(wanted))) out[i] = json
  return out
}
