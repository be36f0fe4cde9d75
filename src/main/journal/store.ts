import type { JournalFill } from '../../shared/contract/journal'
import type { Fill } from '../../shared/domain/trading'
import type { Db } from '../storage/database'
import { perConnection } from '../storage/statements'
import type { SourceFill } from './round-trips'
import type { ImportedFacts, StoredTrade, TraderEdit } from './trade'

/** SQLite access for the journal's tables (migration 11). Functions take `db` first. */

interface FillRow {
  seq: number
  account_id: string
  symbol: string
  trade_id: string
  time: number
  exchange_order_id: string
  client_order_id: string | null
  side: 'buy' | 'sell'
  amount: string
  price: string
  fee_cost: string | null
  fee_currency: string | null
}

/** A FillRow's values in FILL_COLUMNS' order. */
type FillTuple = [
  seq: number,
  account_id: string,
  symbol: string,
  trade_id: string,
  time: number,
  exchange_order_id: string,
  client_order_id: string | null,
  side: 'buy' | 'sell',
  amount: string,
  price: string,
  fee_cost: string | null,
  fee_currency: string | null,
]

interface EditRow {
  key: string
  notes: string
  tags: string
  rating: number | null
  stop_price: string | null
}

const FILL_COLUMNS = `rowid AS seq, account_id, symbol, trade_id, time, exchange_order_id, client_order_id, side,
  amount, price, fee_cost, fee_currency`

