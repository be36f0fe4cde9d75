import type { OrderSide } from '../../../../shared/domain/trading'
import { keepLast, slot } from '../../sync'
import { prefillOrder } from '../chart/chart-trading-actions'
import { symbolKey } from '../chart/store'
import { saveFolded, TAPE_LENGTH, useBookStore } from './store'

/** The market whose book and tape are followed: one at a time, closed when the panel folds. */
const following = slot()

/**
 * Follows the book and the tape of one market (null: none) into the store. The engine throttles
 * both to 10 events a second; the store keeps the latest book and the newest trades.
 */
export function followBook(market: { source: string; symbol: string } | null): () => void {
  if (!market) {
    following.close()
    useBookStore.setState({ key: null, book: null, trades: [], error: null })
    return () => {}
  }
  const key = symbolKey(market.source, market.symbol)
  const mine = following.open(key)
  useBookStore.setState({ key, book: null, trades: [], error: null })
  const ended = (what: string) => (error?: { message: string }) => {
    if (error) useBookStore.setState({ error: `The ${what} stopped: ${error.message}` })
  }
  mine.follow('book.depth', { ...market, depth: 100 }, (book) => useBookStore.setState({ book }), {
    onEnd: ended('order book'),
    join: keepLast,
  })
  mine.follow(
    'book.trades',
    { ...market, recent: TAPE_LENGTH },
    (e) => useBookStore.setState((s) => ({ trades: [...s.trades, ...e.trades].slice(-TAPE_LENGTH) })),
    { onEnd: ended('trades tape') },
  )
  return () => following.close(mine)
}

export function setBookStep(key: string, step: string): void {
  useBookStore.setState((s) => ({ steps: { ...s.steps, [key]: step } }))
}

export function setBookFolded(folded: boolean): void {
  useBookStore.setState({ folded })
  saveFolded(folded)
}

/**
 * A click on a book level: a limit order at its price, on the side that rests there (a bid is a
 * buy, an ask a sell), as the chart's Shift-click prefills it; a market ticket becomes a limit one.
 */
export function pickLevel(price: string, side: OrderSide): void {
  prefillOrder('limit', side, price)
}
