import { useEffect, useRef, useState } from 'react'
import { Analytics } from './Analytics'
import { canDownload } from './export-download'
import { canSaveToFile } from './export-save'
import { ExportDialog } from './ExportDialog'
import { ImportDialog } from './ImportDialog'
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
  const [dialog, setDialog] = useState<'export' | 'import' | null>(null)
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
        <div className="jr-file-buttons">
          {/* A download from the headless host, or the desktop app's save dialog. */}
          {(canDownload() || canSaveToFile()) && (
            <button
              type="button"
              className="btn"
              data-testid="journal-export"
              onClick={() => setDialog('export')}
            >
              Export…
            </button>
          )}
          <button
            type="button"
            className="btn"
            data-testid="journal-import"
            onClick={() => setDialog('import')}
          >
            Import…
          </button>
        </div>
      </header>
      <ExportDialog open={dialog === 'export'} onClose={() => setDialog(null)} />
      <ImportDialog open={dialog === 'import'} onClose={() => setDialog(null)} />
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
