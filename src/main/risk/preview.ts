import type { LimitHeadroom } from '../../shared/contract/risk-preview'
import { Decimal } from '../trading/decimal'
import type { GatedOrder } from '../trading/order-gate'
import type { AccountBook } from './book'
import { reducesPosition, symbolQuote } from './check'
import type { CompiledLimits } from './limits'

const HUNDRED = Decimal.parse('100')

/**
 * Each configured limit as an order not sent would meet it: the value the rule reads now, after
 * the order, and the headroom (limit − after). It reads what `checkOrder` reads (check.ts), so the
 * numbers are the ones behind a refusal; the refusal itself is `checkOrder`'s answer, not
 * recomputed here. Rates and open orders count this order as the next one; daily loss and
 * drawdown do not move with an order (they are read at the last valuation).
 */
export function limitHeadroom(
  o: GatedOrder,
  limits: CompiledLimits,
  book: AccountBook,
  now: number,
): LimitHeadroom[] {
  const out: LimitHeadroom[] = []
  const places = book.places
  const m = (d: Decimal): string => d.toFixed(places, 'half_even')
  const position = book.position(o.symbol)
  const reduces = reducesPosition(o, position)
  const inCurrency = symbolQuote(o.symbol) === limits.currency
  const moneyNote = reduces
    ? 'not checked: the order only reduces the position'
    : inCurrency
      ? null
      : `not checked: ${o.symbol} is not quoted in ${limits.currency}`
  const moneyApplies = moneyNote === null

  const row = (
    rule: string,
    label: string,
    unit: LimitHeadroom['unit'],
    limit: Decimal | null,
    nowV: Decimal | null,
    after: Decimal | null,
    applies: boolean,
    note: string | null,
    fmt: (d: Decimal) => string,
  ): LimitHeadroom => ({
    rule,
    label,
    unit,
    limit: limit ? fmt(limit) : null,
    now: nowV ? fmt(nowV) : null,
    after: after ? fmt(after) : null,
    headroom: limit && after ? fmt(limit.minus(after)) : null,
    applies,
    note,
  })
  const count = (d: Decimal): string => d.toString()

  if (limits.allowedSymbols) {
    const listed = limits.allowedSymbols.has(o.symbol)
    out.push({
      rule: 'allowed_symbols',
      label: 'Allowed symbols',
      unit: 'list',
      limit: [...limits.allowedSymbols].join(', '),
      now: null,
      after: null,
      headroom: null,
      applies: !reduces,
      note: listed
        ? `${o.symbol} is on the list`
        : reduces
          ? `${o.symbol} is not on the list; the order only reduces the position`
          : `${o.symbol} is not on the list`,
    })
  }
  // The order rate: orders accepted in the window now, and with this one.
  const whole = (v: number): Decimal => Decimal.parse(String(v))
  const rate = (rule: string, label: string, limit: number | null, windowMs: number): void => {
    if (limit === null) return
    const n = book.acceptedWithin(now, windowMs)
    out.push(row(rule, label, 'count', whole(limit), whole(n), whole(n + 1), true, null, count))
  }
  rate('max_orders_per_second', 'Orders per second', limits.maxOrdersPerSecond, 1_000)
  rate('max_orders_per_minute', 'Orders per minute', limits.maxOrdersPerMinute, 60_000)
  if (limits.maxOpenOrders !== null) {
    const rests = o.type !== 'market'
    const n = book.open.size
    out.push(
      row(
        'max_open_orders',
        'Open orders',
        'count',
        Decimal.parse(String(limits.maxOpenOrders)),
        Decimal.parse(String(n)),
        Decimal.parse(String(rests ? n + 1 : n)),
        rests,
        rests ? null : 'a market order does not rest',
        count,
      ),
    )
  }
  if (limits.maxOrderNotional) {
    out.push(
      row(
        'max_order_notional',
        'Order notional',
        'money',
        limits.maxOrderNotional,
        null,
        o.notional,
        moneyApplies,
        moneyNote,
        m,
      ),
    )
  }
  const signed = o.side === 'buy' ? o.amount : o.amount.neg()
  const held = book.positions.get(o.symbol)
  const heldValue =
    held?.mark && held.quote === limits.currency ? held.amount.abs().times(held.mark) : Decimal.ZERO
  const positionAfter = position.plus(signed).abs().times(o.referencePrice)
  if (limits.maxPositionNotional) {
    out.push(
      row(
        'max_position_notional',
        `Position in ${o.symbol}`,
        'money',
        limits.maxPositionNotional,
        heldValue,
        positionAfter,
        moneyApplies,
        moneyNote,
        m,
      ),
    )
  }
  const exposureAfter = book.exposure.minus(heldValue).plus(positionAfter)
  if (limits.maxExposure) {
    out.push(
      row(
        'max_exposure',
        'Exposure',
        'money',
        limits.maxExposure,
        book.exposure,
        exposureAfter,
        moneyApplies,
        moneyNote,
        m,
      ),
    )
  }
  if (limits.dailyLossLimit) {
    // A loss is positive; a day in profit has no loss.
    const loss = book.dayPnl === null ? null : Decimal.max(Decimal.ZERO, book.dayPnl.neg())
    out.push(
      row(
        'daily_loss',
        "Today's loss",
        'money',
        limits.dailyLossLimit,
        loss,
        loss,
        moneyApplies,
        moneyNote ?? (loss === null ? 'not valued yet' : 'an order does not change it until it trades'),
        m,
      ),
    )
  }
  if (limits.maxDrawdownPercent) {
    const peak = book.peakEquity
    const dd =
      peak?.isPositive() && book.equity !== null
        ? Decimal.max(Decimal.ZERO, peak.minus(book.equity)).times(HUNDRED).div(peak, 2, 'half_even')
        : null
    out.push(
      row(
        'max_drawdown',
        'Drawdown from peak',
        'percent',
        limits.maxDrawdownPercent,
        dd,
        dd,
        moneyApplies,
        moneyNote ?? (dd === null ? 'not valued yet' : null),
        (d) => d.toFixed(2, 'half_even'),
      ),
    )
  }
  if (limits.maxLeverage) {
    const eq = book.equity
    const lev = (x: Decimal): Decimal | null => (eq?.isPositive() ? x.div(eq, 4, 'half_even') : null)
    out.push(
      row(
        'max_leverage',
        'Leverage',
        'ratio',
        limits.maxLeverage,
        lev(book.exposure),
        lev(exposureAfter),
        moneyApplies,
        moneyNote ?? (eq === null ? 'not valued yet' : eq.isPositive() ? null : 'no positive equity'),
        (d) => d.toFixed(4, 'half_even'),
      ),
    )
  }
  return out
}
