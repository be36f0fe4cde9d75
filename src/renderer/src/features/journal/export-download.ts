import { TOKEN_STORAGE_KEY } from '../../access-token'
import { saveBlob } from '../../lib/save-file'

/** What to export: the kind, the columns in order, and the options of docs/CSV.md. */
export interface ExportRequest {
  kind: 'trades' | 'fills' | 'orders' | 'alerts'
  /** Empty for the kind's default set. */
  columns: readonly string[]
  excel: boolean
  /** An IANA zone: adds `<column>_local` after each time column. */
  localTime?: string | undefined
  account?: string | undefined
  from?: number | undefined
  to?: number | undefined
  /** The alert history's filter (kind `alerts`): an alert's id or name, a symbol, what fired it. */
  alert?: string | undefined
  symbol?: string | undefined
  firingKind?: string | undefined
}

/**
 * The host's download address of an export: a path on this page's own origin (the token is never
 * sent anywhere else), its options in the query (no secret there).
 */
export function exportPath(r: ExportRequest): string {
  const q = new URLSearchParams()
  if (r.columns.length > 0) q.set('columns', r.columns.join(','))
  if (r.excel) q.set('excel', '1')
  if (r.localTime) q.set('localTime', r.localTime)
  if (r.account) q.set('account', r.account)
  if (r.from !== undefined) q.set('from', String(r.from))
  if (r.to !== undefined) q.set('to', String(r.to))
  if (r.alert) q.set('alert', r.alert)
  if (r.symbol) q.set('symbol', r.symbol)
  if (r.firingKind) q.set('kind', r.firingKind)
  return `/export/${r.kind}.csv?${q.toString()}`
}

/** Whether this page can download exports: a browser on the headless host (the desktop app has no HTTP host). */
export function canDownload(): boolean {
  return window.candlework === undefined && typeof fetch === 'function'
}

/**
 * Streams an export from the headless host and saves it as a download. The token goes in an
 * `Authorization` header to this page's own origin only (a relative path; redirects refused, no
 * cookies); the body is read as it arrives, so `onProgress` sees rows come in and `signal` stops
 * it at once. Only a complete file is handed to the browser's download: a cancelled export saves
 * nothing.
 */
export async function downloadExport(
  r: ExportRequest,
  opts: { signal: AbortSignal; onProgress: (done: number, total: number) => void },
): Promise<{ rows: number; bytes: number; fileName: string }> {
  const token = window.sessionStorage.getItem(TOKEN_STORAGE_KEY)
  if (!token) throw new Error('No access token in this tab: open the URL the host printed again')
  const res = await fetch(exportPath(r), {
    headers: { Authorization: `Bearer ${token}` },
    signal: opts.signal,
    cache: 'no-store',
    credentials: 'omit',
    redirect: 'error',
    referrerPolicy: 'no-referrer',
  })
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null
    throw new Error(body?.error ?? `The host answered ${res.status}`)
  }
  const total = Number(res.headers.get('X-Candlework-Rows') ?? 0)
  const fileName =
    /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? `candlework-${r.kind}.csv`
  const reader = res.body.getReader()
  const parts: Uint8Array[] = []
  let lines = 0
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value)
    bytes += value.length
    for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++
    // The header is a line too; a note with line breaks counts more: never past the total.
    opts.onProgress(Math.min(Math.max(0, lines - 1), total), total)
  }
  saveBlob(new Blob(parts as BlobPart[], { type: 'text/csv;charset=utf-8' }), fileName)
  return { rows: total, bytes, fileName }
}
