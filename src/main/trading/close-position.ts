import { AppError } from '../../shared/contract/errors'
import type { PositionClose } from '../../shared/contract/trading'
import type { Order, OrderRequest, OrderSide } from '../../shared/domain/trading'
import { floorTo, toDecimal, type Decimal } from './decimal'
import { assertLiveAllowed } from './live-gate'
import { asAppError } from './order-errors'
import type { OrderPath } from './order-path'
import { orderFromRow, ordersWithStatus, type OrderRow, type StoredAccount } from './store'
import { isLocalVenue, type LocalVenue, type TradingVenue } from './venue'
import { positionIn } from './position-book'

/**
 * Closing a position (`trading.closePosition`): one market order on the opposite side of the
 * position's whole size as its recorded fills add up, exactly, rounded down to the market's lot
 * step (an order can carry nothing finer). What is left below the step is dust (`dust`): it is
 * never sent (no market accepts it), and a position that is only dust has nothing to close.
 *
 * Resting orders of the symbol on the closing side hold what the close needs: a sell stop
 * protecting a long reserves its coins, so selling them was refused ("short by 0.00399"). Asked
 * to (`cancelResting`), the close cancels them first, as one action:
 * - paper: the cancels and the close in one transaction, so it is all or nothing;
 * - live: one cancel after the other (an exchange has no transaction); if one fails, the close
 *   is not sent and the error names that order and the ones already canceled.
 * Left resting, they would trade later against a position that is gone.
 */

export interface CloseOptions {
  symbol: string
  cancelResting: boolean
  confirm?: boolean | undefined
  dryRun: boolean
}

/** What closing the position takes: its close order and the resting orders that hold it. */
async function plan(path: OrderPath, venue: TradingVenue, accountId: string, symbol: string) {
  const position = positionIn(path.db, accountId, symbol)
  const held = toDecimal(position.amount)
  if (held.isZero()) {
    throw new AppError('not_found', `There is no open ${symbol} position in this account`, 'params.symbol')
  }
  const side: OrderSide = held.isPositive() ? 'sell' : 'buy'
  const step = (await venue.loadMarkets()).get(symbol)?.amountStep
  const size = held.abs()
  const amount: Decimal = step ? floorTo(size, step) : size
  if (!amount.isPositive()) {
    throw new AppError(
      'not_found',
      `The ${symbol} position is ${size.toString()} ${position.base}, less than the lot step ${step!.toString()}: dust no order can close`,
      'params.symbol',
    )
  }
  const resting = ordersWithStatus(path.db, accountId, ['open', 'partially_filled']).filter(
    (r) => r.symbol === symbol && r.side === side,
  )
  return { side, amount, dust: size.minus(amount), resting }
}

export async function closePosition(
  path: OrderPath,
  account: StoredAccount,
  venue: TradingVenue,
  opts: CloseOptions,
  /** The stored account, read again just before anything is sent (its live switch may have changed). */
  current: () => StoredAccount,
): Promise<PositionClose> {
  const { symbol } = opts
  const { side, amount, dust, resting } = await plan(path, venue, account.id, symbol)
  const req: OrderRequest = { accountId: account.id, symbol, side, type: 'market', amount: amount.toString() }
  if (opts.confirm !== undefined) req.confirm = opts.confirm
  const base = {
    accountId: account.id,
    symbol,
    side,
    amount: amount.toString(),
    dust: dust.toString(),
    resting: resting.map((r) => orderFromRow(path.db, r)),
  }

  if (opts.dryRun) {
    const problem = await path.validate(account, venue, req).then(
      () => null,
      (err: unknown) => {
        const e = asAppError(err)
        return { kind: e.kind, message: e.message }
      },
    )
    const needsCancel = problem?.kind === 'insufficient_funds' && resting.length > 0
    return { ...base, needsCancel, problem: needsCancel ? null : problem, canceled: [], order: null }
  }

  assertLiveAllowed(account, req)
  if (!opts.cancelResting || resting.length === 0) {
    try {
      const order = await path.placeOrder(account, venue, req, () => assertLiveAllowed(current(), req))
      return { ...base, needsCancel: false, problem: null, canceled: [], order }
    } catch (err) {
      const e = asAppError(err)
      if (e.kind !== 'insufficient_funds' || resting.length === 0) throw e
      throw new AppError(
        'insufficient_funds',
        `${held(resting)} the ${symbol} position; cancel ${resting.length === 1 ? 'it' : 'them'} with the close (cancelResting) or first (${e.message})`,
        'params.cancelResting',
      )
    }
  }

  if (isLocalVenue(venue)) return { ...base, ...closeLocal(path, account, venue, req, resting) }

  const canceled: Order[] = []
  for (const row of resting) {
    try {
      canceled.push(await path.cancelOrder(venue, account.id, row.client_order_id))
    } catch (err) {
      const e = asAppError(err)
      const before =
        canceled.length === 0
          ? 'nothing was canceled'
          : `already canceled: ${canceled.map((o) => o.clientOrderId).join(', ')}`
      throw new AppError(
        e.kind,
        `Could not cancel the ${describe(row)} (${row.client_order_id}): ${e.message}. The position was not closed; ${before}`,
        'params.cancelResting',
      )
    }
  }
  const order = await path.placeOrder(account, venue, req, () => assertLiveAllowed(current(), req))
  return { ...base, needsCancel: false, problem: null, canceled, order }
}

/** Paper: the cancels and the close in one transaction; any refusal leaves everything as it was. */
function closeLocal(
  path: OrderPath,
  account: StoredAccount,
  venue: LocalVenue,
  req: OrderRequest,
  resting: readonly OrderRow[],
): Pick<PositionClose, 'needsCancel' | 'problem' | 'canceled' | 'order'> {
  return path.tx(() => {
    const canceled = resting.map((row) => {
      try {
        if (row.exchange_order_id === null) throw new AppError('conflict', 'it has no venue id yet')
        const vo = venue.cancelOrderSync({ symbol: row.symbol, id: row.exchange_order_id })
        return path.apply(account.id, vo).order
      } catch (err) {
        const e = asAppError(err)
        throw new AppError(
          e.kind,
          `Could not cancel the ${describe(row)} (${row.client_order_id}): ${e.message}. Nothing was canceled and the position was not closed`,
          'params.cancelResting',
        )
      }
    })
    const [result] = path.placeLocalBatch(account, venue, [req])
    if (result instanceof AppError || result === undefined) {
      const e = result ?? new AppError('internal', 'The close order was not placed')
      throw new AppError(
        e.kind,
        `The close was refused (${e.message}); nothing was canceled`,
        e.path ?? 'params.symbol',
      )
    }
    return { needsCancel: false, problem: null, canceled, order: result }
  })
}

/** `sell stop 0.00399 @ 70000`: an order as the trader knows it. */
function describe(r: OrderRow): string {
  const at =
    r.type === 'stop' && r.stop_price !== null
      ? ` at ${r.stop_price}`
      : r.price !== null
        ? ` at ${r.price}`
        : ''
  return `${r.side} ${r.type} of ${toDecimal(r.amount).minus(toDecimal(r.filled)).toString()}${at}`
}

function held(resting: readonly OrderRow[]): string {
  return resting.length === 1
    ? `A resting ${describe(resting[0]!)} holds`
    : `${resting.length} resting orders (${resting.map(describe).join('; ')}) hold`
}
