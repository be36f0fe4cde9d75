import type { Statement } from 'better-sqlite3'
import type { ErrorKind } from '../../shared/contract/errors'
import type {
  Account,
  AccountMode,
  Balance,
  Fee,
  Fill,
  Order,
  OrderSide,
  OrderStatus,
  OrderType,
  ReconciliationEvent,
  ReconciliationKind,
} from '../../shared/domain/trading'
import type { Db } from '../storage/database'
import { perConnection } from '../storage/statements'
import { Decimal, toDecimal, type DecimalString } from './decimal'
import type { PositionFill } from './positions'
import { ACTIVE_STATUSES_SQL } from './schema'
import { withDecimalFunctions } from './sql-decimal'
import { forgetPositions, toPositionFill } from './position-book'

/**
 * SQLite access for the order path. Functions take `db` first; statements are prepared once
 * per connection.
 *
 * Amounts, prices, costs and fees are canonical decimal text in TEXT columns (decimal.ts), the
 * same text the contract sends: rows become orders and fills without any conversion. SQL never
 * adds or compares them as numbers; the few sums it makes go through sql-decimal.ts's exact
 * `dec_sum`.
 */

interface AccountRow {
  id: string
  name: string
  mode: AccountMode
  exchange_id: string
  api_url: string | null
  live_enabled: number
  key_ref: string | null
  key_hint: string | null
  created_at: number
  updated_at: number
}

export interface OrderRow {
  account_id: string
  client_order_id: string
  exchange_order_id: string | null
  symbol: string
  side: OrderSide
  type: OrderType
  amount: DecimalString
  price: DecimalString | null
  stop_price: DecimalString | null
  status: OrderStatus
  filled: DecimalString
  average: DecimalString | null
  origin: 'local' | 'external'
  error_kind: ErrorKind | null
  error_message: string | null
  created_at: number
  sent_at: number | null
  updated_at: number
  outcome_deadline: number | null
  check_attempts: number
  next_check_at: number | null
  trailing_percent: DecimalString | null
  trailing_amount: DecimalString | null
  activation_price: DecimalString | null
  water_mark: DecimalString | null
  post_only: 0 | 1
  reduce_only: 0 | 1
  emulated: 0 | 1
  oco_group: string | null
  parent_client_order_id: string | null
}

/** The columns adopting an exchange answer needs (cheaper to read than the whole row). */
export type OrderState = Pick<
  OrderRow,
  'client_order_id' | 'exchange_order_id' | 'status' | 'filled' | 'average'
>

export interface FillRow {
  account_id: string
  symbol: string
  trade_id: string
  exchange_order_id: string
  client_order_id: string | null
  side: OrderSide
  amount: DecimalString
  price: DecimalString
  cost: DecimalString
  fee_cost: DecimalString | null
  fee_currency: string | null
  taker_or_maker: 'taker' | 'maker' | null
  time: number
}

interface EventRow {
  id: number
  account_id: string
  time: number
  kind: ReconciliationKind
  symbol: string | null
  client_order_id: string | null
  exchange_order_id: string | null
  detail: string
}

const ORDER_INSERT_COLUMNS = [
  'account_id',
  'client_order_id',
  'exchange_order_id',
  'symbol',
  'side',
  'type',
  'amount',
  'price',
  'stop_price',
  'status',
  'filled',
  'average',
  'origin',
  'error_kind',
  'error_message',
  'created_at',
  'sent_at',
  'updated_at',
  'outcome_deadline',
  'check_attempts',
  'next_check_at',
  'trailing_percent',
  'trailing_amount',
  'activation_price',
  'water_mark',
  'post_only',
  'reduce_only',
  'emulated',
  'oco_group',
  'parent_client_order_id',
] as const satisfies readonly (keyof OrderRow)[]

