import type { WatchlistItem } from '../../../../shared/contract/watchlists'
import { localizeNumber } from '../../lib/format'
import type { WatchSort } from './store'

/** One watchlist row as shown: the symbol with its ticker's figures. */
export interface Row {
  item: WatchlistItem
  last: number | null
  change: number | null
  /** 24 h volume in base units (null: the source has no live volume). */
  volume: number | null
  precision: number
  /** Listed by the chart now (else it cannot be charted from here: another account's market). */
  chartable: boolean
}

/**
 * The rows in the trader's own order (`manual`), or by a column: ascending, or descending when
 * asked; rows without a value go last whichever the direction.
 */
export function sortRows(rows: readonly Row[], sort: WatchSort, descending: boolean): Row[] {
  if (sort === 'manual') return [...rows]
  const value = (r: Row): string | number | null =>
    sort === 'symbol' ? r.item.symbol : sort === 'last' ? r.last : sort === 'change' ? r.change : r.volume
  const sign = descending ? -1 : 1
  return [...rows].sort((a, b) => {
    const x = value(a)
    const y = value(b)
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1
    return sign * (typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y))
  })
}

const short = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 })

/** A volume in at most four characters and a suffix (7.25K, 392K, 2.44M): the column is narrow. */
export function formatShortVolume(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—'
  return localizeNumber(short.format(value))
}
