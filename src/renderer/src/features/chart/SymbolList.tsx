import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { SourceBadge } from '../../components/SourceBadge'
import { direction, formatPercent, formatPrice } from '../../lib/format'
import { loadSymbols, selectSymbol } from './actions'
import { RetryReason } from './market-scope'
import { symbolKey, useTradeStore } from './store'
import { WatchlistPanel } from '../watchlists/WatchlistPanel'
import type { SymbolInfo } from '../../../../shared/contract/market'

interface Group {
  source: string
  label: string
  simulated: boolean
  symbols: SymbolInfo[]
}

/** Symbols grouped by where their bars come from, in the order the engine lists them. */
function groupBySource(symbols: readonly SymbolInfo[]): Group[] {
  const groups = new Map<string, Group>()
  for (const s of symbols) {
    let g = groups.get(s.source)
    if (!g) {
      g = { source: s.source, label: s.sourceLabel, simulated: s.simulated, symbols: [] }
      groups.set(s.source, g)
    }
    g.symbols.push(s)
  }
  return [...groups.values()]
}

/** A list longer than this gets a filter field (an exchange lists hundreds of pairs). */
const FILTER_FROM = 20
/** Rows drawn at most; the filter narrows the rest down. */
const MAX_ROWS = 300

/**
 * ↑ and ↓ move the focus through the rows (from the charted symbol at first); Enter on a
 * focused row charts it, as a click does (rows are buttons).
 */
export function onSymbolKey(e: { key: string }): void {
  moveSymbolFocus(e.key === 'ArrowUp' ? -1 : 1)
}

function moveSymbolFocus(step: number): void {
  // The watchlist's rows first, then the symbol list's, in the order they are shown.
  const rows = Array.from(
    document.querySelectorAll<HTMLButtonElement>(
      '[data-testid="watch-row"]:enabled, [data-testid="symbol-row"]',
    ),
  )
  if (rows.length === 0) return
  const at = rows.indexOf(document.activeElement as HTMLButtonElement)
  // The first press (the focus elsewhere) lands on the charted symbol; later ones move.
  const charted = rows.findIndex((r) => r.getAttribute('aria-pressed') === 'true')
  const next = at >= 0 ? Math.max(0, Math.min(rows.length - 1, at + step)) : Math.max(0, charted)
  rows[next]!.focus()
  rows[next]!.scrollIntoView({ block: 'nearest' })
}

export function SymbolList() {
  const symbols = useTradeStore((s) => s.symbols)
  const state = useTradeStore((s) => s.symbolsState)
  const scope = useTradeStore((s) => s.scope)
  const [filter, setFilter] = useState('')
  const wanted = filter
    .trim()
    .toUpperCase()
    .replace(/[\s/-]+/g, '')
  const matching =
    wanted === '' ? symbols : symbols.filter((s) => s.symbol.replace('/', '').toUpperCase().includes(wanted))
  const shown = matching.slice(0, MAX_ROWS)
  const groups = groupBySource(shown)
  // An account's exchange market that is not loaded lists nothing, and says why (never the demo market instead).
  const waiting = scope !== null && scope.state !== 'ready'
  return (
    <aside className="watchlist" aria-label="Symbols" data-testid="symbol-list" data-state={state}>
      <WatchlistPanel />
      <div className="panel-title">
        <span>Symbols</span>
        <span className="panel-title-note">Last · 24h</span>
      </div>
      {state === 'error' && (
        <div className="panel-empty">
          The symbol list could not be loaded.
          <button type="button" className="btn btn-small" onClick={() => void loadSymbols()}>
            Retry
          </button>
        </div>
      )}
      {waiting && (
        <RetryReason
          className="panel-empty panel-warn"
          testId="symbol-list-reason"
          reason={scope.reason ?? `${scope.label} markets not loaded`}
          retryAt={scope.retryAt}
          detail={scope.detail}
        />
      )}
      {!waiting && state === 'loading' && symbols.length === 0 && (
        <div className="panel-empty">Loading symbols…</div>
      )}
      {!waiting && state === 'ready' && symbols.length === 0 && (
        <div className="panel-empty">No symbols available.</div>
      )}
      {symbols.length > FILTER_FROM && (
        <input
          className="wl-filter"
          type="search"
          data-testid="symbol-filter"
          placeholder={`Filter ${symbols.length.toLocaleString('en-US')} symbols`}
          aria-label="Filter symbols"
          spellCheck={false}
          autoComplete="off"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            // From the filter into the rows it left (and Enter charts the first match).
            if (e.key === 'ArrowDown') {
              e.preventDefault()
              moveSymbolFocus(0)
            }
            if (e.key === 'Enter' && shown[0]) selectSymbol(shown[0].source, shown[0].symbol)
          }}
        />
      )}
      <div className="watchlist-scroll">
        {groups.map((g) => (
          <div key={g.source} className="wl-group" data-testid="symbol-group" data-source={g.source}>
            <div className="wl-group-head">
              <SourceBadge label={g.label} simulated={g.simulated} />
              <span className="wl-group-count">{g.symbols.length}</span>
            </div>
            <ul className="wl-rows">
              {g.symbols.map((s) => (
                <SymbolRow key={s.symbol} info={s} />
              ))}
            </ul>
          </div>
        ))}
        {matching.length > shown.length && (
          <div className="panel-empty">
            {(matching.length - shown.length).toLocaleString('en-US')} more: type to narrow the list
          </div>
        )}
        {wanted !== '' && matching.length === 0 && <div className="panel-empty">No symbol matches.</div>}
      </div>
    </aside>
  )
}

function SymbolRow({ info }: { info: SymbolInfo }) {
  const k = symbolKey(info.source, info.symbol)
  const { selected, last, change, tick } = useTradeStore(
    useShallow((s) => {
      const t = s.tickers[k]
      return {
        selected: s.selected?.source === info.source && s.selected.symbol === info.symbol,
        last: t?.last ?? info.last,
        change: t ? t.change24h : info.change24h,
        tick: t?.tick ?? 'flat',
      }
    }),
  )
  return (
    <li>
      <button
        type="button"
        className="wl-row"
        aria-pressed={selected}
        data-testid="symbol-row"
        data-source={info.source}
        data-symbol={info.symbol}
        onClick={() => selectSymbol(info.source, info.symbol)}
      >
        <span className="wl-symbol">
          {info.symbol}
          {!info.live && (
            <span className="wl-tag" title="Stored history, no live feed">
              HIST
            </span>
          )}
        </span>
        <span className={`wl-last num tick-${tick}`} data-testid="symbol-last">
          {formatPrice(last, info.pricePrecision)}
        </span>
        <span className={`wl-change num ${direction(change)}`} data-testid="symbol-change">
          {formatPercent(change)}
        </span>
      </button>
    </li>
  )
}
