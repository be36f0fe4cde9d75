import { AppError } from '../../shared/contract/errors'
import type { OrderModification } from '../../shared/contract/trading'
import { LIVE_STATUSES, UNRESOLVED_STATUSES, type Order } from '../../shared/domain/trading'
import { CLIENT_ORDER_ID_PATTERN } from './client-order-id'
import { Decimal, toDecimal, toOptionalDecimal, toOptionalText } from './decimal'
import { syncMissingFills } from './fill-sync'
import { applyVenueOrder } from './order-adopt'
import { cancelOrder } from './order-cancel'
import { asAppError, definitelyRefused } from './order-errors'
import { createIntent } from './order-intent'
import { orderKey } from './order-key'
import type { OrderLedger } from './order-ledger'
import type { OutcomeResolver } from './order-resolve'
import type { PretradeChecks } from './pretrade'
import { getOrderRow, updateOrder, type OrderRow, type StoredAccount } from './store'
import { direction, reached } from './triggers'
import {
  readNumber,
  validateOrder,
  type CheckedOrder,
  type DecimalInput,
  type OrderInput,
} from './validation'
import {
  isLocalVenue,
  type BalanceLookup,
  type LocalVenue,
  type Quote,
  type TradingVenue,
  type VenueMarket,
  type VenueOrder,
  type VenueOrderRequest,
} from './venue'

/**
 * Modifying an open order: its price, stop price or amount. The new order is checked as a new
 * one would be (validation.ts: rounding, minimums, funds counted with what the order already
 * holds) and a stop that the last price already triggers is refused. Then:
 *
 * - paper: amended in place in one transaction (PaperVenue.amendOrderSync, which says how queue
 *   priority is kept or lost); the order keeps its client order id;
 * - live, where ccxt can edit (`editOrder`; Binance's cancel-replace, which places the new order
 *   only if the old one was canceled): one request, the new order under a replacement client
 *   order id written as an intent first, exactly like a new order;
 * - live otherwise: cancel, then place. The cancel goes through the order path's cancel, which
 *   throws when its outcome is unknown, so nothing is placed unless the old order is known to be
 *   off the book: two live orders never stand for one.
 *
 * A live order is fetched first, so the replacement carries exactly what is left of it (a fill we
 * had not heard of would otherwise be bought twice). A replacement's client order id is the old
 * one with `-r<n>` appended (`cw-…-r1`, `cw-…-r2` from the same root), which links the two
 * without another column, or a fresh id when that would break the exchange's 36-character rule.
 */

/** What the trader asks to change (decimal text from the contract, or Decimals). */
export interface OrderChange {
  price?: DecimalInput | undefined
  stopPrice?: DecimalInput | undefined
  amount?: DecimalInput | undefined
}

/** A change read exactly (readNumber names a field that is not a positive decimal). */
interface Change {
  price?: Decimal | undefined
  stopPrice?: Decimal | undefined
  amount?: Decimal | undefined
}

function readChange(c: OrderChange): Change {
  return {
    price: readNumber('price', c.price),
    stopPrice: readNumber('stopPrice', c.stopPrice),
    amount: readNumber('amount', c.amount),
  }
}

export interface ModifyDeps {
  ledger: OrderLedger
  resolver: OutcomeResolver
  pretrade: PretradeChecks
  /** A fresh client order id, for a replacement whose derived id would be too long. */
  newId: () => string
  /** Orders being modified in this process: a second modification of one waits its turn by refusal. */
  modifying: Set<string>
  /**
   * Writes the intent, sends it once with `send` and adopts the answer or looks it up
   * (OrderPath.placeRemote).
   */
  placeRemote: (
    venue: TradingVenue,
    row: OrderRow,
    request: VenueOrderRequest,
    send: () => Promise<VenueOrder>,
  ) => Promise<Order>
}

