import { useRef, useState } from 'react'
import { canDownload, downloadExport } from '../journal/export-download'
import { canSaveToFile, saveExport } from '../journal/export-save'
import { historyExport } from './history-filter-model'
import { useAlertsStore } from './store'

/**
 * "Download CSV" of the history as filtered, through the headless host's export route (the
 * journal's download code: streamed with the token in a header, only a complete file saved).
 * In the desktop app the same export is saved where its save dialog says (journal.exportToFile).
 * Shows rows as they come and a Cancel.
 */
export function HistoryDownload() {
  const filter = useAlertsStore((s) => s.filter)
  const [state, setState] = useState<{ done: number; total: number } | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const abort = useRef<AbortController | null>(null)
  const download = canDownload()
  if (!download && !canSaveToFile()) return null
  const start = async () => {
    const ctrl = new AbortController()
    abort.current = ctrl
    setMessage(null)
    setState({ done: 0, total: 0 })
    try {
      const progress = {
        signal: ctrl.signal,
        onProgress: (done: number, total: number) => setState({ done, total }),
      }
      const r = download
        ? await downloadExport(historyExport(filter), progress)
        : await saveExport(historyExport(filter), progress)
      // Null: the save dialog was closed.
      setMessage(r ? `${r.rows} firings saved as ${r.fileName}` : null)
    } catch (err) {
      setMessage(
        ctrl.signal.aborted
          ? download
            ? 'Download cancelled'
            : 'Export cancelled'
          : err instanceof Error
            ? err.message
            : String(err),
      )
    } finally {
      abort.current = null
      setState(null)
    }
  }
  return (
    <span className="alerts-download" data-testid="alerts-history-download">
      {state ? (
        <>
          <span className="alerts-dim" data-testid="alerts-download-progress">
            {state.total > 0 ? `${state.done} / ${state.total}` : 'Starting…'}
          </span>
          <button type="button" className="btn btn-small" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          className="btn btn-small"
          title="Every firing the filter matches, as CSV (docs/CSV.md)"
          data-testid="alerts-download-csv"
          onClick={() => void start()}
        >
          {download ? 'Download CSV' : 'Save CSV…'}
        </button>
      )}
      {message && (
        <span className="alerts-dim" role="status" data-testid="alerts-download-message">
          {message}
        </span>
      )}
    </span>
  )
}
