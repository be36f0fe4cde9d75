import { AppError, type AppErrorShape } from '../../shared/contract/errors'
import type { EventOf, Params } from '../../shared/contract'
import type { Clock } from '../clock'
import { ExportError } from '../export/columns'
import { EXPORT_KINDS, type OpenExport } from '../export/kinds'
import { localTimeFormatter, resolveTimeZone, TimeZoneError } from '../export/local-time'
import type { ExportFilter } from '../export/sources'
import { writeCsvFile } from '../export/write-csv'
import type { StreamSink } from '../rpc/handlers'
import type { Db } from '../storage/database'

/**
 * Where to save an export: the desktop's native save dialog (desktop-shell.ts), given the kind
 * and a suggested file name; the chosen path, or null when the trader dismissed it. The renderer
 * never names a path itself: only what the trader picked in the dialog is written.
 */
export type ExportFileChooser = (q: { kind: string; defaultName: string }) => Promise<string | null>

type Request = Params<'journal.exportToFile'>
type Event = EventOf<'journal.exportToFile'>

/**
 * The desktop's exports to a file (the stream journal.exportToFile): the request is checked
 * first (a bad column or zone ends the stream with a validation error before any dialog), then
 * the dialog, then the same writer as the CLI (write-csv.ts: a temporary file renamed when
 * complete). Unsubscribing, or the engine closing, aborts the write at its next chunk.
 */
export function createFileExports(deps: { db: Db; clock: Clock; choose?: ExportFileChooser | undefined }): {
  start(p: Request, sink: StreamSink<Event>): () => void
  close(): void
} {
  const running = new Set<AbortController>()
  return {
    start(p, sink) {
      const choose = deps.choose
      if (!choose)
        throw new AppError(
          'unavailable',
          'Saving an export to a file needs the desktop app; in a browser the export downloads (GET /export/<kind>.csv)',
        )
      const opened = openRequest(deps.db, p)
      const abort = new AbortController()
      running.add(abort)
      const day = new Date(deps.clock.now()).toISOString().slice(0, 10)
      void (async (): Promise<void> => {
        let last: Event | AppErrorShape | null = null
        try {
          sink.emit({ state: 'choosing' })
          const file = await choose({ kind: p.kind, defaultName: `candlework-${p.kind}-${day}.csv` })
          if (abort.signal.aborted) return
          if (!file) {
            last = { state: 'dismissed' }
            return
          }
          sink.emit({ state: 'writing', done: 0, total: opened.total })
          const res = await writeCsvFile({
            file,
            headers: opened.headers,
            lines: opened.lines,
            total: opened.total,
            excel: p.excel,
            signal: abort.signal,
            onProgress: ({ done, total }) => {
              if (!abort.signal.aborted) sink.emit({ state: 'writing', done, total })
            },
          })
          last = { state: 'saved', file: res.file, rows: res.rows, bytes: res.bytes }
        } catch (err) {
          if (abort.signal.aborted) return
          last = {
            kind: 'internal',
            message: `The export failed, nothing was saved: ${err instanceof Error ? err.message : String(err)}`,
          }
        } finally {
          running.delete(abort)
          opened.lines.return?.()
          if (abort.signal.reason === CLOSING) {
            sink.emit({ state: 'cancelled' })
            sink.end()
          } else if (!abort.signal.aborted) {
            if (last && 'state' in last) {
              sink.emit(last)
              sink.end()
            } else sink.end(last ?? undefined)
          }
        }
      })()
      return () => abort.abort()
    },
    close() {
      for (const a of running) a.abort(CLOSING)
      running.clear()
    },
  }
}

const CLOSING = Symbol('engine closing')

/**
 * The export the request names, opened (its count read, nothing written yet): the same options
 * as the headless download. A bad column, account, zone or firing kind is a validation error naming its field.
 */
function openRequest(db: Db, p: Request): OpenExport {
  try {
    const filter: ExportFilter = {}
    if (p.account !== undefined) filter.account = p.account
    if (p.from !== undefined) filter.from = p.from
    if (p.to !== undefined) filter.to = p.to
    if (p.alert !== undefined) filter.alert = p.alert
    if (p.symbol !== undefined) filter.symbol = p.symbol
    if (p.firingKind !== undefined) filter.kind = p.firingKind
    const localTime = p.localTime ? localTimeFormatter(resolveTimeZone(p.localTime)) : undefined
    return EXPORT_KINDS[p.kind].open(db, filter, p.columns.length ? p.columns : undefined, localTime)
  } catch (err) {
    if (err instanceof TimeZoneError)
      throw new AppError('validation', `localTime: ${err.message}`, 'params.localTime')
    if (err instanceof ExportError) {
      // The CLI's flag names the field: --kind is the alert history's firingKind here.
      const flag = /^--(columns|account|alert|symbol|kind)\b/.exec(err.message)?.[1]
      const field = flag === 'kind' ? 'firingKind' : flag
      throw new AppError(
        'validation',
        field ? err.message.replace(/^--[a-z]+/, field) : err.message.replace(/^--/, ''),
        field ? `params.${field}` : undefined,
      )
    }
    throw err
  }
}
