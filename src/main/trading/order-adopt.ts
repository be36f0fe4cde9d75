import type { Fill, Order, OrderStatus } from '../../shared/domain/trading'
import { TERMINAL_STATUSES } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import { averagePrice, Decimal, toDecimal, toOptionalText } from './decimal'
import type { OrderLedger } from './order-ledger'
import {
  adoptOrderState,
  fillOpenOrder,
  fillTotals,
  getOrderRow,
  getOrderState,
  getOrderStateByExchangeId,
  insertAnsweredOrder,
  insertFill,
  insertOrder,
  orderOptions,
  updateOrder,
  type OrderRow,
  type OrderState,
} from './store'
import type { VenueOrder, VenueTrade, VenueUpdate } from './venue'
import { NO_OPTIONS } from './order-options'

/**
 * Adopting what a venue says about an order: its exchange id, status, filled amount and the
 * fills reported with it. The exchange is the judge of an order's state; these functions only
 * guard against stale reads (a terminal order never reopens) and record duplicates once.
 */

/** ccxt's order status -> ours. */
export function statusOf(vo: VenueOrder): OrderStatus {
  switch (vo.status) {
    case 'open':
      return vo.filled.isPositive() ? 'partially_filled' : 'open'
    case 'closed':
      return 'filled'
    case 'canceled':
    case 'expired':
      return 'canceled'
    case 'rejected':
      return 'rejected'
  }
}

export interface ApplyResult {
  order: Order
  newFills: Fill[]
  previous: OrderStatus | null
  /** The exchange reports more filled than our fills add up to: fetch its trades. */
  missingFills: boolean
}

export interface ApplyOptions {
  expected?: OrderRow
  current?: OrderRow
  /** `current` is not in the table yet: it is written once, with the answer adopted. */
  unwritten?: boolean
  recordExternal?: boolean
}

/** Fees per currency, in currency order (as the order's fees are read from the database). */
function sumFees(trades: readonly VenueTrade[]): Order['fees'] {
  if (trades.length === 1) {
    const fee = trades[0]!.fee
    return fee ? [{ currency: fee.currency, cost: fee.cost.toString() }] : []
  }
  const by = new Map<string, Decimal>()
  for (const t of trades)
    if (t.fee) by.set(t.fee.currency, (by.get(t.fee.currency) ?? Decimal.ZERO).plus(t.fee.cost))
  return [...by]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, cost]) => ({ currency, cost: cost.toString() }))
}

/** Amount and cost of the fills reported with an order. */
function tradeTotals(vo: VenueOrder): { amount: Decimal; cost: Decimal } {
  if (vo.trades.length === 1) return { amount: vo.trades[0]!.amount, cost: vo.trades[0]!.cost }
  let amount = Decimal.ZERO
  let cost = Decimal.ZERO
  for (const t of vo.trades) {
    amount = amount.plus(t.amount)
    cost = cost.plus(t.cost)
  }
  return { amount, cost }
}

/** Whether the fills reported with an order (adding up to `amount`) add up to exactly what it says is filled. */
function tradesComplete(vo: VenueOrder, amount = tradeTotals(vo).amount): boolean {
  return vo.trades.length > 0 && amount.eq(vo.filled)
}

/** A venue trade as our fill; what the trade leaves out is taken from its order. */
export function tradeToFill(
  clock: Clock,
  accountId: string,
  t: VenueTrade,
  clientOrderId: string | null,
  vo?: VenueOrder,
): Fill {
  return {
    accountId,
    tradeId: t.id,
    exchangeOrderId: t.orderId || vo?.id || '',
    clientOrderId,
    symbol: t.symbol || vo?.symbol || '',
    side: t.side,
    amount: t.amount.toString(),
    price: t.price.toString(),
    cost: t.cost.toString(),
    fee: t.fee && { cost: t.fee.cost.toString(), currency: t.fee.currency },
    takerOrMaker: t.takerOrMaker,
    time: t.timestamp || vo?.timestamp || clock.now(),
  }
}

/**
 * Adopts what the exchange says about an order: its id, status and filled amount, and the
 * fills reported with it (deduplicated). A terminal local status never goes back to open
 * (a stale read); a `not_placed` order the exchange has is adopted. An order we never
 * placed is recorded as `external`. Must run inside `ledger.tx`.
 */