const st = perConnection((db: Db) => ({
  insertFill: db.prepare(
    `INSERT OR IGNORE INTO journal_fills (account_id, symbol, trade_id, time, exchange_order_id, client_order_id,
       side, amount, price, fee_cost, fee_currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  // Fills the journal has not copied yet, in the order trading recorded them. Those it has are
  // left out before the sort (a rebuild usually finds none, and sorting 100,000 to ignore them cost a tenth of it).
  copyMissing: db.prepare(
    `INSERT OR IGNORE INTO journal_fills (account_id, symbol, trade_id, time, exchange_order_id, client_order_id,
       side, amount, price, fee_cost, fee_currency)
     SELECT account_id, symbol, trade_id, time, exchange_order_id, client_order_id, side, amount, price, fee_cost,
       fee_currency FROM trading_fills t
     WHERE NOT EXISTS (SELECT 1 FROM journal_fills j WHERE j.account_id = t.account_id AND j.symbol = t.symbol
       AND j.trade_id = t.trade_id AND j.time = t.time)
     ORDER BY time, rowid`,
  ),
  // The same for one range of trading_fills' rowids: a catch-up after start copies a slice at a
  // time. Fills of one time keep their order across slices (a later slice has larger rowids).
  copyMissingIn: db.prepare<[number, number]>(
    `INSERT OR IGNORE INTO journal_fills (account_id, symbol, trade_id, time, exchange_order_id, client_order_id,
       side, amount, price, fee_cost, fee_currency)
     SELECT account_id, symbol, trade_id, time, exchange_order_id, client_order_id, side, amount, price, fee_cost,
       fee_currency FROM trading_fills t
     WHERE t.rowid > ? AND t.rowid <= ? AND NOT EXISTS (SELECT 1 FROM journal_fills j
       WHERE j.account_id = t.account_id AND j.symbol = t.symbol AND j.trade_id = t.trade_id AND j.time = t.time)
     ORDER BY time, rowid`,
  ),
  lastTradingRowid: db.prepare<[], { n: number | null }>('SELECT MAX(rowid) AS n FROM trading_fills'),
  pairs: db
    .prepare<[], [string, string]>(
      'SELECT DISTINCT account_id, symbol FROM journal_fills ORDER BY account_id, symbol',
    )
    .raw(true),
  fillBySeq: db.prepare<[number], FillRow>(`SELECT ${FILL_COLUMNS} FROM journal_fills WHERE rowid = ?`),
  // Rows as arrays (FILL_COLUMNS' order): a rebuild reads 100,000 and objects with names cost twice as much.
  allFills: db
    .prepare<[], FillTuple>(
      `SELECT ${FILL_COLUMNS} FROM journal_fills ORDER BY account_id, symbol, time, rowid`,
    )
    .raw(true),
  // The pair index holds (time, rowid) in order: a page is a range of it.
  pairFillsPage: db.prepare<[string, string, number, number, number, number], FillRow>(
    `SELECT ${FILL_COLUMNS} FROM journal_fills
      WHERE account_id = ? AND symbol = ? AND time >= ? AND NOT (time = ? AND rowid <= ?)
      ORDER BY time, rowid LIMIT ?`,
  ),
  pairFills: db.prepare<[string, string], FillRow>(
    `SELECT ${FILL_COLUMNS} FROM journal_fills WHERE account_id = ? AND symbol = ? ORDER BY time, rowid`,
  ),
  countFills: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM journal_fills'),
  upsertTrade: db.prepare(
    `INSERT INTO journal_trades (key, account_id, symbol, entry_time, data) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET data = excluded.data`,
  ),
  deleteTrade: db.prepare('DELETE FROM journal_trades WHERE key = ?'),
  deleteAllTrades: db.prepare('DELETE FROM journal_trades'),
  allTrades: db.prepare<[], { key: string; account_id: string; symbol: string; data: string }>(
    'SELECT key, account_id, symbol, data FROM journal_trades ORDER BY key',
  ),
  edit: db.prepare<[string], EditRow>(
    'SELECT key, notes, tags, rating, stop_price FROM journal_edits WHERE key = ?',
  ),
  allEdits: db.prepare<[], EditRow>('SELECT key, notes, tags, rating, stop_price FROM journal_edits'),
  saveEdit: db.prepare(
    `INSERT INTO journal_edits (key, notes, tags, rating, stop_price, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET notes = excluded.notes, tags = excluded.tags, rating = excluded.rating,
       stop_price = excluded.stop_price, updated_at = excluded.updated_at`,
  ),
  account: db.prepare<[string], { name: string; source: string }>(
    'SELECT name, source FROM journal_accounts WHERE account_id = ?',
  ),
  saveAccount: db.prepare(
    `INSERT INTO journal_accounts (account_id, name, source) VALUES (?, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET name = excluded.name, source = excluded.source`,
  ),
  allAccounts: db.prepare<[], { account_id: string; name: string; source: string }>(
    'SELECT account_id, name, source FROM journal_accounts',
  ),
  allImported: db.prepare<[], { key: string; data: string }>('SELECT key, data FROM journal_imported'),
  saveImported: db.prepare('INSERT OR REPLACE INTO journal_imported (key, data) VALUES (?, ?)'),
  addEdit: db.prepare(
    `INSERT OR IGNORE INTO journal_edits (key, notes, tags, rating, stop_price, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  ),
  setting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
  saveSetting: db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ),
}))

function toSource(r: FillRow): SourceFill {
  return {
    accountId: r.account_id,
    symbol: r.symbol,
    tradeId: r.trade_id,
    orderId: r.exchange_order_id,
    clientOrderId: r.client_order_id,
    side: r.side,
    amount: r.amount,
    price: r.price,
    feeCost: r.fee_cost,
    feeCurrency: r.fee_currency,
    time: r.time,
    seq: r.seq,
  }
}

/** Copies one fill; the copy as the journal applies it, or null when it had it already. */
export function copyFill(db: Db, f: Fill): SourceFill | null {
  const r = st(db).insertFill.run(
    f.accountId,
    f.symbol,
    f.tradeId,
    f.time,
    f.exchangeOrderId,
    f.clientOrderId,
    f.side,
    f.amount,
    f.price,
    f.fee?.cost ?? null,
    f.fee?.currency ?? null,
  )
  if (r.changes !== 1) return null
  const row = st(db).fillBySeq.get(Number(r.lastInsertRowid))
  return row ? toSource(row) : null
}

/** Copies every fill of trading_fills the journal does not hold yet; how many it copied. */
export function copyMissingFills(db: Db): number {
  return st(db).copyMissing.run().changes
}

/** The same for trading_fills' rowids in (after, upTo]. */
export function copyMissingFillsIn(db: Db, after: number, upTo: number): number {
  return st(db).copyMissingIn.run(after, upTo).changes
}

/** The largest rowid of trading_fills (0 when empty): where a sliced copy stops. */
export function lastTradingFillRowid(db: Db): number {
  return st(db).lastTradingRowid.get()?.n ?? 0
}

/** Every (account, symbol) the journal holds fills of. */
export function fillPairs(db: Db): [accountId: string, symbol: string][] {
  return st(db).pairs.all()
}

export function fillCount(db: Db): number {
  return st(db).countFills.get()?.n ?? 0
}

/** Every fill, grouped by (account, symbol), each group in the order the journal applies it. */
export function allFills(db: Db): SourceFill[] {
  // Read whole: the rebuild writes trades while it goes, which a statement still iterating forbids.
  return st(db)
    .allFills.all()
    .map((r) => ({
      accountId: r[1],
      symbol: r[2],
      tradeId: r[3],
      orderId: r[5],
      clientOrderId: r[6],
      side: r[7],
      amount: r[8],
      price: r[9],
      feeCost: r[10],
      feeCurrency: r[11],
      time: r[4],
      seq: r[0],
    }))
}

export function pairFills(db: Db, accountId: string, symbol: string): SourceFill[] {
  return st(db).pairFills.all(accountId, symbol).map(toSource)
}

/** The pair's next `limit` fills in (time, seq) order after `after` (from the first when null). */
export function pairFillsPage(
  db: Db,
  accountId: string,
  symbol: string,
  after: { time: number; seq: number } | null,
  limit: number,
): SourceFill[] {
  const time = after?.time ?? Number.MIN_SAFE_INTEGER
  return st(db)
    .pairFillsPage.all(accountId, symbol, time, time, after?.seq ?? 0, limit)
    .map(toSource)
}

/**
 * A stored trade's row: its fields as one JSON array in the order below (the key, account and
 * symbol are columns), each fill an array too. Field names in every row made the rows twice as
 * long, and writing and reading 33,000 rows is most of a rebuild's and a start's time.
 * encodeTrade and decodeTrade write the order out; test/journal/store.test.ts checks the round trip.
 */
export const TRADE_FIELDS = [
  'quote',
  'side',
  'status',
  'entryTime',
  'exitTime',
  'avgEntry',
  'avgExit',
  'size',
  'exitedSize',
  'entryValue',
  'grossPnl',
  'fees',
  'netPnl',
  'otherFees',
  'returnPct',
  'holdingMs',
  'exitReason',
  'orderStop',
  'mae',
  'mfe',
  'signal',
  'strategy',
] as const satisfies readonly (keyof StoredTrade)[]

export const FILL_FIELDS = [
  'tradeId',
  'orderId',
  'clientOrderId',
  'side',
  'role',
  'amount',
  'price',
  'fee',
  'realized',
  'time',
] as const satisfies readonly (keyof JournalFill)[]

/**
 * Fields added later, after the fills (so the fills' place, which the export's SQL reads, stays):
 * a row written before one was added lacks it and reads it as null until the next rebuild (the
 * first start after the upgrade finds such rows, `isOldRow`, and rebuilds: journal.ts).
 */
export const TRAILING_FIELDS = ['accountPnl'] as const satisfies readonly (keyof StoredTrade)[]

// Every field has its place: adding one to StoredTrade or JournalFill without listing it fails to compile.
type Unlisted =
  | Exclude<
      keyof StoredTrade,
      | (typeof TRADE_FIELDS)[number]
      | (typeof TRAILING_FIELDS)[number]
      | 'key'
      | 'accountId'
      | 'symbol'
      | 'fills'
    >
  | Exclude<keyof JournalFill, (typeof FILL_FIELDS)[number]>
const _allListed: [Unlisted] extends [never] ? true : Unlisted = true

export function encodeTrade(t: StoredTrade): string {
  // Written out rather than mapped over the lists: a rebuild encodes 33,000 trades.
  const fills = t.fills.map((p) => [
    p.tradeId,
    p.orderId,
    p.clientOrderId,
    p.side,
    p.role,
    p.amount,
    p.price,
    p.fee,
    p.realized,
    p.time,
  ])
  return JSON.stringify([
    t.quote,
    t.side,
    t.status,
    t.entryTime,
    t.exitTime,
    t.avgEntry,
    t.avgExit,
    t.size,
    t.exitedSize,
    t.entryValue,
    t.grossPnl,
    t.fees,
    t.netPnl,
    t.otherFees,
    t.returnPct,
    t.holdingMs,
    t.exitReason,
    t.orderStop,
    t.mae,
    t.mfe,
    t.signal,
    t.strategy,
    fills,
    t.accountPnl,
  ])
}

export function decodeTrade(key: string, accountId: string, symbol: string, data: string): StoredTrade {
  // By index, in TRADE_FIELDS' and FILL_FIELDS' order (test/journal/store.test.ts checks the round trip).
  const r = JSON.parse(data) as unknown[]
  const fills = r[TRADE_FIELDS.length] as unknown[][]
  return {
    key,
    accountId,
    symbol,
    quote: r[0],
    side: r[1],
    status: r[2],
    entryTime: r[3],
    exitTime: r[4],
    avgEntry: r[5],
    avgExit: r[6],
    size: r[7],
    exitedSize: r[8],
    entryValue: r[9],
    grossPnl: r[10],
    fees: r[11],
    netPnl: r[12],
    // Rows written before conversion (ROW_FORMAT 1) list fees without `converted` and `note`.
    otherFees: (r[13] as StoredTrade['otherFees']).map((f) =>
      f.note === undefined ? { ...f, converted: null, note: null } : f,
    ),
    returnPct: r[14],
    holdingMs: r[15],
    exitReason: r[16],
    orderStop: r[17],
    mae: r[18],
    mfe: r[19],
    signal: r[20],
    strategy: r[21],
    accountPnl: r[TRADE_FIELDS.length + 1] ?? null,
    fills: fills.map((p): JournalFill => ({
      tradeId: p[0] as string,
      orderId: p[1] as string,
      clientOrderId: p[2] as string | null,
      side: p[3] as JournalFill['side'],
      role: p[4] as JournalFill['role'],
      amount: p[5] as string,
      price: p[6] as string,
      fee: p[7] as string,
      realized: p[8] as string | null,
      time: p[9] as number,
    })),
  } as StoredTrade
}

export function saveTrade(db: Db, t: StoredTrade): void {
  st(db).upsertTrade.run(t.key, t.accountId, t.symbol, t.entryTime, encodeTrade(t))
}

export function deleteTrade(db: Db, key: string): void {
  st(db).deleteTrade.run(key)
}

export function deleteAllTrades(db: Db): void {
  st(db).deleteAllTrades.run()
}

/** Every stored trade, and whether any row is of the layout before TRAILING_FIELDS (it lacks them). */
export function loadTrades(db: Db): { trades: StoredTrade[]; oldRows: boolean } {
  let oldRows = false
  const trades = st(db)
    .allTrades.all()
    .map((r) => {
      const t = decodeTrade(r.key, r.account_id, r.symbol, r.data)
      if (!oldRows && isOldRow(r.data)) oldRows = true
      return t
    })
  return { trades, oldRows }
}

/** A row written before `accountPnl` ends with the fills' array (`]]`); a newer one with it (`null]` or `}]`). */
export function isOldRow(data: string): boolean {
  return data.endsWith(']]')
}

function toEdit(r: EditRow): TraderEdit {
  return {
    notes: r.notes,
    tags: JSON.parse(r.tags) as TraderEdit['tags'],
    rating: r.rating,
    stopPrice: r.stop_price,
  }
}

export function loadEdit(db: Db, key: string): TraderEdit | null {
  const r = st(db).edit.get(key)
  return r ? toEdit(r) : null
}

export function loadEdits(db: Db): Map<string, TraderEdit> {
  return new Map(
    st(db)
      .allEdits.all()
      .map((r) => [r.key, toEdit(r)]),
  )
}

export function saveEdit(db: Db, key: string, e: TraderEdit, now: number): void {
  st(db).saveEdit.run(key, e.notes, JSON.stringify(e.tags), e.rating, e.stopPrice, now)
}

export function savedAccount(db: Db, accountId: string): { name: string; source: string } | null {
  return st(db).account.get(accountId) ?? null
}

export function saveAccount(db: Db, accountId: string, a: { name: string; source: string }): void {
  st(db).saveAccount.run(accountId, a.name, a.source)
}

export function savedAccounts(db: Db): Map<string, { name: string; source: string }> {
  return new Map(
    st(db)
      .allAccounts.all()
      .map((r) => [r.account_id, { name: r.name, source: r.source }]),
  )
}

export function readSetting(db: Db, key: string): string | null {
  return st(db).setting.get(key)?.value ?? null
}

export function writeSetting(db: Db, key: string, value: string, now: number): void {
  st(db).saveSetting.run(key, value, now)
}

/** What imported trades files said about trades (migration 17), by trade key. */
export function loadImported(db: Db): Map<string, ImportedFacts> {
  return new Map(
    st(db)
      .allImported.all()
      .map((r) => [r.key, JSON.parse(r.data) as ImportedFacts]),
  )
}

export function saveImported(db: Db, key: string, facts: ImportedFacts): void {
  st(db).saveImported.run(key, JSON.stringify(facts))
}

/** Saves an edit only where the trade has none: an import never overwrites what the trader wrote. */
export function addEdit(db: Db, key: string, e: TraderEdit, now: number): boolean {
  return st(db).addEdit.run(key, e.notes, JSON.stringify(e.tags), e.rating, e.stopPrice, now).changes === 1
}
