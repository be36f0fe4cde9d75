import type { Statement } from 'better-sqlite3'
import { AppError } from '../../shared/contract/errors'
import type { OrderSide, OrderType } from '../../shared/domain/trading'
import type { Db } from '../storage/database'
import { averagePrice, toDecimal, toOptionalDecimal, type Decimal, type DecimalString } from './decimal'
import { withDecimalFunctions } from './sql-decimal'
import type { FillRow } from './store'
import type { VenueOrder, VenueOrderStatus, VenueTrade } from './venue'

/**
 * The paper venue's book in SQL: its rows, the statements that read and write them, and the
 * mapping of rows to the venue port's shapes. (See PaperVenue for what lives where.) Amounts,
 * prices, costs and balances are decimal text, compared and multiplied in SQL only through
 * sql-decimal.ts's exact functions.
 */

export interface PaperOrderRow {
  id: number
  account_id: string
  client_order_id: string
  symbol: string
  side: OrderSide
  type: OrderType
  amount: DecimalString
  price: DecimalString | null
  stop_price: DecimalString | null
  status: VenueOrderStatus
  filled: DecimalString
  cost: DecimalString
  reserved_asset: string | null
  reserved: DecimalString
  created_at: number
  updated_at: number
  trailing_percent: DecimalString | null
  trailing_amount: DecimalString | null
  activation_price: DecimalString | null
  water_mark: DecimalString | null
  post_only: 0 | 1
  /** Legs of one OCO share it (its list client order id). */
  oco_group: string | null
  /** 1 once a stop-limit or take-profit-limit fired: it now rests as a limit order at `price`. */
  triggered: 0 | 1
}

/** A trade as trading_fills holds it (the columns a VenueTrade needs). */
type TradeRow = Omit<FillRow, 'account_id' | 'client_order_id'>

/** An order filled the moment it was placed, as the order path recorded it in trading_orders. */
interface LedgerOrderRow {
  client_order_id: string
  exchange_order_id: string | null
  symbol: string
  side: OrderSide
  type: OrderType
  amount: DecimalString
  price: DecimalString | null
  stop_price: DecimalString | null
  status: string
  filled: DecimalString
  average: DecimalString | null
  created_at: number
}

/** An open order's new shape (`id` may be new: see PaperVenue.amendOrderSync). */
export interface AmendedOrder {
  old: number
  id: number
  amount: DecimalString
  price: DecimalString | null
  stop: DecimalString | null
  asset: string | null
  reserved: DecimalString
  now: number
}

/** Parameters of the set-based limit fills: the orders (a JSON array of ids) and when. */
interface LimitFill {
  account: string
  ids: string
  now: number
}

const TRADE_COLUMNS =
  'trade_id, exchange_order_id, symbol, side, amount, price, cost, fee_cost, fee_currency, taker_or_maker, time'
const LEDGER_ORDER_COLUMNS =
  'client_order_id, exchange_order_id, symbol, side, type, amount, price, stop_price, status, filled, average, created_at'

export interface PaperStatements {
  balance: Statement<[string, string], { free: DecimalString; used: DecimalString }>
  balances: Statement<[string], { asset: string; free: DecimalString; used: DecimalString }>
  setBalance: Statement<[string, string, DecimalString, DecimalString]>
  insertOrder: Statement<unknown[]>
  nextId: Statement<[], { next_order_id: number }>
  setNextId: Statement<[number]>
  ledgerOrder: Statement<[string, string], LedgerOrderRow>
  ledgerOrderByExchangeId: Statement<[string, string, string], LedgerOrderRow>
  orderById: Statement<[string, number], PaperOrderRow>
  orderByClientId: Statement<[string, string], PaperOrderRow>
  openOrders: Statement<[string], PaperOrderRow>
  openOrdersOf: Statement<[string, string], PaperOrderRow>
  openSymbols: Statement<[string], { symbol: string }>
  openPage: Statement<[string, string, number, number], PaperOrderRow>
  reached: Statement<[{ account: string; symbol: string; last: DecimalString }], PaperOrderRow>
  waiting: Statement<[string, string], PaperOrderRow>
  setWaterMark: Statement<[DecimalString | null, DecimalString | null, number, number]>
  setTriggered: Statement<[number, number]>
  ocoSiblings: Statement<[string, string, number], PaperOrderRow>
  fillLimitOrders: Statement<[LimitFill]>
  finishOrder: Statement<[VenueOrderStatus, DecimalString, DecimalString, number, number]>
  amendOrder: Statement<[AmendedOrder]>
  tradesOf: Statement<[string, string, string], TradeRow>
  trades: Statement<[string, string, number, number], TradeRow>
}

