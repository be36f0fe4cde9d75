import { AppError } from '../../shared/contract/errors'
import {
  IMPORT_MAX_BYTES,
  type ImportSummary,
  type journalFilesContract,
} from '../../shared/contract/journal-files'
import type { Clock } from '../clock'
import type { Domain } from '../domain'
import { EXPORT_KINDS } from '../export/kinds'
import { findImportAccount, ImportAccountError, importAccount } from '../import-trades/account'
import { dedupe } from '../import-trades/dedupe'
import { knownPairs } from '../import-trades/pairs'
import { readTradeBytes, type TradeFile } from '../import-trades/read-file'
import { TradeFileError } from '../import-trades/trade-row'
import { storedKeys, writeTrades } from '../import-trades/write'
import type { Db } from '../storage/database'
import type { Journal } from '../journal/journal'
import { createFileExports, type ExportFileChooser } from './save-export'

/** How long an upload is kept after its last chunk, and how many may be under way at once. */
const UPLOAD_TTL_MS = 10 * 60_000
const MAX_UPLOADS = 4
/** Lists in a summary are cut at this many (the counts say how many there are). */
const MAX_LISTED = 50

interface Upload {
  chunks: string[]
  bytes: number
  touched: number
}

/**
 * The Journal view's export columns, the desktop's export to a file (save-export.ts), and its
 * import (docs/CSV.md): a file arrives in chunks
 * (journal.importChunk), is previewed (what would be written, duplicates, bad rows with line and
 * column; nothing written), then committed through the same reader and writer as
 * `npm run cli -- import-trades`; the journal builds the new trades at once.
 */
export function createJournalFilesDomain(deps: {
  db: Db
  clock: Clock
  journal: Journal
  /** The desktop's save dialog; without it (headless host) journal.exportToFile is unavailable. */
  chooseExportFile?: ExportFileChooser | undefined
}): Domain<typeof journalFilesContract> {
  const files = createFileExports({ db: deps.db, clock: deps.clock, choose: deps.chooseExportFile })
  const uploads = new Map<string, Upload>()
  const sweep = (): void => {
    const now = deps.clock.now()
    for (const [id, u] of uploads) if (now - u.touched > UPLOAD_TTL_MS) uploads.delete(id)
  }
  const fileOf = (uploadId: string): Buffer => {
    sweep()
    const u = uploads.get(uploadId)
    if (!u)
      throw new AppError(
        'not_found',
        'No upload under this id (sent, and less than 10 minutes ago?)',
        'params.uploadId',
      )
    return Buffer.from(u.chunks.join(''), 'utf8')
  }
  const read = (p: {
    uploadId: string
    fileName: string
    format?: TradeFile['format'] | undefined
  }): TradeFile => {
    const symbols = deps.db
      .prepare<[], { symbol: string }>(
        'SELECT symbol FROM candle_series UNION SELECT symbol FROM trading_fills',
      )
      .all()
      .map((r) => r.symbol)
    try {
      return readTradeBytes(p.fileName, fileOf(p.uploadId), {
        ...(p.format ? { format: p.format } : {}),
        context: { knownPairs: knownPairs(symbols) },
      })
    } catch (err) {
      if (err instanceof TradeFileError)
        throw new AppError('validation', `${err.where}: ${err.message}`, 'params.uploadId')
      throw err
    }
  }
  const account = (name: string) => {
    try {
      return findImportAccount(deps.db, name)
    } catch (err) {
      if (err instanceof ImportAccountError) throw new AppError('validation', err.message, 'params.account')
      throw err
    }
  }
  const summary = (
    file: TradeFile,
    p: { fileName: string; account: string },
    target: { id: string; name: string } | null,
    exists: boolean,
    rowsToWrite: number,
    duplicates: ImportSummary['duplicates'],
    written: boolean,
  ): ImportSummary => ({
    file: p.fileName,
    format: file.format,
    account: { id: target?.id ?? null, name: target?.name ?? p.account, exists },
    rowsRead: file.rowsRead,
    rowsValid: file.rows.length,
    rowsToWrite,
    trades: file.trades?.length ?? 0,
    duplicates: duplicates.slice(0, MAX_LISTED),
    duplicateCount: duplicates.length,
    issues: file.issues.slice(0, MAX_LISTED).map((i) => ({
      line: i.line,
      column: i.column,
      field: i.field ?? null,
      message: i.message,
    })),
    issueCount: file.issues.length,
    written,
  })
  const handlers: Domain<typeof journalFilesContract>['handlers'] = {
    'journal.exportColumns': () => ({
      trades: [...EXPORT_KINDS.trades.columns],
      fills: [...EXPORT_KINDS.fills.columns],
      orders: [...EXPORT_KINDS.orders.columns],
    }),
    'journal.exportToFile': (p, sink) => files.start(p, sink),
    'journal.importChunk': ({ uploadId, seq, data }) => {
      sweep()
      let u = uploads.get(uploadId)
      if (seq === 0) {
        if (!u && uploads.size >= MAX_UPLOADS)
          throw new AppError(
            'validation',
            `At most ${MAX_UPLOADS} uploads at a time; wait a few minutes`,
            'params.uploadId',
          )
        u = { chunks: [], bytes: 0, touched: 0 }
        uploads.set(uploadId, u)
      }
      if (!u) throw new AppError('not_found', 'No upload under this id: start with seq 0', 'params.uploadId')
      if (seq !== u.chunks.length)
        throw new AppError('validation', `expected chunk ${u.chunks.length}, got ${seq}`, 'params.seq')
      const bytes = u.bytes + Buffer.byteLength(data, 'utf8')
      if (bytes > IMPORT_MAX_BYTES) {
        uploads.delete(uploadId)
        throw new AppError(
          'validation',
          `The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MiB; import it with npm run cli -- import-trades`,
          'params.data',
        )
      }
      u.chunks.push(data)
      u.bytes = bytes
      u.touched = deps.clock.now()
      return { bytes }
    },
    'journal.importPreview': (p) => {
      const file = read(p)
      const target = account(p.account)
      const { fresh, duplicates } = dedupe(
        file.rows,
        target ? storedKeys(deps.db, target.id) : { ids: new Set(), fills: new Set() },
      )
      return summary(file, p, target, target !== null, fresh.length, duplicates, false)
    },
    'journal.importCommit': (p) => {
      const file = read(p)
      if ((file.issues.length > 0 && !p.skipBad) || file.rows.length === 0) {
        const target = account(p.account)
        return summary(file, p, target, target !== null, 0, [], false)
      }
      const now = deps.clock.now()
      let result
      try {
        result = deps.db.transaction(() => {
          const target = importAccount(deps.db, p.account, now)
          return { target, ...writeTrades(deps.db, target.id, file.rows, now, file.trades) }
        })()
      } catch (err) {
        if (err instanceof ImportAccountError) throw new AppError('validation', err.message, 'params.account')
        throw err
      }
      uploads.delete(p.uploadId)
      deps.journal.afterImport()
      return summary(file, p, result.target, true, result.written, result.duplicates, true)
    },
  }
  return { name: 'journal-files', handlers, close: () => files.close() }
}
