import { Decimal } from '../../../shared/decimal/decimal'
import type { Timeframe } from '../../../shared/domain/timeframes'
import { formatDate, formatDateTime } from './time'

const priceFormats = new Map<number, Intl.NumberFormat>()

/** The trader's decimal separator (Settings): `point` 1,234.56 or `comma` 1.234,56. */
let decimalComma = false

export function setDecimalSeparator(format: 'point' | 'comma'): void {
  decimalComma = format === 'comma'
}

export function decimalSeparator(): 'point' | 'comma' {
  return decimalComma ? 'comma' : 'point'
}

/**
 * Number text made in the app's one convention (1,234.56) as the trader reads numbers: with a
 * decimal comma the two separators swap (1.234,56). Display only: inputs accept both.
 */
export function localizeNumber(text: string): string {
  return decimalComma ? text.replace(/[.,]/g, (c) => (c === '.' ? ',' : '.')) : text
}

function priceFormat(precision: number): Intl.NumberFormat {
  let f = priceFormats.get(precision)
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: precision, maximumFractionDigits: precision })
    priceFormats.set(precision, f)
  }
  return f
}

/**
 * A price with exactly `precision` decimals and thousands separators; an em dash when unknown.
 * Decimal text (what the trading engine sends) is formatted exactly, half-up at `precision`,
 * never through a double; a number (a chart's coordinate, a candle) as the number it is.
 */
export function formatPrice(value: number | string | null | undefined, precision: number): string {
  if (typeof value === 'string') {
    const d = Decimal.tryParse(value)
    if (d === undefined) return '—'
    const text = d.toFixed(Math.max(0, Math.min(18, precision)))
    return localizeNumber(text.replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')))
  }
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return localizeNumber(priceFormat(Math.max(0, Math.min(12, precision))).format(value))
}

/** A percentage with sign, from a percentage value (1.5 means +1.50%). */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  const sign = value > 0 ? '+' : value < 0 ? '−' : ''
  return `${sign}${localizeNumber(Math.abs(value).toFixed(digits))}%`
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 })
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })

/** Volumes: exact below ten thousand, compact (12.3K, 4.56M) above. */
export function formatVolume(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return localizeNumber(Math.abs(value) < 10_000 ? whole.format(value) : compact.format(value))
}

const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * A bar's open time: the date alone for daily and longer bars (a calendar day of the exchange,
 * UTC, whatever the zone), date and minutes in the trader's time zone otherwise (lib/time.ts).
 */
export function formatBarTime(ms: number, tf: Timeframe): string {
  if (tf === '1d' || tf === '1w' || tf === '1M') return formatDate(ms, 'UTC')
  return formatDateTime(ms)
}

/** A wall-clock date and time in UTC, to the second. */
export function formatUtc(ms: number): string {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
}

/** Direction class for a signed number (or decimal text): `up`, `down` or `flat`. */
export function direction(value: number | string | null | undefined): 'up' | 'down' | 'flat' {
  if (typeof value === 'string') {
    const sign = Decimal.tryParse(value)?.sign ?? 0
    return sign > 0 ? 'up' : sign < 0 ? 'down' : 'flat'
  }
  if (value === null || value === undefined || !Number.isFinite(value) || value === 0) return 'flat'
  return value > 0 ? 'up' : 'down'
}

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/** A size in bytes, decimal units as file managers show them: `512 B`, `4.1 KB`, `12.4 MB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—'
  if (bytes < 1000) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1000
  let unit = 0
  // Rounding may carry into the next unit (999,960 bytes is 1.0 MB, not 1,000.0 KB).
  while (Math.round(value * 10) / 10 >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${oneDecimal.format(value)} ${units[unit]}`
}

/** How long something has run, to the two largest units: `42 s`, `5 min`, `2 h 13 min`, `3 d 4 h`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—'
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s} s`
  const min = Math.floor(s / 60)
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`
  const d = Math.floor(h / 24)
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`
}