/** Every statement of the paper book, prepared once per venue. */
export function paperStatements(db: Db): PaperStatements {
  withDecimalFunctions(db)
  // The limit orders of one symbol its last price has traded through (fired stop-limits and
  // take-profit-limits rest as limits), compared exactly.
  const limitsReached = `account_id = @account AND symbol = @symbol AND status = 'open' AND (type = 'limit' OR triggered = 1)
      AND ((side = 'buy' AND dec_cmp(price, @last) > 0) OR (side = 'sell' AND dec_cmp(price, @last) < 0))`
  return {
    balance: db.prepare<[string, string], { free: DecimalString; used: DecimalString }>(
      'SELECT free, used FROM paper_balances WHERE account_id = ? AND asset = ?',
    ),
    balances: db.prepare<[string], { asset: string; free: DecimalString; used: DecimalString }>(
      'SELECT asset, free, used FROM paper_balances WHERE account_id = ? ORDER BY asset',
    ),
    setBalance: db.prepare<[string, string, DecimalString, DecimalString]>(
      `INSERT INTO paper_balances (account_id, asset, free, used) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, asset) DO UPDATE SET free = excluded.free, used = excluded.used`,
    ),
    insertOrder: db.prepare<unknown[]>(
      `INSERT INTO paper_orders (id, account_id, client_order_id, symbol, side, type, amount, price, stop_price,
          status, filled, cost, reserved_asset, reserved, created_at, updated_at,
          trailing_percent, trailing_amount, activation_price, water_mark, post_only, oco_group, triggered)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    nextId: db.prepare<[], { next_order_id: number }>('SELECT next_order_id FROM paper_sequence'),
    setNextId: db.prepare<[number]>('UPDATE paper_sequence SET next_order_id = ?'),
    // Orders filled the moment they were placed, as the order path recorded them.
    ledgerOrder: db.prepare<[string, string], LedgerOrderRow>(
      `SELECT ${LEDGER_ORDER_COLUMNS} FROM trading_orders
         WHERE account_id = ? AND client_order_id = ? AND exchange_order_id IS NOT NULL`,
    ),
    ledgerOrderByExchangeId: db.prepare<[string, string, string], LedgerOrderRow>(
      `SELECT ${LEDGER_ORDER_COLUMNS} FROM trading_orders
         WHERE account_id = ? AND symbol = ? AND exchange_order_id = ?`,
    ),
    orderById: db.prepare<[string, number], PaperOrderRow>(
      'SELECT * FROM paper_orders WHERE account_id = ? AND id = ?',
    ),
    orderByClientId: db.prepare<[string, string], PaperOrderRow>(
      'SELECT * FROM paper_orders WHERE account_id = ? AND client_order_id = ?',
    ),
    // By symbol, then as placed: the order paper_orders_open keeps them in, so nothing is sorted.
    openOrders: db.prepare<[string], PaperOrderRow>(
      "SELECT * FROM paper_orders WHERE account_id = ? AND status = 'open' ORDER BY symbol, id",
    ),
    openOrdersOf: db.prepare<[string, string], PaperOrderRow>(
      "SELECT * FROM paper_orders WHERE account_id = ? AND symbol = ? AND status = 'open' ORDER BY id",
    ),
    openSymbols: db.prepare<[string], { symbol: string }>(
      "SELECT DISTINCT symbol FROM paper_orders WHERE account_id = ? AND status = 'open'",
    ),
    // A page of one symbol's book, read along paper_orders_open (account, symbol, id).
    openPage: db.prepare<[string, string, number, number], PaperOrderRow>(
      "SELECT * FROM paper_orders WHERE account_id = ? AND symbol = ? AND status = 'open' AND id > ? ORDER BY id LIMIT ?",
    ),
    // The open orders of a symbol its last price reaches: limits traded through, stops
    // triggered. The rest of the book is never read into JS.
    reached: db.prepare<[{ account: string; symbol: string; last: DecimalString }], PaperOrderRow>(
      `SELECT * FROM paper_orders WHERE ${limitsReached} ORDER BY id`,
    ),
    // The orders of a symbol waiting for a trigger (few: each is checked in triggers.ts).
    waiting: db.prepare<[string, string], PaperOrderRow>(
      `SELECT * FROM paper_orders WHERE account_id = ? AND symbol = ? AND status = 'open' AND type <> 'limit'
         AND triggered = 0 ORDER BY id`,
    ),
    setWaterMark: db.prepare<[DecimalString | null, DecimalString | null, number, number]>(
      'UPDATE paper_orders SET water_mark = ?, stop_price = ?, updated_at = ? WHERE id = ?',
    ),
    setTriggered: db.prepare<[number, number]>(
      'UPDATE paper_orders SET triggered = 1, updated_at = ? WHERE id = ?',
    ),
    ocoSiblings: db.prepare<[string, string, number], PaperOrderRow>(
      `SELECT * FROM paper_orders WHERE account_id = ? AND oco_group = ? AND id <> ? AND status = 'open' ORDER BY id`,
    ),
    // A price move filling many resting limits closes them in one statement, not one per
    // order: those `reached` found, by id (compared once, there); the cost is `fill`'s
    // arithmetic (amount × price, exact).
    fillLimitOrders: db.prepare<[LimitFill]>(
      `UPDATE paper_orders SET status = 'closed', filled = amount, cost = dec_mul(amount, price), reserved = '0',
           updated_at = @now
         WHERE id IN (SELECT value FROM json_each(@ids)) AND account_id = @account AND status = 'open'`,
    ),
    finishOrder: db.prepare<[VenueOrderStatus, DecimalString, DecimalString, number, number]>(
      "UPDATE paper_orders SET status = ?, filled = ?, cost = ?, reserved = '0', updated_at = ? WHERE id = ?",
    ),
    amendOrder: db.prepare<[AmendedOrder]>(
      `UPDATE paper_orders SET id = @id, amount = @amount, price = @price, stop_price = @stop,
           reserved_asset = @asset, reserved = @reserved, updated_at = @now
         WHERE id = @old AND status = 'open'`,
    ),
    tradesOf: db.prepare<[string, string, string], TradeRow>(
      `SELECT ${TRADE_COLUMNS} FROM trading_fills
         WHERE account_id = ? AND symbol = ? AND exchange_order_id = ? ORDER BY time, rowid`,
    ),
    trades: db.prepare<[string, string, number, number], TradeRow>(
      `SELECT ${TRADE_COLUMNS} FROM trading_fills
         WHERE account_id = ? AND symbol = ? AND time >= ? ORDER BY time, rowid LIMIT ?`,
    ),
  }
}

/*
 * Rows are spelled out field by field below: on the hot path, `{ ...row, status }` (a spread
 * with overrides) made objects V8 reads slowly, which cost a fifth of a paper fill.
 */

/** `order` with its id. */
export function withId(o: Omit<PaperOrderRow, 'id'>, id: number): PaperOrderRow {
  return {
    id,
    account_id: o.account_id,
    client_order_id: o.client_order_id,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    amount: o.amount,
    price: o.price,
    stop_price: o.stop_price,
    status: o.status,
    filled: o.filled,
    cost: o.cost,
    reserved_asset: o.reserved_asset,
    reserved: o.reserved,
    created_at: o.created_at,
    updated_at: o.updated_at,
    trailing_percent: o.trailing_percent,
    trailing_amount: o.trailing_amount,
    activation_price: o.activation_price,
    water_mark: o.water_mark,
    post_only: o.post_only,
    oco_group: o.oco_group,
    triggered: o.triggered,
  }
}

/** `order` filled in full at `cost`, its reservation released. */
export function filledRow(
  o: Omit<PaperOrderRow, 'id'>,
  id: number,
  cost: DecimalString,
  now: number,
): PaperOrderRow {
  const row = withId(o, id)
  row.status = 'closed'
  row.filled = o.amount
  row.cost = cost
  row.reserved = '0'
  row.updated_at = now
  return row
}

/** A row as the venue answers for it; its average is cost / filled (decimal.ts's averagePrice). */
export function toVenueOrder(r: PaperOrderRow, trades: VenueTrade[], tick?: Decimal): VenueOrder {
  const filled = toDecimal(r.filled)
  return {
    id: String(r.id),
    clientOrderId: r.client_order_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    status: r.status,
    amount: toDecimal(r.amount),
    filled,
    price: toOptionalDecimal(r.price),
    stopPrice: toOptionalDecimal(r.stop_price),
    average: averagePrice(toDecimal(r.cost), filled, tick),
    timestamp: r.created_at,
    waterMark: toOptionalDecimal(r.water_mark),
    trades,
  }
}

/** An order filled the moment it was placed, from the order path's row; undefined for any other. */
export function filledAtOnceToVenue(r: LedgerOrderRow, trades: VenueTrade[]): VenueOrder | undefined {
  if (r.exchange_order_id === null || r.status !== 'filled') return undefined
  return {
    id: r.exchange_order_id,
    clientOrderId: r.client_order_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    status: 'closed',
    amount: toDecimal(r.amount),
    filled: toDecimal(r.filled),
    price: toOptionalDecimal(r.price),
    stopPrice: toOptionalDecimal(r.stop_price),
    average: toOptionalDecimal(r.average),
    timestamp: r.created_at,
    trades,
  }
}

export function toVenueTrade(t: TradeRow): VenueTrade {
  return {
    id: t.trade_id,
    orderId: t.exchange_order_id,
    symbol: t.symbol,
    side: t.side,
    amount: toDecimal(t.amount),
    price: toDecimal(t.price),
    cost: toDecimal(t.cost),
    fee:
      t.fee_cost !== null && t.fee_currency !== null
        ? { cost: toDecimal(t.fee_cost), currency: t.fee_currency }
        : null,
    takerOrMaker: t.taker_or_maker ?? 'taker',
    timestamp: t.time,
  }
}

export function orderNotFound(ref: { id?: string; clientOrderId?: string }): AppError {
  return new AppError('not_found', `Order ${ref.id ?? ref.clientOrderId ?? '?'} does not exist on paper`)
}
