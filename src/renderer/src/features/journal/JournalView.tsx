import { useEffect, useRef } from 'react'
import { Analytics } from './Analytics'
import { setTab, watchJournal } from './actions'
import { Filters } from './Filters'
import './journal.css'
import { useJournalStore } from './store'
import { TradeDetail } from './TradeDetail'
import { TradesTable } from './TradesTable'

/** The trade journal: every account's round-trip trades, one trade in detail, and the analytics of the filter. */
export function JournalView() {
  const tab = useJournalStore((s) => s.tab)
  const selected = useJournalStore((s) => s.selected)
  const range = useRef({ from: 0, to: 60 })
  useEffect(() => watchJournal(() => range.current), [])
  return (
    <section className="journal" data-testid="journal-view" aria-labelledby="journal-title">
      <header className="jr-top">
        <h1 id="journal-title">Journal</h1>
        <div className="jr-tabs" role="tablist">
          {(['trades', 'analytics'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              className={tab === t ? 'jr-tab on' : 'jr-tab'}
              data-testid={`journal-tab-${t}`}
              onClick={() => setTab(t)}
            >
              {t === 'trades' ? 'Trades' : 'Analytics'}
            </button>
          ))}
        </div>
      </header>
      <Filters />
      {tab === 'trades' ? (
        <div className={selected ? 'jr-main jr-with-detail' : 'jr-main'}>
          <TradesTable onRange={(r) => (range.current = r)} />
          <TradeDetail />
        </div>
      ) : (
        <Analytics />
      )}
    </section>
  )
}
