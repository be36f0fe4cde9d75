import { useEffect, useRef, useState } from 'react'
import { COLUMNS, GRID } from './columns'
import { ensureRows, select, sortBy } from './actions'
import { money, pnl, pnlClass } from './format'
import { useJournalStore } from './store'

/** Row height in px: fixed, so the table draws only the rows in view (100,000 scroll as 30). */
export const ROW_HEIGHT = 28
const OVERSCAN = 10

/** The visible index range of a scroll box of `height` px at `top`. */
export function rangeOf(top: number, height: number): { from: number; to: number } {
  const from = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN)
  return { from, to: from + Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN }
}

/** The virtualised trades table: sticky header (click to sort), the rows in view, the totals row. */
export function TradesTable({ onRange }: { onRange: (r: { from: number; to: number }) => void }) {
  const box = useRef<HTMLDivElement>(null)
  const [view, setView] = useState({ top: 0, height: 600 })
  const rows = useJournalStore((s) => s.rows)
  const totals = useJournalStore((s) => s.totals)
  const sort = useJournalStore((s) => s.sort)
  const selected = useJournalStore((s) => s.selected)
  const loading = useJournalStore((s) => s.loading)
  const error = useJournalStore((s) => s.error)
  const query = useJournalStore((s) => s.query)
  const count = totals?.count ?? 0

  useEffect(() => {
    const el = box.current
    if (!el) return
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight })
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  const range = rangeOf(view.top, view.height)
  const to = Math.min(range.to, Math.max(0, count - 1))
  useEffect(() => {
    onRange(range)
    if (count > 0) ensureRows(range.from, to)
    // query: a new query asks for the rows in view again.
  }, [range.from, to, count, query]) // eslint-disable-line react-hooks/exhaustive-deps

  const shown = []
  for (let i = range.from; i <= to && i < count; i++) shown.push(i)

  return (
    <div className="jr-table-wrap">
      <div
        className="jr-table"
        ref={box}
        data-testid="journal-table"
        data-count={count}
        onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
        role="grid"
        aria-rowcount={count}
      >
        <div className="jr-row jr-head" style={{ gridTemplateColumns: GRID }} role="row">
          {COLUMNS.map((c) => (
            <button
              key={c.sort}
              type="button"
              role="columnheader"
              className={`jr-th${c.right ? ' r' : ''}${sort.column === c.sort ? ' jr-sorted' : ''}`}
              title={c.title ? `${c.title}. Click to sort.` : 'Click to sort'}
              aria-sort={sort.column === c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              data-testid={`journal-sort-${c.sort}`}
              onClick={() => sortBy(c.sort)}
            >
              {c.header}
              {sort.column === c.sort && <span className="jr-arrow">{sort.dir === 'asc' ? '▲' : '▼'}</span>}
            </button>
          ))}
        </div>
        <div className="jr-body" style={{ height: count * ROW_HEIGHT }}>
          {shown.map((i) => {
            const t = rows[i]
            const top = i * ROW_HEIGHT
            if (!t)
              return (
                <div key={`p${i}`} className="jr-row jr-pending" style={{ top, gridTemplateColumns: GRID }} />
              )
            return (
              <div
                key={t.key}
                className={`jr-row${t.key === selected ? ' jr-selected' : ''}`}
                style={{ top, gridTemplateColumns: GRID }}
                role="row"
                aria-selected={t.key === selected}
                data-testid="journal-row"
                data-key={t.key}
                data-symbol={t.symbol}
                data-status={t.status}
                data-net={t.netPnl}
                onClick={() => void select(t.key === selected ? null : t.key)}
              >
                {COLUMNS.map((c) => (
                  <span
                    key={c.sort}
                    role="gridcell"
                    className={`jr-td${c.right ? ' r num' : ''} ${c.className?.(t) ?? ''}`}
                    title={c.hover?.(t)}
                  >
                    {c.cell(t)}
                  </span>
                ))}
              </div>
            )
          })}
        </div>
        {count === 0 && (
          <p className="jr-empty" data-testid="journal-empty">
            {error
              ? `Could not read the journal: ${error}`
              : loading
                ? 'Reading the journal…'
                : 'No trades match. Trades appear here as orders fill, on every account.'}
          </p>
        )}
      </div>
      <Totals />
    </div>
  )
}

/** The filter's totals: trade count and, per quote currency (never added together), gross, fees and net. */
function Totals() {
  const totals = useJournalStore((s) => s.totals)
  if (!totals) return null
  return (
    <div className="jr-totals" data-testid="journal-totals">
      <span>
        <strong className="num">{totals.count.toLocaleString('en-US')}</strong> trade
        {totals.count === 1 ? '' : 's'}
      </span>
      {totals.byQuote.map((q) => (
        <span
          key={q.quote}
          className="jr-total"
          data-testid="journal-total"
          data-quote={q.quote}
          data-net={q.netPnl}
        >
          Net <strong className={`num ${pnlClass(q.quote, q.netPnl)}`}>{pnl(q.quote, q.netPnl)}</strong>
          <span className="jr-dim">
            {' '}
            · gross {pnl(q.quote, q.grossPnl)} · fees {money(q.quote, q.fees)}
          </span>{' '}
          {q.quote}
        </span>
      ))}
    </div>
  )
}
