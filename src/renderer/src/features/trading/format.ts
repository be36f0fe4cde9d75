import type { Order, OrderStatus, OrderType } from '../../../../shared/domain/trading'
import { formatPrice } from '../../lib/format'

const qtyFormats = new Map<number, Intl.NumberFormat>()

function qtyFormat(max: number, min: number): Intl.NumberFormat {
  const k = max * 100 + min
  let f = qtyFormats.get(k)
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max })
    qtyFormats.set(k, f)
  }
  return f
}

/**
 * A base amount as the engine holds it: up to 8 decimals (satoshis), trailing zeros dropped
 * but at least `min` kept so a column of amounts still lines up on the decimal point.
 */
export function formatQty(value: number | null | undefined, min = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return qtyFormat(8, Math.min(8, min)).format(value)
}

/** Quote amounts (notional, cost, P&L, balances of the quote currency): two decimals. */
export function formatMoney(value: number | null | undefined, digits = 2): string {
  return formatPrice(value, digits)
}

/** Signed money: `+12.34` / `−5.60`, for P&L. */
export function formatSigned(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  const abs = formatPrice(Math.abs(value), digits)
  if (Math.abs(value) < 0.5 * 10 ** -digits) return abs
  return `${value > 0 ? '+' : '−'}${abs}`
}

/** A fee rate as a percentage (0.001 -> 0.10%). */
export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(rate * 100 < 0.1 ? 3 : 2)}%`
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** Local wall-clock time to the second (the blotter's time column). */
export function formatClock(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** Local date and time, for tooltips. */
export function formatStamp(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(ms)}`
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

/** `Buy 0.01234 BTC @ 75,539.92` — a one-line summary for notices. */
export function describeOrder(o: Order, precision: number): string {
  const base = o.symbol.split('/')[0] ?? o.symbol
  const side = o.side === 'buy' ? 'Buy' : 'Sell'
  const qty = o.filled > 0 && o.status === 'filled' ? o.filled : o.amount
  const at =
    o.average !== null && o.filled > 0
      ? `@ ${formatPrice(o.average, precision)}`
      : o.type === 'limit' && o.price !== null
        ? `limit ${formatPrice(o.price, precision)}`
        : o.stopPrice !== null
          ? `${TYPE_NAMES[o.type].toLowerCase()} ${formatPrice(o.stopPrice, precision)}`
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
  return formatPrice(o.trailingAmount, precision)
}
