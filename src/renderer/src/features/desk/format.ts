import { Decimal, type Rounding } from '../../../../shared/decimal/decimal'
import type { Order, OrderStatus, OrderType } from '../../../../shared/domain/trading'
import { localizeNumber } from '../../lib/format'
import { formatClockTime, formatDateTime } from '../../lib/time'

/**
 * Money as the engine sends it, exact decimal text, formatted for the blotter, the ticket and
 * the dialogs without ever going through a double: thousands grouped with commas (as every
 * number in the app), at the places asked, rounded for display only (half-up; amounts held are
 * cut, see `formatQty`), while the value itself stays exact and cells show it in full on hover.
 * `null` places: the exact value, every digit.
 */

export type DecimalLike = string | Decimal | null | undefined

/** Decimal text (or a Decimal) as a Decimal; undefined for nothing or text that is no decimal. */
export function decimalOf(value: DecimalLike): Decimal | undefined {
  if (value === null || value === undefined) return undefined
  return value instanceof Decimal ? value : Decimal.tryParse(value)
}

/** `-1234567.5` -> `-1,234,567.5`. */
function group(text: string): string {
  const negative = text.startsWith('-')
  const body = negative ? text.slice(1) : text
  const point = body.indexOf('.')
  const whole = point < 0 ? body : body.slice(0, point)
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return localizeNumber(`${negative ? '-' : ''}${grouped}${point < 0 ? '' : body.slice(point)}`)
}

/** A decimal at `places` places (null: exactly as it is), grouped; an em dash when unknown. */
export function formatDecimal(
  value: DecimalLike,
  places: number | null,
  rounding: Rounding = 'half_up',
): string {
  const d = decimalOf(value)
  if (d === undefined) return '—'
  return group(places === null ? d.toString() : d.toFixed(Math.max(0, places), rounding))
}

/**
 * An amount of an asset at the asset's own places (its lot step's, or what the engine says for
 * a balance: BTC 5, USDT 2); without them, exactly as it is (`0.00099`). Cut toward zero, never
 * rounded up: a balance or a position never shows more than is held (0.01232766 BTC shows as
 * 0.01232, what an order can trade at a 0.00001 step), and never as 0 while something is held
 * (dust of 0.00000766 BTC is shown as it is).
 */
export function formatQty(value: DecimalLike, places: number | null = null): string {
  const d = decimalOf(value)
  if (d !== undefined && places !== null && !d.isZero() && d.round(places, 'down').isZero())
    return formatDecimal(d, null)
  return formatDecimal(value, places, 'down')
}

/** Quote amounts (notional, cost, P&L, fees of the quote currency): two places unless told. */
export function formatMoney(value: DecimalLike, places = 2): string {
  return formatDecimal(value, places)
}

/** Signed money: `+12.34` / `−5.60`, for P&L; no sign when it shows as zero. */
export function formatSigned(value: DecimalLike, places = 2): string {
  const d = decimalOf(value)
  if (d === undefined) return '—'
  const shown = d.abs().toFixed(places)
  if (Decimal.parse(shown).isZero()) return group(shown)
  return `${d.isPositive() ? '+' : '−'}${group(shown)}`
}

/** `up`, `down` or `flat` for a signed amount as shown at `places` (0.00 is flat, not coloured). */
export function signOf(value: DecimalLike, places = 2): 'up' | 'down' | 'flat' {
  const d = decimalOf(value)
  if (d === undefined || d.round(places, 'half_up').isZero()) return 'flat'
  return d.isPositive() ? 'up' : 'down'
}

/** A fee rate as a percentage (0.001 -> 0.10%, 0.00075 -> 0.075%). */
export function formatRate(rate: DecimalLike): string {
  const d = decimalOf(rate)
  if (d === undefined) return '—'
  const pct = d.shift(2)
  return `${pct.toFixed(pct.lt(TENTH) ? 3 : 2)}%`
}

const TENTH = Decimal.parse('0.1')

/** Places of an increment (a lot step `0.00001` -> 5), or null when it is not known. */
export function placesOf(increment: DecimalLike): number | null {
  const d = decimalOf(increment)
  return d === undefined || !d.isPositive() ? null : d.decimals
}

/** Wall-clock time to the second in the trader's time zone (the blotter's time column). */
export function formatClock(ms: number): string {
  return formatClockTime(ms)
}

/** Date and time to the second in the trader's time zone, for tooltips. */
export function formatStamp(ms: number): string {
  return formatDateTime(ms, true)
}

export const STATUS_LABELS: Record<OrderStatus, string> = {
  waiting: 'Waiting',
  pending: 'Pending',
  sent: 'Sent',
  open: 'Open',
  partially_filled: 'Partial',
  filled: 'Filled',
  canceled: 'Canceled',
  rejected: 'Rejected',
  unknown: 'Unknown — checking',
  not_placed: 'Not placed',
}

export const STATUS_HELP: Partial<Record<OrderStatus, string>> = {
  waiting: 'A take-profit or stop-loss waiting for its entry to fill; then placed for the amount it filled',
  pending: 'Written down, not yet sent',
  sent: 'On its way to the exchange',
  unknown:
    'The exchange did not answer in time: the order may or may not be on the book. It is never sent twice; Candlework looks it up by its client order id.',
  not_placed: 'Provably never reached the order book',
}

/** `Buy 0.01234 BTC @ 75,539.92` — a one-line summary for notices (the amount exactly). */
export function describeOrder(o: Order, precision: number): string {
  const base = o.symbol.split('/')[0] ?? o.symbol
  const side = o.side === 'buy' ? 'Buy' : 'Sell'
  const filled = decimalOf(o.filled)?.isPositive() === true
  const qty = filled && o.status === 'filled' ? o.filled : o.amount
  const at =
    o.average !== null && filled
      ? `@ ${formatDecimal(o.average, precision)}`
      : o.type === 'limit' && o.price !== null
        ? `limit ${formatDecimal(o.price, precision)}`
        : o.stopPrice !== null
          ? `${TYPE_NAMES[o.type].toLowerCase()} ${formatDecimal(o.stopPrice, precision)}`
          : o.type === 'trailing_stop'
            ? `trailing ${trailingDistance(o, precision)}`
            : 'at market'
  return `${side} ${formatQty(qty)} ${base} ${at}`
}

/** Order types as a Binance user reads them. */
export const TYPE_NAMES: Record<OrderType, string> = {
  market: 'Market',
  limit: 'Limit',
  stop: 'Stop market',
  stop_limit: 'Stop limit',
  take_profit: 'Take profit',
  take_profit_limit: 'Take profit limit',
  trailing_stop: 'Trailing stop',
}

/** A trailing stop's distance: `1.5%` or `50.00`. */
export function trailingDistance(
  o: Pick<Order, 'trailingPercent' | 'trailingAmount'>,
  precision: number,
): string {
  if (o.trailingPercent !== null) return `${o.trailingPercent}%`
  return formatDecimal(o.trailingAmount, precision)
}