class Statements {
  readonly accounts: Statement<[], AccountRow>
  readonly account: Statement<[string], AccountRow>
  readonly insertAccount: Statement<AccountRow>
  readonly updateAccount: Statement<AccountRow>
  readonly insertOrder: Statement<unknown[]>
  readonly order: Statement<[string, string], OrderRow>
  readonly orderByExchangeId: Statement<[string, string, string], OrderRow>
  readonly fillSum: Statement<
    [string, string, string],
    { n: number; amount: DecimalString | null; cost: DecimalString | null }
  >
  readonly orderFees: Statement<[string, string, string], { currency: string; cost: DecimalString }>
  readonly insertFill: Statement<unknown[]>
  readonly fillsOldestFirst: Statement<[string], FillRow>
  readonly insertEvent: Statement<Omit<EventRow, 'id'>>
  readonly dueChecks: Statement<[number], OrderRow>
  readonly state: Statement<[string, string], OrderState>
  readonly stateByExchangeId: Statement<[string, string, string], OrderState>
  readonly adopt: Statement<
    [string, OrderStatus, DecimalString, DecimalString | null, number, string, string]
  >
  readonly adoptSameId: Statement<[OrderStatus, DecimalString, DecimalString | null, number, string, string]>
  readonly fillOpen: Statement<[DecimalString, DecimalString, number, string, string, string]>

