import { useEffect, useRef, useState } from 'react'
import type { ResultOf } from '../../../../shared/contract'
import { client } from '../../connection'
import { Modal } from '../desk/Modal'
import { canDownload, downloadExport, type ExportRequest } from './export-download'
import { saveExport } from './export-save'
import { timeZone } from './format'
import { useJournalStore } from './store'

type Columns = ResultOf<'journal.exportColumns'>
// The journal's kinds; the alert history downloads from the Alerts view.
type Kind = Exclude<ExportRequest['kind'], 'alerts'>

const KIND_LABEL: Record<Kind, string> = { trades: 'Journal trades', fills: 'Fills', orders: 'Orders' }

/**
 * Export to CSV (docs/CSV.md): what (trades, fills, orders), which columns (the default set
 * ticked), the Excel and local-time options, and the journal's account and date filter. The
 * file streams from the host as a download (browser), or main writes it where the desktop app's
 * save dialog says; either way with progress and a Cancel, and only a complete file is saved.
 */
export function ExportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const filter = useJournalStore((s) => s.filter)
  const [columns, setColumns] = useState<Columns | null>(null)
  const [kind, setKind] = useState<Kind>('trades')
  const [chosen, setChosen] = useState<Record<Kind, string[]>>({ trades: [], fills: [], orders: [] })
  const [excel, setExcel] = useState(false)
  const [local, setLocal] = useState(false)
  const [useFilter, setUseFilter] = useState(true)
  const [state, setState] = useState<
    | { s: 'idle' }
    | { s: 'running'; done: number; total: number }
    | { s: 'done'; rows: number; fileName: string }
    | { s: 'error'; message: string }
  >({ s: 'idle' })
  const abort = useRef<AbortController | null>(null)

  useEffect(() => {
    if (!open || columns) return
    void client()
      .invoke('journal.exportColumns', {})
      .then((res) => {
        if (!res.ok) return setState({ s: 'error', message: res.error.message })
        setColumns(res.value)
        const pick = (k: Kind) => res.value[k].filter((c) => c.default).map((c) => c.name)
        setChosen({ trades: pick('trades'), fills: pick('fills'), orders: pick('orders') })
      })
  }, [open, columns])

  const close = (): void => {
    abort.current?.abort()
    abort.current = null
    setState({ s: 'idle' })
    onClose()
  }
  const start = async (): Promise<void> => {
    const ctl = new AbortController()
    abort.current = ctl
    setState({ s: 'running', done: 0, total: 0 })
    const req: ExportRequest = {
      kind,
      columns: chosen[kind],
      excel,
      localTime: local ? timeZone() : undefined,
      ...(useFilter
        ? {
            account: filter.accountId,
            from: filter.from,
            to: filter.to === undefined ? undefined : filter.to + 1,
          }
        : {}),
    }
    try {
      const progress = {
        signal: ctl.signal,
        onProgress: (done: number, total: number) => setState({ s: 'running', done, total }),
      }
      const r = canDownload() ? await downloadExport(req, progress) : await saveExport(req, progress)
      // Null: the trader closed the save dialog.
      setState(r ? { s: 'done', rows: r.rows, fileName: r.fileName } : { s: 'idle' })
    } catch (err) {
      if (ctl.signal.aborted) setState({ s: 'idle' })
      else setState({ s: 'error', message: (err as Error).message })
    } finally {
      if (abort.current === ctl) abort.current = null
    }
  }
  const toggle = (name: string): void =>
    setChosen((c) => {
      const list = c[kind]
      const all = columns?.[kind].map((x) => x.name) ?? []
      // Ticked columns keep the documented order.
      const next = list.includes(name)
        ? list.filter((n) => n !== name)
        : all.filter((n) => n === name || list.includes(n))
      return { ...c, [kind]: next }
    })
  const running = state.s === 'running'
  const pct = running && state.total > 0 ? Math.round((state.done / state.total) * 100) : 0
  return (
    <Modal
      open={open}
      onCancel={close}
      label="Export to CSV"
      tone="neutral"
      testId="journal-export-dialog"
      className="jr-file-dialog"
    >
      <form
        className="jr-file-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!running) void start()
        }}
      >
        <div className="tk-dialog-head">Export to CSV</div>
        <label className="jr-field">
          <span>What</span>
          <select
            value={kind}
            data-testid="export-kind"
            disabled={running}
            onChange={(e) => setKind(e.target.value as Kind)}
          >
            {(Object.keys(KIND_LABEL) as Kind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="jr-columns" disabled={running} data-testid="export-columns">
          <legend>
            Columns ({chosen[kind].length})
            <button
              type="button"
              className="jr-link"
              onClick={() =>
                setChosen((c) => ({
                  ...c,
                  [kind]: columns?.[kind].filter((x) => x.default).map((x) => x.name) ?? [],
                }))
              }
            >
              Default set
            </button>
          </legend>
          {columns?.[kind].map((c) => (
            <label key={c.name} title={c.description} className="jr-column">
              <input
                type="checkbox"
                checked={chosen[kind].includes(c.name)}
                onChange={() => toggle(c.name)}
              />
              <code>{c.name}</code>
            </label>
          ))}
        </fieldset>
        <label className="jr-check">
          <input
            type="checkbox"
            checked={excel}
            disabled={running}
            data-testid="export-excel"
            onChange={(e) => setExcel(e.target.checked)}
          />
          For Excel (a byte order mark, so Excel reads UTF-8)
        </label>
        <label className="jr-check">
          <input
            type="checkbox"
            checked={local}
            disabled={running}
            data-testid="export-local"
            onChange={(e) => setLocal(e.target.checked)}
          />
          Add local-time columns ({timeZone()})
        </label>
        <label className="jr-check">
          <input
            type="checkbox"
            checked={useFilter}
            disabled={running}
            onChange={(e) => setUseFilter(e.target.checked)}
          />
          Only the journal filter's account and dates
        </label>
        {running && (
          <div className="jr-progress" data-testid="export-progress">
            <progress max={100} value={pct} />
            <span>
              {state.done.toLocaleString()} of {state.total.toLocaleString()} rows
            </span>
          </div>
        )}
        {state.s === 'done' && (
          <p className="tk-dialog-text" role="status" data-testid="export-done">
            Saved {state.rows.toLocaleString()} rows as {state.fileName}.
          </p>
        )}
        {state.s === 'error' && (
          <div className="tk-acc-error tk-acc-error-form" role="alert" data-testid="export-error">
            {state.message}
          </div>
        )}
        <div className="tk-dialog-actions">
          {running ? (
            <button
              type="button"
              className="btn"
              data-testid="export-cancel"
              onClick={() => abort.current?.abort()}
            >
              Cancel export
            </button>
          ) : (
            <button type="button" className="btn" onClick={close}>
              Close
            </button>
          )}
          <button
            type="submit"
            className="btn tk-btn-solid tk-btn-primary"
            data-testid="export-start"
            disabled={running || chosen[kind].length === 0 || !columns}
          >
            {running ? `Exporting… ${pct}%` : 'Export'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
