import type { CandleColumns } from './candles'

/** The `to` of the page before the bars starting at `firstTime`: strictly older bars only. */
export function olderPageTo(firstTime: number): number {
  return firstTime - 1
}

/**
 * An older page joined in front of the bars shown: bars of `older` at or after the first shown
 * bar are dropped (a page never doubles a bar at the join), the rest keep their order. Returns
 * the joined columns and how many bars were added in front.
 */
export function prependColumns(
  older: CandleColumns,
  shown: CandleColumns,
): { columns: CandleColumns; added: number } {
  const first = shown.time[0]
  let n = older.time.length
  if (first !== undefined) while (n > 0 && older.time[n - 1]! >= first) n--
  if (n === 0) return { columns: shown, added: 0 }
  const join = (a: number[], b: number[]): number[] => a.slice(0, n).concat(b)
  return {
    columns: {
      time: join(older.time, shown.time),
      open: join(older.open, shown.open),
      high: join(older.high, shown.high),
      low: join(older.low, shown.low),
      close: join(older.close, shown.close),
      volume: join(older.volume, shown.volume),
    },
    added: n,
  }
}
