import { client } from '../../connection'
import type { ExportRequest } from './export-download'

/** Whether this page saves exports through the desktop app's save dialog (it has no HTTP host to download from). */
export function canSaveToFile(): boolean {
  return window.candlework !== undefined
}

/**
 * Exports through the desktop app (the stream journal.exportToFile): main asks where to save with
 * the system's save dialog and writes the file there, reporting rows as they are written. Aborting
 * `signal` unsubscribes, which cancels the export: nothing is left under the chosen name. Resolves
 * with what was saved, or null when the trader closed the dialog.
 */
export function saveExport(
  r: ExportRequest,
  opts: { signal: AbortSignal; onProgress: (done: number, total: number) => void },
): Promise<{ rows: number; bytes: number; fileName: string } | null> {
  return new Promise((resolve, reject) => {
    let settled = false
    const settle = (fn: () => void): void => {
      if (settled) return
      settled = true
      opts.signal.removeEventListener('abort', onAbort)
      fn()
    }
    const dispose = client().subscribe(
      'journal.exportToFile',
      {
        kind: r.kind,
        columns: [...r.columns],
        excel: r.excel,
        ...(r.localTime ? { localTime: r.localTime } : {}),
        ...(r.account ? { account: r.account } : {}),
        ...(r.from !== undefined ? { from: r.from } : {}),
        ...(r.to !== undefined ? { to: r.to } : {}),
        ...(r.alert ? { alert: r.alert } : {}),
        ...(r.symbol ? { symbol: r.symbol } : {}),
        ...(r.firingKind ? { firingKind: r.firingKind } : {}),
      },
      (e) => {
        if (e.state === 'writing') opts.onProgress(e.done, e.total)
        else if (e.state === 'saved')
          settle(() => resolve({ rows: e.rows, bytes: e.bytes, fileName: e.file }))
        else if (e.state === 'dismissed') settle(() => resolve(null))
        else if (e.state === 'cancelled')
          settle(() => reject(new Error('The export stopped: the app is closing')))
      },
      (error) =>
        settle(() =>
          error ? reject(new Error(error.message)) : reject(new Error('The export ended without saving')),
        ),
    )
    function onAbort(): void {
      dispose()
      settle(() => reject(new DOMException('Export cancelled', 'AbortError')))
    }
    if (opts.signal.aborted) onAbort()
    else opts.signal.addEventListener('abort', onAbort)
  })
}
