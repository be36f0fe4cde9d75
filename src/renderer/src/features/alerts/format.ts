import type { Alert } from '../../../../shared/contract/alerts'
import { formatShortStamp } from '../../lib/time'

/** How often an alert fires, in TradingView's words. */
export function frequencyText(a: Pick<Alert, 'frequency' | 'minIntervalMs'>): string {
  switch (a.frequency) {
    case 'once':
      return 'Only once'
    case 'once_per_bar':
      return 'Once per bar'
    case 'once_per_bar_close':
      return 'Once per bar close'
    case 'every_time':
      return `Every time (≥ ${intervalText(a.minIntervalMs)} apart)`
  }
}

export function intervalText(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`
  return `${Math.round(ms / 3_600_000)} h`
}

/** A time in the trader's chosen time zone: `Jun 3, 14:05:09`. */
export function localTime(ms: number): string {
  return formatShortStamp(ms)
}

/** A firing's values by name, the way the history shows them (`close 43,251.5 · right 43,250`). */
export function valuesText(values: Record<string, number | null>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 8 })}`)
    .join(' · ')
}