  constructor(db: Db) {
    withDecimalFunctions(db)
    this.accounts = db.prepare('SELECT * FROM trading_accounts ORDER BY created_at, id')
    this.account = db.prepare('SELECT * FROM trading_accounts WHERE id = ?')
    this.insertAccount = db.prepare(
      `INSERT INTO trading_accounts (id, name, mode, exchange_id, api_url, live_enabled, key_ref, key_hint, created_at, updated_at)
       VALUES (@id, @name, @mode, @exchange_id, @api_url, @live_enabled, @key_ref, @key_hint, @created_at, @updated_at)`,
    )
    this.updateAccount = db.prepare(
      `UPDATE trading_accounts SET name = @name, mode = @mode, exchange_id = @exchange_id, api_url = @api_url,
       live_enabled = @live_enabled, key_ref = @key_ref, key_hint = @key_hint, updated_at = @updated_at WHERE id = @id`,
    )
    this.insertOrder = db.prepare(
      `INSERT INTO trading_orders (${ORDER_INSERT_COLUMNS.join(', ')}) VALUES (${ORDER_INSERT_COLUMNS.map(() => '?').join(', ')})`,
    )
    this.order = db.prepare('SELECT * FROM trading_orders WHERE account_id = ? AND client_order_id = ?')
    this.orderByExchangeId = db.prepare(
      'SELECT * FROM trading_orders WHERE account_id = ? AND symbol = ? AND exchange_order_id = ?',
    )
    this.fillSum = db.prepare(
      `SELECT COUNT(*) AS n, dec_sum(amount) AS amount, dec_sum(cost) AS cost FROM trading_fills
       WHERE account_id = ? AND symbol = ? AND exchange_order_id = ?`,
    )
    this.orderFees = db.prepare(
      `SELECT fee_currency AS currency, dec_sum(fee_cost) AS cost FROM trading_fills
       WHERE account_id = ? AND symbol = ? AND exchange_order_id = ? AND fee_currency IS NOT NULL
       GROUP BY fee_currency ORDER BY fee_currency`,
    )
    this.insertFill = db.prepare(
      `INSERT OR IGNORE INTO trading_fills (account_id, symbol, trade_id, exchange_order_id, client_order_id, side,
        amount, price, cost, fee_cost, fee_currency, taker_or_maker, time, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.fillsOldestFirst = db.prepare(
      'SELECT * FROM trading_fills WHERE account_id = ? ORDER BY time, rowid',
    )
    this.insertEvent = db.prepare(
      `INSERT INTO reconciliation_events (account_id, time, kind, symbol, client_order_id, exchange_order_id, detail)
       VALUES (@account_id, @time, @kind, @symbol, @client_order_id, @exchange_order_id, @detail)`,
    )
    this.adoptSameId = db.prepare(
      `UPDATE trading_orders SET status = ?, filled = ?, average = ?, updated_at = ?
       WHERE account_id = ? AND client_order_id = ?`,
    )
    this.state = db.prepare(
      `SELECT client_order_id, exchange_order_id, status, filled, average FROM trading_orders
       WHERE account_id = ? AND client_order_id = ?`,
    )
    this.stateByExchangeId = db.prepare(
      `SELECT client_order_id, exchange_order_id, status, filled, average FROM trading_orders
       WHERE account_id = ? AND symbol = ? AND exchange_order_id = ?`,
    )
    this.adopt = db.prepare(
      `UPDATE trading_orders SET exchange_order_id = ?, status = ?, filled = ?, average = ?, updated_at = ?
       WHERE account_id = ? AND client_order_id = ?`,
    )
    this.fillOpen = db.prepare(
      `UPDATE trading_orders SET status = 'filled', filled = ?, average = ?, updated_at = ?
       WHERE account_id = ? AND client_order_id = ? AND exchange_order_id = ? AND status = 'open' AND filled = '0'`,
    )
    this.dueChecks = db.prepare(
      `SELECT * FROM trading_orders WHERE status = 'unknown' AND (next_check_at IS NULL OR next_check_at <= ?)
       ORDER BY next_check_at`,
    )
  }
}

const st = perConnection((db) => new Statements(db))

const byText = perConnection(() => new Map<string, Statement>())

/**
 * A statement whose text is built per call (column sets, filters, IN lists), prepared once per
 * connection and text: lists and polling run these often, and preparing costs more than running.
 */
function prepared<P extends unknown[] | object = unknown[], R = unknown>(
  db: Db,
  sql: string,
): Statement<P, R> {
  const m = byText(db)
  let s = m.get(sql)
  if (!s) m.set(sql, (s = db.prepare(sql)))
  return s as unknown as Statement<P, R>
}

// ---------------------------------------------------------------- accounts

/**
 * An account as this table holds it. A live account's API URL and keys are not here: they belong
 * to the exchange connection it names (`exchangeId`), and the service shows them from there.
 * (The table's api_url, key_ref and key_hint columns are left unused.)
 */
export type StoredAccount = Omit<Account, 'apiUrl' | 'hasKeys' | 'keyHint'>

function toAccount(r: AccountRow): StoredAccount {
  return {
    id: r.id,
    name: r.name,
    mode: r.mode,
    exchangeId: r.exchange_id,
    liveEnabled: r.live_enabled === 1,
    createdAt: r.created_at,
  }
}

export function listAccounts(db: Db): StoredAccount[] {
  return st(db).accounts.all().map(toAccount)
}

export function getAccount(db: Db, id: string): StoredAccount | undefined {
  const r = st(db).account.get(id)
  return r ? toAccount(r) : undefined
}

export type AccountWrite = Omit<StoredAccount, 'createdAt'>

export function saveAccount(db: Db, a: AccountWrite, now: number): StoredAccount {
  const existing = st(db).account.get(a.id)
  const row: AccountRow = {
    id: a.id,
    name: a.name,
    mode: a.mode,
    exchange_id: a.exchangeId,
    api_url: null,
    live_enabled: a.liveEnabled ? 1 : 0,
    key_ref: null,
    key_hint: null,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  }
  if (existing) st(db).updateAccount.run(row)
  else st(db).insertAccount.run(row)
  return toAccount(row)
}

// ---------------------------------------------------------------- orders

export function insertOrder(db: Db, r: OrderRow): void {
  insertOrderWith(db, r, r)
}

/**
 * Writes an intent together with the venue's answer to it, without building a merged row first:
 * on the paper hot path, `{ ...row, status }` made an object V8 reads slowly, a third of the
 * insert's cost.
 */
export function insertAnsweredOrder(db: Db, r: OrderRow, answer: OrderAnswer): void {
  insertOrderWith(db, r, answer)
}

/** What a venue's answer sets on an order row. */
export type OrderAnswer = Pick<OrderRow, 'exchange_order_id' | 'status' | 'filled' | 'average' | 'updated_at'>

function insertOrderWith(db: Db, r: OrderRow, a: OrderAnswer): void {
  // Positional binding, in ORDER_INSERT_COLUMNS order: a third cheaper than named on the hot path.
  st(db).insertOrder.run(
    r.account_id,
    r.client_order_id,
    a.exchange_order_id,
    r.symbol,
    r.side,
    r.type,
    r.amount,
    r.price,
    r.stop_price,
    a.status,
    a.filled,
    a.average,
    r.origin,
    r.error_kind,
    r.error_message,
    r.created_at,
    r.sent_at,
    a.updated_at,
    r.outcome_deadline,
    r.check_attempts,
    r.next_check_at,
    r.trailing_percent,
    r.trailing_amount,
    r.activation_price,
    r.water_mark,
    r.post_only,
    r.reduce_only,
    r.emulated,
    r.oco_group,
    r.parent_client_order_id,
  )
}

export function getOrderRow(db: Db, accountId: string, clientOrderId: string): OrderRow | undefined {
  return st(db).order.get(accountId, clientOrderId)
}

export function getOrderRowByExchangeId(
  db: Db,
  accountId: string,
  symbol: string,
  exchangeOrderId: string,
): OrderRow | undefined {
  return st(db).orderByExchangeId.get(accountId, symbol, exchangeOrderId)
}

export function getOrderState(db: Db, accountId: string, clientOrderId: string): OrderState | undefined {
  return st(db).state.get(accountId, clientOrderId)
}

export function getOrderStateByExchangeId(
  db: Db,
  accountId: string,
  symbol: string,
  exchangeOrderId: string,
): OrderState | undefined {
  return st(db).stateByExchangeId.get(accountId, symbol, exchangeOrderId)
}

/** The exchange's view of an order: its id, status, filled amount and average price (the hot update). */
export function adoptOrderState(
  db: Db,
  accountId: string,
  clientOrderId: string,
  v: {
    exchangeOrderId: string
    status: OrderStatus
    filled: DecimalString
    average: DecimalString | null
    updatedAt: number
  },
  knownId: string | null,
): void {
  // Setting an indexed column rewrites its index entry even when the value is the same.
  if (knownId === v.exchangeOrderId) {
    st(db).adoptSameId.run(v.status, v.filled, v.average, v.updatedAt, accountId, clientOrderId)
  } else {
    st(db).adopt.run(v.exchangeOrderId, v.status, v.filled, v.average, v.updatedAt, accountId, clientOrderId)
  }
}

/**
 * Marks an order we hold open and unfilled, under this exchange id, as filled; false (nothing
 * changed) when it is in any other state.
 */
export function fillOpenOrder(
  db: Db,
  accountId: string,
  clientOrderId: string,
  exchangeOrderId: string,
  filled: DecimalString,
  average: DecimalString,
  updatedAt: number,
): boolean {
  return (
    st(db).fillOpen.run(filled, average, updatedAt, accountId, clientOrderId, exchangeOrderId).changes === 1
  )
}

const ORDER_COLUMNS = new Set<keyof OrderRow>([
  'exchange_order_id',
  'status',
  'filled',
  'average',
  'error_kind',
  'error_message',
  'sent_at',
  'updated_at',
  'outcome_deadline',
  'check_attempts',
  'next_check_at',
  'amount',
  'price',
  'stop_price',
  'water_mark',
  'emulated',
  'post_only',
])
/** Updates some columns of one order (statements cached per column set). */
export function updateOrder(
  db: Db,
  accountId: string,
  clientOrderId: string,
  changes: Partial<
    Pick<
      OrderRow,
      | 'exchange_order_id'
      | 'status'
      | 'filled'
      | 'average'
      | 'error_kind'
      | 'error_message'
      | 'sent_at'
      | 'updated_at'
      | 'outcome_deadline'
      | 'check_attempts'
      | 'next_check_at'
      | 'amount'
      | 'price'
      | 'stop_price'
      | 'water_mark'
      | 'emulated'
      | 'post_only'
    >
  >,
): void {
  const keys = Object.keys(changes)
    .filter((k) => ORDER_COLUMNS.has(k as keyof OrderRow))
    .sort()
  if (keys.length === 0) return
  const stmt = prepared<Record<string, unknown>>(
    db,
    `UPDATE trading_orders SET ${keys.map((k) => `${k} = @${k}`).join(', ')}
     WHERE account_id = @account_id AND client_order_id = @client_order_id`,
  )
  stmt.run({ ...changes, account_id: accountId, client_order_id: clientOrderId })
}

export function orderFromRow(db: Db, r: OrderRow): Order {
  const fees: Fee[] =
    r.exchange_order_id === null
      ? []
      : st(db)
          .orderFees.all(r.account_id, r.symbol, r.exchange_order_id)
          .map((f) => ({ currency: f.currency, cost: f.cost }))
  return {
    accountId: r.account_id,
    clientOrderId: r.client_order_id,
    exchangeOrderId: r.exchange_order_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    amount: r.amount,
    price: r.price,
    stopPrice: r.stop_price,
    ...orderOptions(r),
    status: r.status,
    filled: r.filled,
    average: r.average,
    fees,
    origin: r.origin,
    error: r.error_kind ? { kind: r.error_kind, message: r.error_message ?? '' } : null,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    updatedAt: r.updated_at,
  }
}

/** The options of an order row as the contract shows them (see orderSchema). */
export function orderOptions(
  r: OrderRow,
): Pick<
  Order,
  | 'trailingPercent'
  | 'trailingAmount'
  | 'activationPrice'
  | 'waterMark'
  | 'postOnly'
  | 'reduceOnly'
  | 'emulated'
  | 'ocoGroup'
  | 'parentClientOrderId'
> {
  return {
    trailingPercent: r.trailing_percent,
    trailingAmount: r.trailing_amount,
    activationPrice: r.activation_price,
    waterMark: r.water_mark,
    postOnly: r.post_only === 1,
    reduceOnly: r.reduce_only === 1,
    emulated: r.emulated === 1,
    ocoGroup: r.oco_group,
    parentClientOrderId: r.parent_client_order_id,
  }
}

/** Orders still in play; the index over them (trading_orders_active) holds nothing else. */
export type ActiveStatus = Extract<OrderStatus, 'pending' | 'sent' | 'unknown' | 'open' | 'partially_filled'>

const ACTIVE_STATUSES: readonly ActiveStatus[] = ['pending', 'sent', 'unknown', 'open', 'partially_filled']

/** Oldest first, as trading_orders_active lists each status (created_at, then the id). */
const byCreation = (a: OrderRow, b: OrderRow): number =>
  a.created_at - b.created_at || (a.client_order_id < b.client_order_id ? -1 : 1)

/**
 * The account's orders in these states, oldest first. One lookup per state, each read in order
 * from trading_orders_active (account, status, created_at, client_order_id); runs of several
 * states are merged (sorting runs already in order costs little), so the book is never sorted in
 * SQL.
 */
export function ordersWithStatus(db: Db, accountId: string, statuses: readonly ActiveStatus[]): OrderRow[] {
  // Named: left to itself the planner walks the account's whole history by time to skip the sort.
  const stmt = prepared<[string, string], OrderRow>(
    db,
    `SELECT * FROM trading_orders INDEXED BY trading_orders_active
     WHERE account_id = ? AND status = ?
     ORDER BY created_at, client_order_id`,
  )
  let out: OrderRow[] = []
  let runs = 0
  for (const status of new Set(statuses)) {
    const rows = stmt.all(accountId, status)
    if (rows.length === 0) continue
    out = runs === 0 ? rows : out.concat(rows)
    runs++
  }
  if (runs > 1) out.sort(byCreation)
  return out
}

/** What reconciliation checks of an order in play before it reads the whole row. */
export type OrderRef = Pick<OrderRow, 'client_order_id' | 'symbol' | 'exchange_order_id'>

/**
 * The ids of the account's orders in these states (as `ordersWithStatus`, unordered): a book
 * of thousands is read in a fraction of the time of its whole rows.
 */
export function orderRefsWithStatus(
  db: Db,
  accountId: string,
  statuses: readonly ActiveStatus[],
): OrderRef[] {
  const stmt = prepared<[string, string], OrderRef>(
    db,
    `SELECT client_order_id, symbol, exchange_order_id FROM trading_orders INDEXED BY trading_orders_active
     WHERE account_id = ? AND status = ?
     ORDER BY created_at, client_order_id`,
  )
  return [...new Set(statuses)].flatMap((status) => stmt.all(accountId, status))
}

/** Unknown orders whose next check is due, across accounts. */
export function dueUnknownOrders(db: Db, now: number): OrderRow[] {
  return st(db).dueChecks.all(now)
}

/**
 * Open and unresolved orders first, then the most recent others, each newest first. Orders in
 * play come from trading_orders_active (per state, newest first), the rest from the account's
 * orders by time: neither sorts the account's whole history.
 */
export function listOrders(
  db: Db,
  accountId: string,
  opts: { symbol?: string | undefined; limit: number },
): OrderRow[] {
  const sym = opts.symbol === undefined ? '' : 'AND symbol = @symbol'
  const params = { account: accountId, symbol: opts.symbol, limit: opts.limit }
  const active = prepared<Record<string, unknown>, OrderRow>(
    db,
    `SELECT * FROM trading_orders INDEXED BY trading_orders_active
     WHERE account_id = @account AND status = @status ${sym}
     ORDER BY created_at DESC, client_order_id DESC LIMIT @limit`,
  )
  let rows: OrderRow[] = []
  for (const status of ACTIVE_STATUSES) {
    const some = active.all({ ...params, status })
    if (some.length > 0) rows = rows.length === 0 ? some : rows.concat(some)
  }
  // A bracket's legs waiting for their entry are in play too (few; their own partial index).
  const waiting = prepared<Record<string, unknown>, OrderRow>(
    db,
    `SELECT * FROM trading_orders INDEXED BY trading_orders_waiting
     WHERE account_id = @account AND status = 'waiting' ${sym} LIMIT @limit`,
  ).all(params)
  if (waiting.length > 0) rows = rows.concat(waiting)
  rows.sort((a, b) => byCreation(b, a))
  if (rows.length >= opts.limit) return rows.slice(0, opts.limit)
  const rest = prepared<Record<string, unknown>, OrderRow>(
    db,
    `SELECT * FROM trading_orders WHERE account_id = @account AND status NOT IN ${ACTIVE_STATUSES_SQL} AND status <> 'waiting' ${sym}
     ORDER BY created_at DESC, client_order_id DESC LIMIT @limit`,
  ).all({ ...params, limit: opts.limit - rows.length })
  return rows.concat(rest)
}

/** Symbols this account has traded or ordered, for fill reconciliation. */
export function orderedSymbols(db: Db, accountId: string): string[] {
  return prepared<[string, string], { symbol: string }>(
    db,
    `SELECT symbol FROM trading_orders WHERE account_id = ? UNION SELECT symbol FROM trading_fills WHERE account_id = ?`,
  )
    .all(accountId, accountId)
    .map((r) => r.symbol)
}

export function earliestOrderTime(db: Db, accountId: string, symbol: string): number | null {
  const r = prepared<[string, string], { t: number | null }>(
    db,
    'SELECT MIN(created_at) AS t FROM trading_orders WHERE account_id = ? AND symbol = ?',
  ).get(accountId, symbol)
  return r?.t ?? null
}

/** The terms a caller-chosen client order id was first placed with (see order-repeat.ts). */
export function getOrderRequest(db: Db, accountId: string, clientOrderId: string): string | undefined {
  return prepared<[string, string], { request: string }>(
    db,
    'SELECT request FROM trading_order_requests WHERE account_id = ? AND client_order_id = ?',
  ).get(accountId, clientOrderId)?.request
}

export function insertOrderRequest(db: Db, accountId: string, clientOrderId: string, request: string): void {
  prepared(
    db,
    'INSERT INTO trading_order_requests (account_id, client_order_id, request) VALUES (?, ?, ?)',
  ).run(accountId, clientOrderId, request)
}

// ---------------------------------------------------------------- fills

/**
 * The trade id (and order id) prefix of a fill that records a dust conversion
 * (dust-conversion.ts): `dust:<the exchange's transfer id>`. Its own namespace, apart from the
 * exchange's trade ids, and how a stored fill is known as one without a column of its own.
 */
export const DUST_FILL_PREFIX = 'dust:'

function toFill(r: FillRow): Fill {
  const fill: Fill = {
    accountId: r.account_id,
    tradeId: r.trade_id,
    exchangeOrderId: r.exchange_order_id,
    clientOrderId: r.client_order_id,
    symbol: r.symbol,
    side: r.side,
    amount: r.amount,
    price: r.price,
    cost: r.cost,
    fee:
      r.fee_currency !== null && r.fee_cost !== null ? { cost: r.fee_cost, currency: r.fee_currency } : null,
    takerOrMaker: r.taker_or_maker,
    time: r.time,
  }
  if (r.trade_id.startsWith(DUST_FILL_PREFIX)) fill.reason = 'dust_conversion'
  return fill
}

/** Records a fill unless one with the same (account, symbol, trade id) exists; true when new. */
export function insertFill(db: Db, f: Fill, now: number): boolean {
  return (
    st(db).insertFill.run(
      f.accountId,
      f.symbol,
      f.tradeId,
      f.exchangeOrderId,
      f.clientOrderId,
      f.side,
      f.amount,
      f.price,
      f.cost,
      f.fee?.cost ?? null,
      f.fee?.currency ?? null,
      f.takerOrMaker,
      f.time,
      now,
    ).changes === 1
  )
}

export function fillTotals(
  db: Db,
  accountId: string,
  symbol: string,
  exchangeOrderId: string,
): { count: number; amount: Decimal; cost: Decimal } {
  const r = st(db).fillSum.get(accountId, symbol, exchangeOrderId)
  return {
    count: r?.n ?? 0,
    amount: r?.amount != null ? toDecimal(r.amount) : Decimal.ZERO,
    cost: r?.cost != null ? toDecimal(r.cost) : Decimal.ZERO,
  }
}

export function listFills(
  db: Db,
  accountId: string,
  opts: { symbol?: string | undefined; since?: number | undefined; limit: number },
): Fill[] {
  const where = ['account_id = @account']
  if (opts.symbol !== undefined) where.push('symbol = @symbol')
  if (opts.since !== undefined) where.push('time >= @since')
  return prepared<Record<string, unknown>, FillRow>(
    db,
    `SELECT * FROM trading_fills WHERE ${where.join(' AND ')} ORDER BY time DESC, rowid DESC LIMIT @limit`,
  )
    .all({ account: accountId, symbol: opts.symbol, since: opts.since, limit: opts.limit })
    .map(toFill)
}

/** Every fill of an account, oldest first, for positions. */
export function positionFills(db: Db, accountId: string): PositionFill[] {
  return st(db).fillsOldestFirst.all(accountId).map(toPositionFill)
}

export function latestFillTime(db: Db, accountId: string, symbol: string): number | null {
  const r = prepared<[string, string], { t: number | null }>(
    db,
    'SELECT MAX(time) AS t FROM trading_fills WHERE account_id = ? AND symbol = ?',
  ).get(accountId, symbol)
  return r?.t ?? null
}

// ---------------------------------------------------------------- reconciliation events

function toEvent(r: EventRow): ReconciliationEvent {
  return {
    id: r.id,
    accountId: r.account_id,
    time: r.time,
    kind: r.kind,
    symbol: r.symbol,
    clientOrderId: r.client_order_id,
    exchangeOrderId: r.exchange_order_id,
    detail: r.detail,
  }
}

export function insertEvent(db: Db, e: Omit<ReconciliationEvent, 'id'>): ReconciliationEvent {
  const row = {
    account_id: e.accountId,
    time: e.time,
    kind: e.kind,
    symbol: e.symbol,
    client_order_id: e.clientOrderId,
    exchange_order_id: e.exchangeOrderId,
    detail: e.detail,
  }
  const id = Number(st(db).insertEvent.run(row).lastInsertRowid)
  return { ...e, id }
}

export function listEvents(
  db: Db,
  accountId: string,
  opts: { afterId?: number | undefined; limit: number },
): ReconciliationEvent[] {
  return prepared<Record<string, unknown>, EventRow>(
    db,
    `SELECT * FROM reconciliation_events WHERE account_id = @account AND id > @after ORDER BY id DESC LIMIT @limit`,
  )
    .all({ account: accountId, after: opts.afterId ?? 0, limit: opts.limit })
    .map(toEvent)
}

// ---------------------------------------------------------------- balance snapshots

export function saveBalanceSnapshot(
  db: Db,
  accountId: string,
  balances: readonly Balance[],
  asOf: number,
): void {
  db.transaction(() => {
    prepared(db, 'DELETE FROM trading_balance_snapshots WHERE account_id = ?').run(accountId)
    const ins = prepared(
      db,
      'INSERT INTO trading_balance_snapshots (account_id, asset, free, used, total, as_of) VALUES (?, ?, ?, ?, ?, ?)',
    )
    for (const b of balances) ins.run(accountId, b.asset, b.free, b.used, b.total, asOf)
  })()
}

export function balanceSnapshot(
  db: Db,
  accountId: string,
): { asOf: number; balances: Balance[] } | undefined {
  const rows = prepared<[string], Omit<Balance, 'decimals'> & { as_of: number }>(
    db,
    'SELECT asset, free, used, total, as_of FROM trading_balance_snapshots WHERE account_id = ? ORDER BY asset',
  ).all(accountId)
  if (rows.length === 0) return undefined
  return {
    asOf: rows[0]!.as_of,
    balances: rows.map((r) => ({
      asset: r.asset,
      free: r.free,
      used: r.used,
      total: r.total,
      decimals: null,
    })),
  }
}

/** Forgets every order, fill, event and snapshot of an account (paper reset). */
export function deleteAccountActivity(db: Db, accountId: string): void {
  forgetPositions(db)
  for (const table of [
    'trading_orders',
    'trading_order_requests',
    'trading_fills',
    'reconciliation_events',
    'trading_balance_snapshots',
  ]) {
    prepared(db, `DELETE FROM ${table} WHERE account_id = ?`).run(accountId)
  }
}

// ---------------------------------------------------------------- deleting an account

/** How many orders, fills and reconciliation events an account has (what deleting it loses). */
export function accountActivityCounts(
  db: Db,
  accountId: string,
): { orders: number; fills: number; reconciliationEvents: number } {
  const count = (table: string): number =>
    prepared<[string], { n: number }>(db, `SELECT COUNT(*) AS n FROM ${table} WHERE account_id = ?`).get(
      accountId,
    )?.n ?? 0
  return {
    orders: count('trading_orders'),
    fills: count('trading_fills'),
    reconciliationEvents: count('reconciliation_events'),
  }
}

/** Every table with rows of one account (each references trading_accounts ON DELETE CASCADE). */
const ACCOUNT_TABLES = [
  'trading_orders',
  'trading_order_requests',
  'trading_fills',
  'reconciliation_events',
  'trading_balance_snapshots',
  'paper_orders',
  'paper_balances',
  'paper_settings',
] as const

/**
 * Deletes an account and every row of it. The foreign keys cascade, but the rows are deleted
 * table by table first, so nothing is left even on a connection without `foreign_keys`. The
 * caller runs it inside its transaction. True when the account existed.
 */
export function deleteAccountRows(db: Db, accountId: string): boolean {
  forgetPositions(db)
  for (const table of ACCOUNT_TABLES) {
    prepared(db, `DELETE FROM ${table} WHERE account_id = ?`).run(accountId)
  }
  return prepared(db, 'DELETE FROM trading_accounts WHERE id = ?').run(accountId).changes === 1
}
