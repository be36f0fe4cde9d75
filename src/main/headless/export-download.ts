import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Db } from '../storage/database'
import { ExportError } from '../export/columns'
import { EOL, UTF8_BOM, csvField } from '../export/csv-text'
import { EXPORT_KINDS, type ExportKindName } from '../export/kinds'
import { localTimeFormatter, resolveTimeZone, TimeZoneError } from '../export/local-time'
import type { ExportFilter } from '../export/sources'
import { reply } from './responses'

/** Where a browser downloads an export: `/export/trades.csv`, `fills.csv`, `orders.csv`, `alerts.csv`. */
export const EXPORT_PATH = /^\/export\/(trades|fills|orders|alerts)\.csv$/

/** Written in chunks of about this many characters, each awaited when the socket is full. */
const CHUNK_CHARS = 256 * 1024

/**
 * Streams an export as a CSV download (docs/CSV.md, docs/SECURITY.md). The caller has checked the
 * Host, the Origin and the token (an `Authorization: Bearer` header: never the URL or a cookie).
 * What to export is in the query, which holds no secret: `columns=a,b`, `excel=1`,
 * `localTime=ZONE`, `account=ID or name`, `from=ms`, `to=ms`, and for alerts `alert=ID`,
 * `symbol=S`, `kind=K` (the history filter). A bad parameter is a 400 naming it.
 * Rows are read a page at a time while the socket drains, so memory stays at one chunk; a browser
 * that cancels (closes the connection) stops the export at the next chunk. `X-Candlework-Rows`
 * says how many rows will come, for the page's progress.
 */
export async function serveExportDownload(
  db: Db,
  kind: ExportKindName,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const q = url.searchParams
  let opened: ReturnType<(typeof EXPORT_KINDS)[ExportKindName]['open']>
  try {
    const filter: ExportFilter = {}
    const account = q.get('account')
    if (account) filter.account = account
    for (const k of ['alert', 'symbol', 'kind'] as const) {
      const v = q.get(k)
      if (v) filter[k] = v
    }
    for (const k of ['from', 'to'] as const) {
      const v = q.get(k)
      if (v === null || v === '') continue
      const ms = Number(v)
      if (!Number.isSafeInteger(ms)) throw new ExportError(`${k}: "${v}" is not a time in ms since 1970`)
      filter[k] = ms
    }
    const zone = q.get('localTime')
    const localTime = zone ? localTimeFormatter(resolveTimeZone(zone)) : undefined
    const columnsText = q.get('columns')
    const columns = columnsText ? columnsText.split(',').map((c) => c.trim()) : undefined
    opened = EXPORT_KINDS[kind].open(db, filter, columns, localTime)
  } catch (err) {
    if (err instanceof ExportError || err instanceof TimeZoneError) {
      reply(res, 400, {
        error: err.message.replace(/^--(local-time|columns|account|kind)/, (m) => m.slice(2)),
      })
      return
    }
    throw err
  }
  const day = new Date().toISOString().slice(0, 10)
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="candlework-${kind}-${day}.csv"`,
    'Cache-Control': 'no-store',
    'X-Candlework-Rows': String(opened.total),
  })
  if (req.method === 'HEAD') {
    opened.lines.return?.()
    res.end()
    return
  }
  let gone = false
  res.once('close', () => (gone = true))
  const write = (chunk: string): Promise<void> =>
    new Promise((resolve) => {
      if (res.write(chunk)) resolve()
      else {
        const done = (): void => {
          res.off('drain', done)
          res.off('close', done)
          resolve()
        }
        res.once('drain', done)
        res.once('close', done)
      }
    })
  try {
    let chunk = (q.get('excel') === '1' ? UTF8_BOM : '') + opened.headers.map(csvField).join(',') + EOL
    for (let next = opened.lines.next(); !next.done; next = opened.lines.next()) {
      if (next.value.length > 0) chunk += next.value.join(EOL) + EOL
      if (chunk.length >= CHUNK_CHARS) {
        await write(chunk)
        chunk = ''
        if (gone) return
      }
    }
    if (chunk) await write(chunk)
    res.end()
  } finally {
    opened.lines.return?.()
  }
}
