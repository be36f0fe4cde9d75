import { TOKEN_STORAGE_KEY } from '../../access-token'
import { client } from '../../connection'
import { canDownload } from '../journal/export-download'
import { notify } from '../notices/store'
import { saveBlob } from '../../lib/save-file'

/**
 * Exports a run's drift report as CSV the way the other exports go: in a browser a download
 * from the headless host (`/export/drift.csv?run=ID`, the token in an `Authorization` header to
 * this page's own origin only), in the desktop app main's save dialog (runner.exportDrift).
 */
export async function exportDrift(runId: string): Promise<void> {
  try {
    if (canDownload()) {
      const { fileName, rows } = await downloadDrift(runId)
      notify('info', 'Drift report exported', `${rows} rows: ${fileName}`)
      return
    }
    const res = await client().invoke('runner.exportDrift', { runId })
    if (!res.ok) throw new Error(res.error.message)
    if (res.value.file !== null)
      notify('info', 'Drift report exported', `${res.value.rows} rows: ${res.value.file}`)
  } catch (err) {
    notify('warning', 'Could not export the drift report', err instanceof Error ? err.message : String(err))
  }
}

async function downloadDrift(runId: string): Promise<{ fileName: string; rows: number }> {
  const token = window.sessionStorage.getItem(TOKEN_STORAGE_KEY)
  if (!token) throw new Error('No access token in this tab: open the URL the host printed again')
  const res = await fetch(`/export/drift.csv?run=${encodeURIComponent(runId)}`, {
    headers: { Authorization: `Bearer ${token}` },
    cache: 'no-store',
    credentials: 'omit',
    redirect: 'error',
    referrerPolicy: 'no-referrer',
  })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null
    throw new Error(body?.error ?? `The host answered ${res.status}`)
  }
  const fileName =
    /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ??
    `candlework-drift-${runId}.csv`
  const rows = Number(res.headers.get('X-Candlework-Rows') ?? 0)
  saveBlob(await res.blob(), fileName)
  return { fileName, rows }
}
