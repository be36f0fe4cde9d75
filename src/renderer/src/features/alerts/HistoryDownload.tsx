import { useRef, useState } from 'react'
import { canDownload, downloadExport } from '../journal/export-download'
import { historyExport } from './history-filter-model'
import { useAlertsStore } from './store'

/**
 * "Download CSV" of the history as filtered, through the headless host's export route (the
 * journal's download code: streamed with the token in a header, only a complete file saved).
 * Shows rows as they come and a Cancel; hidden where the page cannot download (the desktop app).
 */
export function HistoryDownload() {
  const filter = useAlertsStore((s) => s.filter)
  const [state, setState] = useState<{ done: number; total: number } | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const abort = useRef<AbortController | null>(null)
  if (!canDownload()) return null
  const start = async () => {
    const ctrl = new AbortController()
    abort.current = ctrl
    setMessage(null)
    setState({ done: 0, total: 0 })
    try {
      const r = await downloadExport(historyExport(filter), {
        signal: ctrl.signal,
        onProgress: (done, total) => setState({ done, total }),
      })
      setMessage(`${r.rows} firings saved as ${r.fileName}`)
    } catch (err) {
      setMessage(
        ctrl.signal.aborted ? 'Download cancelled' : err instanceof Error ? err.message : String(err),
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
          Download CSV
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
