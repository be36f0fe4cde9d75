import './book.css'
import { useEffect, useMemo } from 'react'
import type { BookTrade } from '../../../../shared/contract/book'
import type { AggregatedLevel } from '../../../../shared/domain/book'
import { selectSelectedInfo, symbolKey, useTradeStore } from '../chart/store'
import { followBook, pickLevel, setBookFolded, setBookStep } from './actions'
import { DepthChart } from './DepthChart'
import { useBookStore } from './store'
import { atTickDecimals, bookView, shortSize } from './view'

/** Levels shown a side: enough to read the book, few enough to fit beside the ticket. */
const ROWS = 8

/**
 * Market depth and trades of the charted market, under the order ticket: the order book (grouped
 * by a step of the market's tick, spread in price and basis points, cumulative depth bars, the
 * best bid and ask marked), a depth chart and the recent trades. A click on a level prefills the
 * ticket with a limit order at its price. Foldable; folded, it follows nothing.
 */
export function MarketDepth() {
  const selected = useTradeStore((s) => s.selected)
  const folded = useBookStore((s) => s.folded)
  // A stored history (an imported file) has no book: only markets with a live feed are followed.
  const live = useTradeStore((s) => selectSelectedInfo(s)?.live ?? false)
  const source = selected?.source ?? null
  const symbol = selected?.symbol ?? null
  const follow = !folded && live && source !== null && symbol !== null
  useEffect(
    () => followBook(follow && source !== null && symbol !== null ? { source, symbol } : null),
    [follow, source, symbol],
  )
  return (
    <section className="book" aria-label="Market depth and trades" data-testid="market-depth">
      <div className="panel-title book-title">
        <button
          type="button"
          className="book-fold"
          data-testid="book-fold"
          aria-expanded={!folded}
          onClick={() => setBookFolded(!folded)}
          title={folded ? 'Show the order book and trades' : 'Fold the order book and trades'}
        >
          {folded ? '▸' : '▾'} Order book
        </button>
        {!folded && <StepPicker />}
      </div>
      {!folded &&
        (live ? (
          <BookBody />
        ) : (
          <div className="book-note">
            {symbol ? `${symbol} here is a stored history: it has no order book.` : 'No market charted.'}
          </div>
        ))}
    </section>
  )
}

function StepPicker() {
  const book = useBookStore((s) => s.book)
  const key = useBookStore((s) => s.key)
  const chosen = useBookStore((s) => (s.key ? s.steps[s.key] : undefined))
  const view = useMemo(() => (book ? bookView(book, chosen, 1) : null), [book, chosen])
  if (!view || !key) return null
  return (
    <label className="book-step" title="Group levels by this price step">
      <select
        value={view.step}
        aria-label="Aggregation step"
        data-testid="book-step"
        onChange={(e) => setBookStep(key, e.target.value)}
      >
        {view.steps.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  )
}

function BookBody() {
  const book = useBookStore((s) => s.book)
  const chosen = useBookStore((s) => (s.key ? s.steps[s.key] : undefined))
  const error = useBookStore((s) => s.error)
  const current = useTradeStore((s) => (s.selected ? symbolKey(s.selected.source, s.selected.symbol) : null))
  const view = useMemo(() => (book ? bookView(book, chosen, ROWS) : null), [book, chosen])
  const fresh = book && symbolKey(book.source, book.symbol) === current
  if (error)
    return (
      <div className="book-note" role="status">
        {error}
      </div>
    )
  if (!view || !fresh) return <div className="book-note">Loading the order book…</div>
  const { spread } = view
  return (
    <>
      <div className="book-head" aria-hidden="true">
        <span>Price</span>
        <span>Size</span>
        <span>Total</span>
      </div>
      <div className="book-side book-asks" data-testid="book-asks">
        {[...view.asks].reverse().map((l, i, all) => (
          <Level key={l.price} level={l} side="ask" best={i === all.length - 1} max={view.maxTotal} />
        ))}
      </div>
      <div
        className="book-spread"
        data-testid="book-spread"
        title="Spread between the best ask and the best bid"
      >
        {spread ? (
          <>
            <span className="book-mid">{atTickDecimals(spread.mid, book.tick)}</span>
            <span className="book-spread-size">
              Spread {spread.spread} ({spread.bps.toFixed(2)} bps)
            </span>
          </>
        ) : (
          <span>One side is empty</span>
        )}
      </div>
      <div className="book-side book-bids" data-testid="book-bids">
        {view.bids.map((l, i) => (
          <Level key={l.price} level={l} side="bid" best={i === 0} max={view.maxTotal} />
        ))}
      </div>
      <DepthChart book={book} />
      <Tape />
      {book.transport !== 'simulated' && (
        <div className="book-note book-transport">Live by {book.transport}</div>
      )}
    </>
  )
}

function Level({
  level,
  side,
  best,
  max,
}: {
  level: AggregatedLevel
  side: 'bid' | 'ask'
  best: boolean
  max: number
}) {
  const width = Math.min(100, (Number(level.total) / max) * 100)
  const action = side === 'bid' ? 'Buy' : 'Sell'
  return (
    <button
      type="button"
      className={`book-level book-${side}${best ? ' book-best' : ''}`}
      data-testid="book-level"
      data-side={side}
      data-price={level.price}
      title={`${action} limit at ${level.price} (size ${level.size}, total ${level.total})`}
      onClick={() => pickLevel(level.price, side === 'bid' ? 'buy' : 'sell')}
    >
      <span className="book-bar" style={{ width: `${width}%` }} />
      <span className="book-price">{level.price}</span>
      <span>{shortSize(level.size)}</span>
      <span>{shortSize(level.total)}</span>
    </button>
  )
}

const time = (t: number): string => {
  const d = new Date(t)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
}

function Tape() {
  const trades = useBookStore((s) => s.trades)
  const newest: BookTrade[] = useMemo(() => [...trades].reverse().slice(0, 14), [trades])
  return (
    <div className="book-tape" data-testid="trades-tape" aria-label="Recent trades">
      <div className="book-head book-tape-head" aria-hidden="true">
        <span>Time</span>
        <span>Price</span>
        <span>Size</span>
      </div>
      {newest.map((t) => (
        <div
          key={t.id}
          className={`book-trade book-trade-${t.side}`}
          data-testid="tape-trade"
          title={`${t.side} ${t.size} at ${t.price}`}
        >
          <span>{time(t.time)}</span>
          <span className="book-price">{t.price}</span>
          <span>{shortSize(t.size)}</span>
        </div>
      ))}
    </div>
  )
}
