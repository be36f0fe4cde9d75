import { useEffect, useMemo, useState } from 'react'
import { useTradingStore } from '../desk/store'
import { clearFilter, setFilter } from './actions'
import { useJournalStore } from './store'

const DAY = 86_400_000

/** `YYYY-MM-DD` of a local date input as the local midnight it means (ms), or undefined. */
function dayStart(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined
  const [y, m, d] = text.split('-').map(Number)
  return new Date(y!, m! - 1, d!).getTime()
}

function dayText(ms: number | undefined): string {
  if (ms === undefined) return ''
  const d = new Date(ms)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** Text typed into a filter box applies once the typing pauses. */
function useTyped(value: string | undefined, apply: (v: string) => void): [string, (v: string) => void] {
  const [text, setText] = useState(value ?? '')
  // The filter changed elsewhere (Clear): the box shows it.
  const [shown, setShown] = useState(value)
  if (shown !== value) {
    setShown(value)
    setText(value ?? '')
  }
  useEffect(() => {
    if (text === (value ?? '')) return
    const t = setTimeout(() => apply(text.trim()), 300)
    return () => clearTimeout(t)
  }, [text]) // eslint-disable-line react-hooks/exhaustive-deps
  return [text, setText]
}

/** The journal's filters: dates of entry, account, symbol, side, win/loss, strategy, tag, R range, text in notes. */
export function Filters() {
  const filter = useJournalStore((s) => s.filter)
  const trading = useTradingStore((s) => s.accounts)
  const rows = useJournalStore((s) => s.rows)
  // The trading accounts, and those only the journal still knows (deleted ones keep their trades).
  const accounts = useMemo(() => {
    const all = new Map(trading.map((a) => [a.id, a.name]))
    for (const t of Object.values(rows)) if (!all.has(t.accountId)) all.set(t.accountId, t.accountName)
    if (filter.accountId && !all.has(filter.accountId)) all.set(filter.accountId, filter.accountId)
    return [...all].map(([id, name]) => ({ id, name }))
  }, [trading, rows, filter.accountId])
  // "manual" and every strategy the loaded trades name (a trade carries "manual" or a strategy id).
  const strategies = useMemo(() => {
    const all = new Set<string>(['manual'])
    for (const t of Object.values(rows)) all.add(t.strategy)
    if (filter.strategy) all.add(filter.strategy)
    return [...all].sort((a, b) => (a === 'manual' ? -1 : b === 'manual' ? 1 : a.localeCompare(b)))
  }, [rows, filter.strategy])
  const [symbol, setSymbol] = useTyped(filter.symbol, (v) =>
    setFilter({ symbol: v === '' ? undefined : v.toUpperCase() }),
  )
  const [tag, setTag] = useTyped(filter.tag, (v) => setFilter({ tag: v === '' ? undefined : v }))
  const [search, setSearch] = useTyped(filter.search, (v) => setFilter({ search: v === '' ? undefined : v }))
  const num = (v: string) => (v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v))
  const [rMin, setRMin] = useTyped(filter.rMin?.toString(), (v) => setFilter({ rMin: num(v) }))
  const [rMax, setRMax] = useTyped(filter.rMax?.toString(), (v) => setFilter({ rMax: num(v) }))
  const active = Object.keys(filter).length > 0
  return (
    <div className="jr-filters" data-testid="journal-filters">
      <label className="jr-field">
        <span>From</span>
        <input
          type="date"
          value={dayText(filter.from)}
          data-testid="journal-filter-from"
          onChange={(e) => setFilter({ from: dayStart(e.target.value) })}
        />
      </label>
      <label className="jr-field">
        <span>To</span>
        <input
          type="date"
          value={dayText(filter.to === undefined ? undefined : filter.to - DAY + 1)}
          data-testid="journal-filter-to"
          onChange={(e) => {
            const d = dayStart(e.target.value)
            setFilter({ to: d === undefined ? undefined : d + DAY - 1 })
          }}
        />
      </label>
      <label className="jr-field">
        <span>Account</span>
        <select
          value={filter.accountId ?? ''}
          data-testid="journal-filter-account"
          onChange={(e) => setFilter({ accountId: e.target.value || undefined })}
        >
          <option value="">All</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="jr-field">
        <span>Symbol</span>
        <input
          className="jr-w-sym"
          value={symbol}
          placeholder="BTC/USDT"
          data-testid="journal-filter-symbol"
          onChange={(e) => setSymbol(e.target.value)}
        />
      </label>
      <label className="jr-field">
        <span>Side</span>
        <select
          value={filter.side ?? ''}
          data-testid="journal-filter-side"
          onChange={(e) => setFilter({ side: (e.target.value || undefined) as 'long' | 'short' | undefined })}
        >
          <option value="">Both</option>
          <option value="long">Long</option>
          <option value="short">Short</option>
        </select>
      </label>
      <label className="jr-field">
        <span>Result</span>
        <select
          value={filter.outcome ?? ''}
          data-testid="journal-filter-outcome"
          onChange={(e) =>
            setFilter({ outcome: (e.target.value || undefined) as 'win' | 'loss' | undefined })
          }
        >
          <option value="">All</option>
          <option value="win">Winners</option>
          <option value="loss">Losers</option>
        </select>
      </label>
      <label className="jr-field">
        <span>Strategy</span>
        <select
          value={filter.strategy ?? ''}
          data-testid="journal-filter-strategy"
          onChange={(e) => setFilter({ strategy: e.target.value || undefined })}
        >
          <option value="">All</option>
          {strategies.map((s) => (
            <option key={s} value={s}>
              {s === 'manual' ? 'Manual' : s}
            </option>
          ))}
        </select>
      </label>
      <label className="jr-field">
        <span>Tag</span>
        <input
          className="jr-w-tag"
          value={tag}
          data-testid="journal-filter-tag"
          onChange={(e) => setTag(e.target.value)}
        />
      </label>
      <label className="jr-field">
        <span>R from</span>
        <input
          className="jr-w-r"
          inputMode="decimal"
          value={rMin}
          onChange={(e) => setRMin(e.target.value)}
        />
      </label>
      <label className="jr-field">
        <span>to</span>
        <input
          className="jr-w-r"
          inputMode="decimal"
          value={rMax}
          onChange={(e) => setRMax(e.target.value)}
        />
      </label>
      <label className="jr-field jr-grow">
        <span>Notes</span>
        <input
          type="search"
          value={search}
          placeholder="Search in notes"
          data-testid="journal-filter-search"
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      <button type="button" className="jr-clear" disabled={!active} onClick={clearFilter}>
        Clear
      </button>
    </div>
  )
}
