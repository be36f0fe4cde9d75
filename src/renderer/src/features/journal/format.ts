import type { JournalTrade } from '../../../../shared/contract/journal'
import { formatDuration, formatPrice } from '../../lib/format'
import { formatDateTime, timeZone as chosenZone } from '../../lib/time'
import { pricePrecision } from '../ticket/actions'
import { formatDecimal, formatQty, formatSigned, signOf } from '../desk/format'

/**
 * How the journal writes its figures, the blotter's way: prices at the market's precision,
 * sizes exactly, money of the quote currency at its places (2 for dollars and stablecoins,
 * 8 for a coin), rounded for display only (the exact value is the cell's hover text).
 */

const CASH_LIKE = new Set([
  'USD',
  'USDT',
  'USDC',
  'BUSD',
  'FDUSD',
  'TUSD',
  'DAI',
  'EUR',
  'GBP',
  'JPY',
  'TRY',
  'BRL',
])

/** Places money of `quote` is shown at. */
export function moneyPlaces(quote: string): number {
  return CASH_LIKE.has(quote.toUpperCase()) ? 2 : 8
}

export const price = (t: Pick<JournalTrade, 'symbol'>, value: string | null): string =>
  value === null ? '—' : formatPrice(value, pricePrecision(t.symbol))

export const size = (value: string): string => formatQty(value)

export const money = (quote: string, value: string | null): string =>
  value === null ? '—' : formatDecimal(value, moneyPlaces(quote))

export const pnl = (quote: string, value: string | null): string =>
  value === null ? '—' : formatSigned(value, moneyPlaces(quote))

export const pnlClass = (quote: string, value: string | null): 'up' | 'down' | 'flat' =>
  value === null ? 'flat' : signOf(value, moneyPlaces(quote))

export const numClass = (value: number | null): 'up' | 'down' | 'flat' =>
  value === null || value === 0 ? 'flat' : value > 0 ? 'up' : 'down'

export const holding = (ms: number | null): string => formatDuration(ms)

/** An R multiple: `+1.52R`. */
export function rText(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—'
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r).toFixed(2)}R`
}

/** A date and time to the minute in the trader's time zone (the status bar names it): `2025-03-04 14:05`. */
export function timeText(ms: number | null): string {
  if (ms === null) return '—'
  return formatDateTime(ms)
}

/** A ratio as a percentage: 0.625 -> `62.5%`. */
export function ratioPct(v: number | null): string {
  return v === null ? '—' : `${(v * 100).toFixed(1)}%`
}

export function plain(v: number | null, digits = 2): string {
  return v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits)
}

export const EXIT_LABELS: Record<NonNullable<JournalTrade['exitReason']>, string> = {
  manual: 'Manual',
  'stop-loss': 'Stop-loss',
  'take-profit': 'Take-profit',
  trailing: 'Trailing',
  strategy: 'Strategy',
  liquidation: 'Liquidation',
}

/** The trader's chosen time zone (Settings), for the analytics' hours, weekdays and days. */
export function timeZone(): string {
  return chosenZone()
}