export async function modifyOrder(
  deps: ModifyDeps,
  account: StoredAccount,
  venue: TradingVenue,
  clientOrderId: string,
  asked: OrderChange,
  /** Runs right before anything is sent (the live gate, checked again). */
  beforeSend?: () => void,
): Promise<OrderModification> {
  const { ledger } = deps
  const change = readChange(asked)
  const row = ledger.row(account.id, clientOrderId)
  checkChange(row, change)
  const k = orderKey(account.id, clientOrderId)
  if (deps.modifying.has(k)) {
    throw new AppError(
      'conflict',
      `Order ${clientOrderId} is being modified already; wait for that to finish`,
      'params.clientOrderId',
    )
  }
  deps.modifying.add(k)
  try {
    if (isLocalVenue(venue)) return amendLocal(ledger, account, venue, row, change)
    return await modifyRemote(deps, account, venue, row, change, beforeSend)
  } finally {
    deps.modifying.delete(k)
  }
}

/** Refuses what cannot be asked of this order at all, before any exchange is asked anything. */
function checkChange(row: OrderRow, change: Change): void {
  if (change.price === undefined && change.stopPrice === undefined && change.amount === undefined) {
    throw new AppError('validation', 'Give a new price, stop price or amount', 'params.price')
  }
  if (change.price !== undefined && row.price === null) {
    throw new AppError('invalid_order', `A ${row.type} order has no limit price to change`, 'params.price')
  }
  if (change.stopPrice !== undefined && row.type === 'trailing_stop') {
    throw new AppError(
      'invalid_order',
      "A trailing stop's stop follows the price; cancel it and place a new one to change its distance",
      'params.stopPrice',
    )
  }
  if (change.stopPrice !== undefined && row.stop_price === null) {
    throw new AppError('invalid_order', `A ${row.type} order has no stop price to change`, 'params.stopPrice')
  }
  checkWorking(row)
}

function checkWorking(row: OrderRow): void {
  if (UNRESOLVED_STATUSES.includes(row.status)) {
    throw new AppError(
      'conflict',
      `Order ${row.client_order_id} has an unknown outcome; it cannot be modified until the exchange confirms it`,
      'params.clientOrderId',
    )
  }
  if (!LIVE_STATUSES.includes(row.status) || row.exchange_order_id === null) {
    throw new AppError(
      'conflict',
      `Order ${row.client_order_id} is already ${row.status}`,
      'params.clientOrderId',
    )
  }
}

/** What the order holds of the account's funds while it rests: quote for buys, base for sells. */
function heldBy(row: OrderRow, market: VenueMarket): { asset: string; amount: Decimal } {
  const remaining = toDecimal(row.amount).minus(toDecimal(row.filled))
  const price = toOptionalDecimal(row.price ?? row.stop_price) ?? Decimal.ZERO
  return row.side === 'buy'
    ? { asset: market.quote, amount: remaining.times(price) }
    : { asset: market.base, amount: remaining }
}

/** The balances with what the order holds counted as free again: it is the order's own to move. */
function withHeld(balances: BalanceLookup, held: { asset: string; amount: Decimal }): BalanceLookup {
  return {
    get: (asset) => {
      const b = balances.get(asset)
      if (asset !== held.asset) return b
      const free = (b?.free ?? Decimal.ZERO).plus(held.amount)
      const used = Decimal.max(Decimal.ZERO, (b?.used ?? Decimal.ZERO).minus(held.amount))
      return { free, used, total: free.plus(used) }
    },
  }
}

/**
 * The order as it would stand after the change, checked like a new order for `remaining` (what
 * is left to trade). Returns null when rounding leaves it as it is.
 */
function checkTarget(
  row: OrderRow,
  change: Change,
  remaining: Decimal,
  ctx: {
    market: VenueMarket | undefined
    quote: Quote | undefined
    balances: BalanceLookup | undefined
    venue: string
  },
): CheckedOrder | null {
  const { market } = ctx
  const n = validateOrder(
    requestOf(
      row,
      remaining,
      change.price ?? toOptionalDecimal(row.price),
      change.stopPrice ?? toOptionalDecimal(row.stop_price),
    ),
    {
      market,
      quote: ctx.quote,
      balances: ctx.balances && market ? withHeld(ctx.balances, heldBy(row, market)) : undefined,
      venue: ctx.venue,
    },
  )
  const last = ctx.quote?.last
  const dir = direction(row.type, row.side)
  if (
    n.stopPrice !== null &&
    row.type !== 'trailing_stop' &&
    last !== undefined &&
    reached(dir, last, n.stopPrice)
  ) {
    throw new AppError(
      'invalid_order',
      `Stop price would trigger immediately: last ${last.toString()} is already ${dir === 'rise' ? 'at or above' : 'at or below'} ${n.stopPrice.toString()}`,
      'params.stopPrice',
    )
  }
  const same =
    toOptionalText(n.price) === row.price &&
    toOptionalText(n.stopPrice) === row.stop_price &&
    n.amount.plus(toDecimal(row.filled)).eq(toDecimal(row.amount))
  return same ? null : n
}

