import type { BookEvent } from '../contract/book'
import { aggregateSide, bookSteps, spreadOf, type AggregatedLevel, type Spread } from './book'

/*
 * The order book panel's model, computed per book event: shared (pure) so the engine's bench can
 * time what the renderer does per update (bench/book.bench.ts).
 */

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
