import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts'
import { Decimal } from '../../../../shared/decimal/decimal'
import type { Fill } from '../../../../shared/domain/trading'
import { bucketStart, type Timeframe } from '../../../../shared/domain/timeframes'
import { formatQty } from '../desk/format'
import { useTradingStore } from '../desk/store'

const BUY = '#26a69a'
const SELL = '#ef5350'

/** The series the chart shows, as far as order markers care. */
export interface MarkedSeries {
  symbol: string
  timeframe: Timeframe
}

/**
 * The selected account's fills of `series.symbol` as chart markers: one per bar and side, at
 * the amount-weighted fill price (an arrow up under it for buys, down over it for sells),
 * labelled with the amount (worded apart from the signal markers' `B 61`). Sorted by time, ready for `createSeriesMarkers`.
 * Amounts and costs are summed exactly; only the marker's price, a chart coordinate, is a number.
 */
export function orderMarkers(fills: readonly Fill[], series: MarkedSeries): SeriesMarker<Time>[] {
  const buckets = new Map<string, { time: number; side: Fill['side']; amount: Decimal; cost: Decimal }>()
  for (const f of fills) {
    if (f.symbol !== series.symbol) continue
    const time = bucketStart(f.time, series.timeframe)
    const k = `${time}:${f.side}`
    const b = buckets.get(k)
    const amount = Decimal.parse(f.amount)
    const cost = amount.times(Decimal.parse(f.price))
    if (b) {
      b.amount = b.amount.plus(amount)
      b.cost = b.cost.plus(cost)
    } else buckets.set(k, { time, side: f.side, amount, cost })
  }
  return [...buckets.values()]
    .sort((a, b) => a.time - b.time || (a.side === b.side ? 0 : a.side === 'buy' ? -1 : 1))
    .map((b) => {
      const buy = b.side === 'buy'
      return {
        id: `order-${b.side}-${b.time}`,
        time: (b.time / 1000) as UTCTimestamp,
        position: buy ? 'atPriceBottom' : 'atPriceTop',
        price: b.amount.isZero() ? 0 : b.cost.div(b.amount, 12, 'half_even').toNumber(),
        shape: buy ? 'arrowUp' : 'arrowDown',
        color: buy ? BUY : SELL,
        text: `${buy ? 'Bought' : 'Sold'} ${formatQty(b.amount)}`,
        size: 1,
      } satisfies SeriesMarker<Time>
    })
}

/**
 * `markers` (the chart's others, e.g. signal turns) with the order markers of `series` added,
 * sorted by time. What the chart passes to its one markers plugin.
 */
export function withOrderMarkers(
  markers: readonly SeriesMarker<Time>[],
  series: MarkedSeries | null,
): SeriesMarker<Time>[] {
  if (!series) return [...markers]
  const orders = orderMarkers(useTradingStore.getState().fills, series)
  if (orders.length === 0) return [...markers]
  return [...markers, ...orders].sort((a, b) => (a.time as number) - (b.time as number))
}

/** Calls `listener` whenever the fills behind the order markers change; returns the unsubscribe. */
export function onOrderMarkersChange(listener: () => void): () => void {
  return useTradingStore.subscribe((s, prev) => {
    if (s.fills !== prev.fills) listener()
  })
}
