import type { Fill } from '../../shared/domain/trading'
import type { Db } from '../storage/database'
import { perConnection } from '../storage/statements'
import type { SourceFill } from './round-trips'
import type { StoredTrade, TraderEdit } from './trade'

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
  // Fills the journal has not copied yet, in the order trading recorded them.
  copyMissing: db.prepare(
    `INSERT OR IGNORE INTO journal_fills (account_id, symbol, trade_id, time, exchange_order_id, client_order_id,
       side, amount, price, fee_cost, fee_currency)
     SELECT account_id, symbol, trade_id, time, exchange_order_id, client_order_id, side, amount, price, fee_cost,
       fee_currency FROM trading_fills ORDER BY time, rowid`,
  ),
  fillBySeq: db.prepare<[number], FillRow>(`SELECT ${FILL_COLUMNS} FROM journal_fills WHERE rowid = ?`),
  allFills: db.prepare<[], FillRow>(
    `SELECT ${FILL_COLUMNS} FROM journal_fills ORDER BY account_id, symbol, time, rowid`,
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
  allTrades: db.prepare<[], { data: string }>('SELECT data FROM journal_trades ORDER BY key'),
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

export function fillCount(db: Db): number {
  return st(db).countFills.get()?.n ?? 0
}

/** Every fill, grouped by (account, symbol), each group in the order the journal applies it. */
export function allFills(db: Db): SourceFill[] {
  // Read whole: the rebuild writes trades while it goes, which a statement still iterating forbids.
  return st(db).allFills.all().map(toSource)
}

export function pairFills(db: Db, accountId: string, symbol: string): SourceFill[] {
  return st(db).pairFills.all(accountId, symbol).map(toSource)
}

export function saveTrade(db: Db, t: StoredTrade): void {
  st(db).upsertTrade.run(t.key, t.accountId, t.symbol, t.entryTime, JSON.stringify(t))
}

export function deleteTrade(db: Db, key: string): void {
  st(db).deleteTrade.run(key)
}

export function deleteAllTrades(db: Db): void {
  st(db).deleteAllTrades.run()
}

export function loadTrades(db: Db): StoredTrade[] {
  return st(db)
    .allTrades.all()
    .map((r) => JSON.parse(r.data) as StoredTrade)
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
