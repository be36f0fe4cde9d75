import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { WatchlistItem } from '../../../../shared/contract/watchlists'
import { formatShortVolume, sortRows, type Row } from './rows'
import { direction, formatPercent, formatPrice } from '../../lib/format'
import { selectSymbol } from '../chart/actions'
import { findSymbol, symbolKey, useTradeStore } from '../chart/store'
import {
  activeWatchlist,
  createWatchlist,
  deleteWatchlist,
  moveInWatchlist,
  openWatchlists,
  removeFromWatchlist,
  renameWatchlist,
  showWatchlist,
  sortWatchlist,
  useWatchlists,
  type WatchSort,
} from './store'
import './watchlists.css'

/**
 * The trader's named watchlists above the symbol list: a list picker (new, rename, delete), the
 * shown list's symbols with last price and 24h change from the tickers the Trade view follows,
 * sortable by column; in the trader's own order Alt+↑/↓ move a row. Rows are buttons: ↑/↓ reach
 * them with the symbol list's rows and Enter charts one.
 */
export function WatchlistPanel() {
  useEffect(() => openWatchlists(), [])
  const { lists, list, sort, descending } = useWatchlists(
    useShallow((s) => ({ lists: s.lists, list: activeWatchlist(s), sort: s.sort, descending: s.descending })),
  )
  const [editing, setEditing] = useState<'new' | 'rename' | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const rows = useRows(list?.items ?? [], sort, descending)

  return (
    <section className="wl-watch" aria-label="Watchlist" data-testid="watchlist">
      <div className="wl-watch-head">
        {editing ? (
          <NameInput
            initial={editing === 'rename' ? (list?.name ?? '') : ''}
            onDone={(name) => {
              setEditing(null)
              if (name === null) return
              if (editing === 'new') void createWatchlist(name)
              else if (list) void renameWatchlist(list.id, name)
            }}
          />
        ) : (
          <select
            className="wl-watch-select"
            data-testid="watchlist-select"
            aria-label="Watchlist"
            value={list?.id ?? ''}
            onChange={(e) => showWatchlist(Number(e.target.value))}
            disabled={lists.length === 0}
          >
            {lists.length === 0 && <option value="">No watchlist yet</option>}
            {lists.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.items.length})
              </option>
            ))}
          </select>
        )}
        <button
          type="button"
          className="btn btn-small"
          data-testid="watchlist-new"
          onClick={() => setEditing('new')}
        >
          New
        </button>
        {list && (
          <button type="button" className="btn btn-small" onClick={() => setEditing('rename')}>
            Rename
          </button>
        )}
        {list &&
          (confirmDelete ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setConfirmDelete(false)
                void deleteWatchlist(list.id)
              }}
              onBlur={() => setConfirmDelete(false)}
            >
              Delete “{list.name}”?
            </button>
          ) : (
            <button type="button" className="btn btn-small" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          ))}
      </div>
      {list && list.items.length > 0 && (
        <div className="wl-watch-cols" role="row">
          <SortButton label="Symbol" sort="symbol" />
          <SortButton label="Last" sort="last" />
          <SortButton label="24h" sort="change" />
          <SortButton label="Vol" sort="volume" />
        </div>
      )}
      {list && list.items.length === 0 && (
        <div className="panel-empty">Empty: add symbols from the search (Ctrl+K).</div>
      )}
      <ul className="wl-rows">
        {list &&
          rows.map((r, i) => (
            <li key={symbolKey(r.item.source, r.item.symbol)} className="wl-watch-item">
              <button
                type="button"
                className="wl-row"
                data-testid="watch-row"
                data-source={r.item.source}
                data-symbol={r.item.symbol}
                disabled={!r.chartable}
                title={r.chartable ? undefined : 'Not listed for the selected account'}
                onClick={() => selectSymbol(r.item.source, r.item.symbol)}
                onKeyDown={(e) => {
                  if (!e.altKey || sort !== 'manual') return
                  if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return
                  e.preventDefault()
                  const to = e.key === 'ArrowUp' ? Math.max(0, i - 1) : i + 1
                  void moveInWatchlist(list.id, r.item, to)
                }}
              >
                <span className="wl-symbol">{r.item.symbol}</span>
                <span className="wl-last num">{formatPrice(r.last, r.precision)}</span>
                <span className={`wl-change num ${direction(r.change)}`}>{formatPercent(r.change)}</span>
                <span className="wl-volume num" data-testid="watch-volume">
                  {formatShortVolume(r.volume)}
                </span>
              </button>
              <button
                type="button"
                className="wl-watch-remove"
                aria-label={`Remove ${r.item.symbol}`}
                onClick={() => void removeFromWatchlist(list.id, r.item)}
              >
                ×
              </button>
            </li>
          ))}
      </ul>
    </section>
  )
}

function useRows(items: readonly WatchlistItem[], sort: WatchSort, descending: boolean): Row[] {
  const { symbols, tickers } = useTradeStore(useShallow((s) => ({ symbols: s.symbols, tickers: s.tickers })))
  const rows = items.map((item) => {
    const info = findSymbol(symbols, item)
    const t = tickers[symbolKey(item.source, item.symbol)]
    return {
      item,
      last: t?.last ?? info?.last ?? null,
      change: t ? t.change24h : (info?.change24h ?? null),
      volume: t ? t.volume24h : (info?.volume24h ?? null),
      precision: info?.pricePrecision ?? 2,
      chartable: info !== undefined,
    }
  })
  return sortRows(rows, sort, descending)
}

function SortButton({ label, sort }: { label: string; sort: WatchSort }) {
  const { current, descending } = useWatchlists(
    useShallow((s) => ({ current: s.sort, descending: s.descending })),
  )
  const on = current === sort
  return (
    <button
      type="button"
      className="wl-watch-sort"
      data-testid={`watchlist-sort-${sort}`}
      aria-sort={on ? (descending ? 'descending' : 'ascending') : 'none'}
      onClick={() => sortWatchlist(sort)}
      onDoubleClick={() => useWatchlists.setState({ sort: 'manual', descending: false })}
      title="Click to sort, again to reverse; double-click for your own order"
    >
      {label}
      {on ? (descending ? ' ▼' : ' ▲') : ''}
    </button>
  )
}

function NameInput({ initial, onDone }: { initial: string; onDone: (name: string | null) => void }) {
  const [name, setName] = useState(initial)
  return (
    <input
      className="wl-watch-name"
      data-testid="watchlist-name"
      aria-label="Watchlist name"
      maxLength={60}
      autoFocus
      value={name}
      onChange={(e) => setName(e.target.value)}
      onBlur={() => onDone(null)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onDone(name.trim() === '' ? null : name.trim())
        if (e.key === 'Escape') {
          e.preventDefault()
          onDone(null)
        }
      }}
    />
  )
}
