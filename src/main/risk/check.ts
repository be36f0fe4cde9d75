import type { StateEntry } from '../../shared/contract/risk'
import { Decimal } from '../trading/decimal'
import type { GatedOrder } from '../trading/order-gate'
import type { AccountBook } from './book'
import type { CompiledLimits } from './limits'

/** Why an order was refused: the rule, its limit and the value that broke it, in words. */
export interface Refusal {
  rule: string
  limit: string
  value: string
  message: string
}

const HUNDRED = Decimal.parse('100')

/** Whether the order only makes the position smaller (never flips it, never opens one). */
export function reducesPosition(o: Pick<GatedOrder, 'side' | 'amount'>, position: Decimal): boolean {
  if (o.side === 'sell') return position.isPositive() && o.amount.lte(position)
  return position.isNegative() && o.amount.lte(position.neg())
}

/** Order types that rest on a book (a market order fills or fails at once). */
const restsOnBook = (type: string): boolean => type !== 'market'

/**
 * The risk check of one order: synchronous, reading only the limits and the account's book
 * (both in memory), so it costs microseconds (bench/risk.bench.ts). Rules in order, the first
 * that breaks refuses (docs/RISK.md has each rule's edge):
 *
 * 1. state: HALTED refuses every order; REDUCING every order that does not reduce a position;
 * 2. allowed symbols; 3. orders per second and per minute; 4. open orders;
 * 5-10 (only for orders that do not reduce a position, and only for markets quoted in the
 * account's currency): order notional, position, exposure, daily loss, drawdown, leverage.
 *
 * A maximum may be reached exactly (an order whose notional equals the limit passes); a daily
 * loss or drawdown equal to its limit has been reached, so it refuses.
 */
