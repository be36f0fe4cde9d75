import { useEffect, useMemo, useRef, useState } from 'react'
import { SourceBadge } from '../../components/SourceBadge'
import { direction, formatPercent, formatPrice } from '../../lib/format'
import { selectSymbol } from '../chart/actions'
import { addCompare } from '../chart/compare-store'
import { symbolKey, useTradeStore } from '../chart/store'
import { activeWatchlist, addToWatchlist, useWatchlists } from '../watchlists/store'
import { rankMatches } from './fuzzy'
import { closeSymbolSearch, useSymbolSearch } from './store'
import './search.css'

/** Results drawn at most: the best ones; typing narrows the rest. */
const MAX_RESULTS = 50

/**
 * Symbol search (Ctrl+K, /, or a letter typed on the Trade view): every symbol the chart can
 * show now (the demo market, imported and stored series; an exchange account's markets while
 * that account is selected), ranked by `fuzzy.ts`. ↑ / ↓ choose, Enter or a click charts,
 * Escape closes.
 */
export function SymbolSearch() {
  const open = useSymbolSearch((s) => s.open)
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className="symbol-search"
      aria-label="Search symbols"
      data-testid="symbol-search"
      onCancel={(e) => {
        e.preventDefault()
        closeSymbolSearch()
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) closeSymbolSearch()
      }}
    >
      {open && <SearchBody />}
    </dialog>
  )
}

function SearchBody() {
  const [text, setText] = useState(() => useSymbolSearch.getState().text)
  const [active, setActive] = useState(0)
  const symbols = useTradeStore((s) => s.symbols)
  const tickers = useTradeStore((s) => s.tickers)
  const watchlist = useWatchlists(activeWatchlist)
  const results = useMemo(
    () => rankMatches(text.trim(), symbols, (s) => s.symbol).slice(0, MAX_RESULTS),
    [text, symbols],
  )
  const listRef = useRef<HTMLUListElement>(null)
  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [active])

  const purpose = useSymbolSearch((s) => s.purpose)
  const chart = (i: number): void => {
    const r = results[i]
    if (!r) return
    closeSymbolSearch()
    if (purpose === 'compare') addCompare(r.source, r.symbol)
    else selectSymbol(r.source, r.symbol)
  }

  const add = (i: number): void => {
    const r = results[i]
    if (r) void addToWatchlist({ source: r.source, symbol: r.symbol })
  }
  const listed = (source: string, symbol: string): boolean =>
    watchlist?.items.some((i) => i.source === source && i.symbol === symbol) ?? false

  return (
    <div className="symbol-search-body">
      <input
        className="symbol-search-input"
        type="search"
        data-testid="symbol-search-input"
        aria-label="Symbol"
        placeholder={purpose === 'compare' ? 'Compare with… e.g. ETH/USDT' : 'Symbol, e.g. BTC/USDT or GOOG'}
        spellCheck={false}
        autoComplete="off"
        autoFocus
        value={text}
        role="combobox"
        aria-expanded="true"
        aria-controls="symbol-search-results"
        aria-activedescendant={results[active] ? `symbol-search-${active}` : undefined}
        onChange={(e) => {
          setText(e.target.value)
          setActive(0)
        }}
        onKeyDown={(e) => {
          // A search field's first Escape would only clear it: here it closes, as the trader means.
          if (e.key === 'Escape') {
            e.preventDefault()
            closeSymbolSearch()
          } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault()
            const step = e.key === 'ArrowDown' ? 1 : -1
            setActive((a) => Math.max(0, Math.min(results.length - 1, a + step)))
          } else if (e.key === 'Enter' && (e.altKey || e.shiftKey)) {
            e.preventDefault()
            add(active)
          } else if (e.key === 'Enter') {
            e.preventDefault()
            chart(active)
          }
        }}
      />
      <ul className="symbol-search-results" id="symbol-search-results" role="listbox" ref={listRef}>
        {results.map((s, i) => {
          const t = tickers[symbolKey(s.source, s.symbol)]
          const last = t?.last ?? s.last
          const change = t ? t.change24h : s.change24h
          return (
            <li
              key={symbolKey(s.source, s.symbol)}
              id={`symbol-search-${i}`}
              role="option"
              aria-selected={i === active}
              className="symbol-search-row"
              data-testid="symbol-search-result"
              data-source={s.source}
              data-symbol={s.symbol}
              onMouseMove={() => setActive(i)}
              onClick={() => chart(i)}
            >
              <span className="symbol-search-symbol">{s.symbol}</span>
              <SourceBadge label={s.sourceLabel} simulated={s.simulated} />
              <span className="num">{formatPrice(last, s.pricePrecision)}</span>
              <span className={`num ${direction(change)}`}>{formatPercent(change)}</span>
              <button
                type="button"
                className="btn btn-small symbol-search-add"
                data-testid="symbol-search-add"
                disabled={listed(s.source, s.symbol)}
                title={`Add to ${watchlist?.name ?? 'a new watchlist'} (Shift+Enter)`}
                onClick={(e) => {
                  e.stopPropagation()
                  add(i)
                }}
              >
                {listed(s.source, s.symbol) ? 'Listed' : '+ List'}
              </button>
            </li>
          )
        })}
      </ul>
      {results.length === 0 && <div className="panel-empty">No symbol matches “{text.trim()}”.</div>}
      <div className="symbol-search-hint">
        ↑ ↓ choose · Enter {purpose === 'compare' ? 'compares' : 'charts'} · Shift+Enter adds to{' '}
        {watchlist?.name ?? 'a new watchlist'} · Esc closes
      </div>
    </div>
  )
}