/**
 * The order request `row` stands for, for `amount` at these prices. A trailing stop keeps its
 * distance and activation (its stored stop follows the water mark and is not a request field).
 */
function requestOf(
  row: OrderRow,
  amount: Decimal,
  price: Decimal | null,
  stopPrice: Decimal | null,
): OrderInput {
  const trailing = row.type === 'trailing_stop'
  return {
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    amount,
    price: price ?? undefined,
    stopPrice: trailing ? undefined : (stopPrice ?? undefined),
    trailingPercent: row.trailing_percent ?? undefined,
    trailingAmount: row.trailing_amount ?? undefined,
    activationPrice: row.activation_price ?? undefined,
    postOnly: row.post_only === 1 ? true : undefined,
  }
}

/** Paper: amended in place, checked and written in one transaction with the venue's book. */
function amendLocal(
  ledger: OrderLedger,
  account: StoredAccount,
  venue: LocalVenue,
  row: OrderRow,
  change: Change,
): OrderModification {
  let quote: Quote | undefined
  try {
    quote = venue.quoteSync(row.symbol)
  } catch {
    quote = undefined
  }
  const total = change.amount ?? toDecimal(row.amount)
  const n = checkTarget(row, change, total.minus(toDecimal(row.filled)), {
    market: venue.marketsSync().get(row.symbol),
    quote,
    balances: venue.balancesSync(),
    venue: venue.id,
  })
  if (n === null)
    return { order: ledger.order(account.id, row.client_order_id), previous: null, method: 'amended' }
  const order = ledger.tx(() =>
    venue.runBatch(
      () => {
        const vo = venue.amendOrderSync(
          { symbol: row.symbol, id: row.exchange_order_id! },
          {
            amount: n.amount.plus(toDecimal(row.filled)),
            ...(n.price !== null ? { price: n.price } : {}),
            ...(n.stopPrice !== null ? { stopPrice: n.stopPrice } : {}),
          },
        )
        // The new shape first (a lost place in the queue is a new exchange id), then the answer adopted.
        updateOrder(ledger.db, account.id, row.client_order_id, {
          amount: vo.amount.toString(),
          price: toOptionalText(vo.price),
          stop_price: toOptionalText(vo.stopPrice),
          exchange_order_id: vo.id,
          updated_at: ledger.clock.now(),
        })
        applyVenueOrder(ledger, account.id, vo, { expected: row })
        ledger.emit({ type: 'balance', accountId: account.id })
        return ledger.emitOrderRow(account.id, row.client_order_id)
      },
      { ledgerRecordsFills: true },
    ),
  )
  return { order, previous: null, method: 'amended' }
}