export function checkOrder(
  o: GatedOrder,
  limits: CompiledLimits,
  state: StateEntry,
  book: AccountBook,
  now: number,
): Refusal | null {
  const position = book.position(o.symbol)
  const reduces = reducesPosition(o, position)
  const what = `${o.side} of ${o.amount.toString()} ${o.symbol}`
  if (state.state === 'HALTED') {
    return {
      rule: 'halted',
      limit: 'HALTED',
      value: what,
      message: `Trading is HALTED (${state.reason}): no new orders until it is set ACTIVE again`,
    }
  }
  if (state.state === 'REDUCING' && !reduces) {
    const held = position.isZero()
      ? 'there is no position to reduce'
      : `the ${position.isPositive() ? 'long' : 'short'} is ${position.abs().toString()}`
    return {
      rule: 'reducing',
      limit: 'REDUCING',
      value: what,
      message: `Trading is REDUCING (${state.reason}): only orders that reduce a position pass, and this ${what} does not (${held})`,
    }
  }
  if (!reduces && limits.allowedSymbols && !limits.allowedSymbols.has(o.symbol)) {
    return {
      rule: 'allowed_symbols',
      limit: [...limits.allowedSymbols].join(', '),
      value: o.symbol,
      message: `${o.symbol} is not on the allowed symbols list (${[...limits.allowedSymbols].join(', ')})`,
    }
  }
  if (limits.maxOrdersPerSecond !== null) {
    const n = book.acceptedWithin(now, 1_000)
    if (n >= limits.maxOrdersPerSecond) {
      return rate('max_orders_per_second', limits.maxOrdersPerSecond, n, 'second')
    }
  }
  if (limits.maxOrdersPerMinute !== null) {
    const n = book.acceptedWithin(now, 60_000)
    if (n >= limits.maxOrdersPerMinute)
      return rate('max_orders_per_minute', limits.maxOrdersPerMinute, n, 'minute')
  }
  if (limits.maxOpenOrders !== null && restsOnBook(o.type) && book.open.size >= limits.maxOpenOrders) {
    return {
      rule: 'max_open_orders',
      limit: String(limits.maxOpenOrders),
      value: String(book.open.size + 1),
      message: `Open orders limit ${limits.maxOpenOrders} reached: ${book.open.size} open, this would be ${book.open.size + 1}`,
    }
  }
  if (reduces) return null
  const inCurrency = symbolQuote(o.symbol) === limits.currency
  if (!inCurrency) return null
  if (limits.maxOrderNotional && o.notional.gt(limits.maxOrderNotional)) {
    return money(
      book,
      'max_order_notional',
      'Order notional limit',
      limits.maxOrderNotional,
      o.notional,
      'this order',
    )
  }
  const signed = o.side === 'buy' ? o.amount : o.amount.neg()
  const after = position.plus(signed).abs().times(o.referencePrice)
  if (limits.maxPositionNotional && after.gt(limits.maxPositionNotional)) {
    return money(
      book,
      'max_position_notional',
      `Position limit for ${o.symbol}`,
      limits.maxPositionNotional,
      after,
      'the position after this order',
    )
  }
  const held = book.positions.get(o.symbol)
  const heldValue =
    held?.mark && held.quote === limits.currency ? held.amount.abs().times(held.mark) : Decimal.ZERO
  const exposureAfter = book.exposure.minus(heldValue).plus(after)
  if (limits.maxExposure && exposureAfter.gt(limits.maxExposure)) {
    return money(
      book,
      'max_exposure',
      'Exposure limit',
      limits.maxExposure,
      exposureAfter,
      'exposure after this order',
    )
  }
  if (limits.dailyLossLimit && book.dayPnl !== null) {
    const loss = book.dayPnl.neg()
    if (loss.gte(limits.dailyLossLimit)) {
      return {
        rule: 'daily_loss',
        limit: limits.dailyLossLimit.toString(),
        value: loss.toString(),
        message: `Daily loss limit ${book.money(limits.dailyLossLimit)} reached: today's loss ${book.money(loss)}`,
      }
    }
  }
  if (limits.maxDrawdownPercent && book.peakEquity?.isPositive() && book.equity !== null) {
    const drop = book.peakEquity.minus(book.equity)
    // drop / peak x 100 >= limit, compared without dividing.
    if (drop.times(HUNDRED).gte(limits.maxDrawdownPercent.times(book.peakEquity))) {
      const pct = drop.times(HUNDRED).div(book.peakEquity, 2, 'half_even').toFixed(2)
      return {
        rule: 'max_drawdown',
        limit: limits.maxDrawdownPercent.toString(),
        value: pct,
        message: `Drawdown limit ${limits.maxDrawdownPercent.toString()} % reached: equity ${book.money(book.equity)} is ${pct} % below its peak ${book.money(book.peakEquity)}`,
      }
    }
  }
  if (limits.maxLeverage && book.equity !== null) {
    if (!book.equity.isPositive() || exposureAfter.gt(limits.maxLeverage.times(book.equity))) {
      const lev = book.equity.isPositive() ? exposureAfter.div(book.equity, 4, 'half_even').toFixed(4) : '∞'
      return {
        rule: 'max_leverage',
        limit: limits.maxLeverage.toString(),
        value: lev,
        message: `Leverage limit ${limits.maxLeverage.toString()}x: exposure after this order ${book.money(exposureAfter)} is ${lev}x equity ${book.money(book.equity)}`,
      }
    }
  }
  return null
}

function rate(rule: string, max: number, n: number, per: 'second' | 'minute'): Refusal {
  return {
    rule,
    limit: String(max),
    value: String(n + 1),
    message: `Order rate limit ${max} per ${per} reached: this would be order ${n + 1} in the last ${per}`,
  }
}

function money(
  book: AccountBook,
  rule: string,
  name: string,
  max: Decimal,
  value: Decimal,
  of: string,
): Refusal {
  return {
    rule,
    limit: max.toString(),
    value: value.toString(),
    message: `${name} ${book.money(max)} exceeded: ${of} is ${book.money(value)}`,
  }
}

/** The quote of `BASE/QUOTE` (or `BASE/QUOTE:SETTLE`). */
export function symbolQuote(symbol: string): string {
  const slash = symbol.indexOf('/')
  const colon = symbol.indexOf(':')
  return symbol.slice(slash + 1, colon < 0 ? undefined : colon)
}