export function applyVenueOrder(
  ledger: OrderLedger,
  accountId: string,
  vo: VenueOrder,
  opts: ApplyOptions = {},
): ApplyResult {
  const { db, clock } = ledger
  const t = clock.now()
  // The full row when it is at hand (just written, or inserted as external), else only the state.
  let full: OrderRow | undefined = opts.current
  let row: OrderState | undefined =
    full ??
    (opts.expected ? getOrderState(db, accountId, opts.expected.client_order_id) : undefined) ??
    (vo.clientOrderId !== null ? getOrderState(db, accountId, vo.clientOrderId) : undefined) ??
    getOrderStateByExchangeId(db, accountId, vo.symbol, vo.id)
  if (row && row.exchange_order_id !== null && row.exchange_order_id !== vo.id) {
    // Same client id reused by a different exchange order: treat it as another order.
    full = undefined
    row = getOrderStateByExchangeId(db, accountId, vo.symbol, vo.id)
  }
  if (!row) {
    row = full = insertExternal(ledger, accountId, vo, t)
    if (opts.recordExternal !== false) {
      ledger.event(accountId, 'unknown_order', {
        symbol: vo.symbol,
        clientOrderId: row.client_order_id,
        exchangeOrderId: vo.id,
        detail: `The exchange has a ${vo.side} ${vo.type} order for ${vo.amount.toString()} ${vo.symbol} (${statusOf(vo)}) that Candlework had no record of; it is now listed as external`,
      })
    }
  }
  const previous = row.status
  let status = statusOf(vo)
  const terminal = TERMINAL_STATUSES.includes(previous) && previous !== 'not_placed'
  if (terminal && !TERMINAL_STATUSES.includes(status)) status = previous
  const rowFilled = toDecimal(row.filled)
  const filledAmount = Decimal.max(rowFilled, vo.filled)
  const filled = filledAmount.toString()
  const newFills: Fill[] = []
  for (const trade of vo.trades) {
    const fill = tradeToFill(clock, accountId, trade, row.client_order_id, vo)
    if (insertFill(db, fill, t)) newFills.push(fill)
  }
  // The fills are all in this answer when nothing was recorded before and they add up to `filled`.
  const reported = tradeTotals(vo)
  // An order written by this very call has no fills recorded under its new exchange id: one
  // resting unfilled is complete too.
  const fresh = opts.current !== undefined && full === opts.current
  const complete =
    rowFilled.isZero() &&
    (vo.trades.length > 0 ? tradesComplete(vo, reported.amount) : fresh && vo.filled.isZero())
  const totals = complete ? reported : fillTotals(db, accountId, vo.symbol, vo.id)
  // The exchange's average, else the fills' cost / amount (decimal.ts's averagePrice, without
  // the market's tick here: 12 places, half-to-even).
  const average =
    toOptionalText(vo.average) ??
    (totals.amount.isPositive() ? averagePrice(totals.cost, totals.amount)!.toString() : row.average)
  if (opts.unwritten && full) {
    insertAnsweredOrder(db, full, { exchange_order_id: vo.id, status, filled, average, updated_at: t })
  } else {
    adoptOrderState(
      db,
      accountId,
      row.client_order_id,
      { exchangeOrderId: vo.id, status, filled, average, updatedAt: t },
      row.exchange_order_id,
    )
  }
  if (row.status === 'unknown' && status !== 'unknown') {
    updateOrder(db, accountId, row.client_order_id, { next_check_at: null })
  }
  const trailingMoved = adoptWaterMark(ledger, accountId, row.client_order_id, vo)
  const clientOrderId = row.client_order_id
  let order: Order | undefined
  const known = full
  // When the row was at hand and the answer carried every fill, the order is known without reading it back.
  const orderNow = (): Order =>
    (order ??=
      known && complete && !trailingMoved
        ? {
            accountId,
            clientOrderId,
            exchangeOrderId: vo.id,
            symbol: known.symbol,
            side: known.side,
            type: known.type,
            amount: known.amount,
            price: known.price,
            stopPrice: known.stop_price,
            ...orderOptions(known),
            status,
            filled,
            average,
            fees: sumFees(vo.trades),
            origin: known.origin,
            error: known.error_kind ? { kind: known.error_kind, message: known.error_message ?? '' } : null,
            createdAt: known.created_at,
            sentAt: known.sent_at,
            updatedAt: t,
          }
        : ledger.order(accountId, clientOrderId))
  if (ledger.hasListeners) {
    for (const fill of newFills) ledger.emit({ type: 'fill', fill })
    if (
      previous !== status ||
      row.filled !== filled ||
      newFills.length > 0 ||
      row.exchange_order_id !== vo.id ||
      trailingMoved
    ) {
      ledger.emit({ type: 'order', order: orderNow() })
      ledger.emit({ type: 'balance', accountId })
    }
  }
  const missingFills = filledAmount.isPositive() && totals.amount.lt(filledAmount)
  return {
    get order() {
      return orderNow()
    },
    newFills,
    previous,
    missingFills,
  }
}

