import type { BookEvent } from '../../../../shared/contract/book'
import {
  aggregateSide,
  bookSteps,
  decimalsOf,
  spreadOf,
  type AggregatedLevel,
  type Spread,
} from '../../../../shared/domain/book'

/** What the order book panel shows for one book at one step: pure, so it is tested and benched alone. */
export interface BookView {
  steps: string[]
  step: string
  /** Best first, at most `rows` a side. */
  bids: AggregatedLevel[]
  asks: AggregatedLevel[]
  spread: Spread | null
  /** The largest running total shown (the depth bars' full width). */
  maxTotal: number
}

export function bookView(book: BookEvent, chosen: string | undefined, rows: number): BookView {
  const spread = spreadOf(book.bids, book.asks)
  const steps = bookSteps(book.tick, Number(spread?.mid ?? book.bids[0]?.[0] ?? book.asks[0]?.[0] ?? 0))
  const step = chosen !== undefined && steps.includes(chosen) ? chosen : steps[0]!
  const bids = aggregateSide(book.bids, step, 'bid', rows)
  const asks = aggregateSide(book.asks, step, 'ask', rows)
  const maxTotal = Math.max(
    Number(bids.at(-1)?.total ?? 0),
    Number(asks.at(-1)?.total ?? 0),
    Number.MIN_VALUE,
  )
  return { steps, step, bids, asks, spread, maxTotal }
}

/** Cumulative depth curves for the depth chart: [price, total] from the touch outwards. */
export function depthCurves(book: BookEvent): { bids: [number, number][]; asks: [number, number][] } {
  const curve = (levels: BookEvent['bids']): [number, number][] => {
    let total = 0
    return levels.map(([p, s]) => {
      total += Number(s)
      return [Number(p), total]
    })
  }
  return { bids: curve(book.bids), asks: curve(book.asks) }
}

/** A price with at least the tick's decimals ("76621.9" -> "76621.90" at a 0.01 tick). */
export function atTickDecimals(price: string, tick: string): string {
  const want = decimalsOf(tick)
  const have = decimalsOf(price)
  if (have >= want) return price
  return (have === 0 ? `${price}.` : price) + '0'.repeat(want - have)
}

/** A size for the eye: fewer decimals the larger it is (the exact value is in the row's title). */
export function shortSize(size: string): string {
  const n = Number(size)
  const digits = n >= 1000 ? 0 : n >= 10 ? 2 : n >= 1 ? 3 : 5
  return n.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}