async function modifyRemote(
  deps: ModifyDeps,
  account: StoredAccount,
  venue: TradingVenue,
  stale: OrderRow,
  change: Change,
  beforeSend: (() => void) | undefined,
): Promise<OrderModification> {
  const { ledger, pretrade } = deps
  const ref = { symbol: stale.symbol, id: stale.exchange_order_id! }
  // The order as the exchange has it now: what is left of it is what the replacement carries.
  const fresh = await venue.fetchOrder(ref)
  const adopted = ledger.tx(() => applyVenueOrder(ledger, account.id, fresh, { expected: stale }))
  if (adopted.missingFills) await syncMissingFills(ledger, venue, stale)
  const row = ledger.row(account.id, stale.client_order_id)
  checkWorking(row)
  const total = change.amount ?? toDecimal(row.amount)
  const remaining = total.minus(toDecimal(row.filled))
  if (!remaining.isPositive()) {
    throw new AppError(
      'invalid_order',
      `amount ${total.toString()} is not above the ${row.filled} already filled`,
      'params.amount',
    )
  }
  const market = (await venue.loadMarkets()).get(row.symbol)
  const quote = await venue.fetchQuote(row.symbol).catch(() => undefined)
  // The exchange checks funds itself; ours is a courtesy that a failed balance fetch skips.
  const balances = await venue.fetchBalance().catch(() => undefined)
  const n = checkTarget(row, change, remaining, { market, quote, balances, venue: venue.id })
  if (n === null)
    return { order: ledger.order(account.id, row.client_order_id), previous: null, method: 'edited' }
  beforeSend?.()
  const id = replacementId(
    row.client_order_id,
    (c) => getOrderRow(ledger.db, account.id, c) !== undefined,
    deps.newId,
  )
  const intent = createIntent(ledger.clock, () => id, account.id, n, 'pending', null)
  pretrade.invalidateBalances(account.id)

  if (venue.editOrder && (await venue.canEditOrders?.()) === true) {
    const edit = venue.editOrder.bind(venue)
    try {
      const order = await deps.placeRemote(venue, intent.row, intent.request, () => edit(ref, intent.request))
      return { order, previous: await refreshOld(ledger, venue, row), method: 'edited' }
    } catch (err) {
      // Refused: the exchange may still have canceled the old order (Binance -2021), so ask.
      await refreshOld(ledger, venue, row)
      throw err
    }
  }

  // Cancel first. An unknown or refused cancel throws here, and nothing is placed.
  let canceled: Order
  try {
    canceled = await cancelOrder(ledger, deps.resolver, pretrade, venue, account.id, row.client_order_id)
  } catch (err) {
    const e = asAppError(err)
    if (e.kind === 'conflict' || definitelyRefused(err, e)) throw e
    throw new AppError(
      e.kind,
      `${e.message}. Whether the order was canceled is not known yet, so no replacement was placed; it is being checked`,
      'params.clientOrderId',
    )
  }
  const left = total.minus(toDecimal(canceled.filled))
  if (!left.isPositive()) {
    throw new AppError(
      'conflict',
      `Order ${row.client_order_id} filled ${canceled.filled} while it was being canceled; nothing is left to place again`,
      'params.clientOrderId',
    )
  }
  let request = intent.request
  let intentRow = intent.row
  if (!left.eq(remaining)) {
    // It filled a little more before the cancel: the replacement carries only what is left.
    const again = validateOrder(requestOf(row, left, n.price, n.stopPrice), {
      market,
      quote,
      venue: venue.id,
    })
    const redo = createIntent(ledger.clock, () => id, account.id, again, 'pending', null)
    request = redo.request
    intentRow = redo.row
  }
  const order = await deps.placeRemote(venue, intentRow, request, () => venue.createOrder(request))
  return { order, previous: canceled, method: 'replaced' }
}

/** The replaced order as the exchange now has it (canceled, with what it filled); left to the sync if it cannot be asked. */
async function refreshOld(ledger: OrderLedger, venue: TradingVenue, row: OrderRow): Promise<Order> {
  try {
    const vo = await venue.fetchOrder({ symbol: row.symbol, id: row.exchange_order_id! })
    const r = ledger.tx(() => applyVenueOrder(ledger, row.account_id, vo, { expected: row }))
    if (r.missingFills) await syncMissingFills(ledger, venue, row)
  } catch {
    // The live sync refreshes every order we hold open.
  }
  return ledger.order(row.account_id, row.client_order_id)
}

/**
 * The client order id of an order's replacement: its root (the id without a `-r<n>` suffix)
 * with the next `-r<n>`, one no order of the account has yet; a fresh id when that would not be
 * a valid client order id (36 characters of Binance's alphabet).
 */
export function replacementId(
  clientOrderId: string,
  taken: (id: string) => boolean,
  fresh: () => string,
): string {
  const m = /^(.+)-r(\d{1,6})$/.exec(clientOrderId)
  const root = m ? m[1]! : clientOrderId
  let n = m ? Number(m[2]) + 1 : 1
  let id = `${root}-r${n}`
  while (taken(id)) id = `${root}-r${++n}`
  return CLIENT_ORDER_ID_PATTERN.test(id) ? id : fresh()
}