/**
 * Adopts what a local venue's tick did: resting orders filled in full, mostly. One we hold as
 * open and unfilled under the same exchange id, whose fills all came with it, is settled with
 * one guarded UPDATE and its fills, without reading it first; anything else goes through
 * `applyVenueOrder`. Must run inside `ledger.tx`.
 */
export function applyTick(ledger: OrderLedger, accountId: string, updates: readonly VenueUpdate[]): void {
  const { db, clock } = ledger
  const t = clock.now()
  for (const { order: vo } of updates) {
    const coid = vo.clientOrderId
    const settled =
      coid !== null &&
      vo.status === 'closed' &&
      vo.average !== null &&
      vo.filled.isPositive() &&
      tradesComplete(vo) &&
      fillOpenOrder(db, accountId, coid, vo.id, vo.filled.toString(), vo.average.toString(), t)
    if (!settled) {
      applyVenueOrder(ledger, accountId, vo)
      continue
    }
    for (const trade of vo.trades) {
      const fill = tradeToFill(clock, accountId, trade, coid, vo)
      if (insertFill(db, fill, t)) ledger.emit({ type: 'fill', fill })
    }
    if (ledger.hasListeners) {
      ledger.emit({ type: 'order', order: ledger.order(accountId, coid) })
      ledger.emit({ type: 'balance', accountId })
    }
  }
}

/**
 * A trailing stop's water mark and stop as the venue reports them (the paper book does): kept
 * on our row so the blotter shows where it stands. True when they moved.
 */
function adoptWaterMark(
  ledger: OrderLedger,
  accountId: string,
  clientOrderId: string,
  vo: VenueOrder,
): boolean {
  if (vo.type !== 'trailing_stop' || vo.waterMark === undefined || vo.waterMark === null) return false
  const r = getOrderRow(ledger.db, accountId, clientOrderId)
  const waterMark = vo.waterMark.toString()
  const stopPrice = toOptionalText(vo.stopPrice)
  if (!r || (r.water_mark === waterMark && r.stop_price === stopPrice)) return false
  updateOrder(ledger.db, accountId, clientOrderId, { water_mark: waterMark, stop_price: stopPrice })
  return true
}

/** Records an order we never placed, found on the exchange, as `external`. */
function insertExternal(ledger: OrderLedger, accountId: string, vo: VenueOrder, t: number): OrderRow {
  let coid = vo.clientOrderId ?? `ext-${vo.id}`
  if (getOrderRow(ledger.db, accountId, coid)) coid = `ext-${vo.id}`
  const row: OrderRow = {
    account_id: accountId,
    client_order_id: coid,
    exchange_order_id: null,
    symbol: vo.symbol,
    side: vo.side,
    type: vo.type,
    amount: vo.amount.toString(),
    price: toOptionalText(vo.price),
    stop_price: toOptionalText(vo.stopPrice),
    status: 'sent',
    filled: '0',
    average: null,
    origin: 'external',
    error_kind: null,
    error_message: null,
    created_at: vo.timestamp || t,
    sent_at: vo.timestamp || t,
    updated_at: t,
    outcome_deadline: null,
    check_attempts: 0,
    next_check_at: null,
    ...NO_OPTIONS,
  }
  insertOrder(ledger.db, row)
  return row
}
