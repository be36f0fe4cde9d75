/**
 * `export fills|orders|trades|alerts --out F.csv [--account A] [--from T] [--to T] [--columns a,b]
 *  [--alert A] [--symbol S] [--kind K] [--excel] [--local-time ZONE] [--data-dir D] [--json]`
 *
 * Exit codes: 0 written; 1 the export failed (nothing written under --out); 2 usage errors
 * (unknown kind, column, account, bad date); 130 cancelled (Ctrl-C; nothing written).
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { ExportError } from '../export/columns'
import { EXPORT_KINDS, type ExportKindName } from '../export/kinds'
import type { ExportFilter } from '../export/sources'
import { localTimeFormatter, resolveTimeZone, TimeZoneError } from '../export/local-time'
import { writeCsvFile } from '../export/write-csv'
import { parseTimeText } from '../importing/time-text'
import { databaseFile, resolveDataDir } from '../paths'
import { closeDatabase, openDatabase } from '../storage/database'
import { parseFlags, usageError, type CliCommand } from './io'

const KINDS = ['fills', 'orders', 'trades', 'alerts'] as const

const USAGE = `Usage: npm run cli -- export fills|orders|trades|alerts --out F.csv [options]

  --out F            the CSV file to write (appears only when complete)
  --account A        one account, by id or name (default: all; not for alerts)
  --alert A          alerts: one alert's firings, by id or name
  --symbol S         alerts: firings about this symbol (BTC/USDT)
  --kind K           alerts: what fired them (compare, order, job, backup_failed, ...; docs/CSV.md)
  --from T           from this time on (inclusive), e.g. 2024-03-01 or 2024-03-01T09:30:00Z
  --to T             before this time; a date alone includes that whole day (UTC)
  --columns a,b,...  the columns to write, in this order (default: the default set; docs/CSV.md)
  --excel            start the file with a UTF-8 byte order mark, for Excel
  --local-time ZONE  add <column>_local after each time column (IANA zone, or "local")
  --data-dir D       data folder (default: CANDLEWORK_DATA_DIR or the app's folder)
  --json             print one JSON summary object instead of text`

const OPTIONS = {
  out: { type: 'string' },
  account: { type: 'string' },
  alert: { type: 'string' },
  symbol: { type: 'string' },
  kind: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  columns: { type: 'string' },
  excel: { type: 'boolean', default: false },
  'local-time': { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const DAY = 86_400_000

/** ms of a --from/--to value; a date alone in --to means the end of that day. */
function timeFlag(flag: 'from' | 'to', text: string): number {
  const ms = parseTimeText(text)
  if (ms === undefined) {
    throw new ExportError(
      `--${flag} "${text}" is not a date or time (use 2024-03-01, 2024-03-01 09:30 or 2024-03-01T09:30:00Z; times are UTC unless they carry an offset)`,
    )
  }
  return flag === 'to' && DATE_ONLY.test(text.trim()) ? ms + DAY : ms
}

export const exportCommand: CliCommand = async (argv, io) => {
  const [kind, ...rest] = argv
  if (kind === '--help' || kind === '-h') {
    io.out(USAGE)
    return 0
  }
  if (!kind || !(KINDS as readonly string[]).includes(kind)) {
    return usageError(
      io,
      'export',
      USAGE,
      kind ? `"${kind}" is not one of ${KINDS.join(', ')}` : 'say what to export',
    )
  }
  const flags = parseFlags('export', USAGE, rest, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const { values } = flags
  if (!values.out) return usageError(io, 'export', USAGE, '--out is required')
  const out = resolve(values.out)
  const spec = EXPORT_KINDS[kind as ExportKindName]

  let filter: ExportFilter
  let localTime: ((ms: number) => string) | undefined
  let columns: string[] | undefined
  try {
    // Each filter flag belongs to the kinds whose rows have it: said, rather than ignored.
    const alertFlags = (['alert', 'symbol', 'kind'] as const).filter((f) => values[f] !== undefined)
    if (kind !== 'alerts' && alertFlags.length > 0)
      throw new ExportError(`--${alertFlags[0]} is for export alerts only`)
    if (kind === 'alerts' && values.account !== undefined)
      throw new ExportError('--account does not apply to alerts (use --alert, --symbol or --kind)')
    filter = {
      ...(values.account !== undefined ? { account: values.account } : {}),
      ...(values.alert !== undefined ? { alert: values.alert } : {}),
      ...(values.symbol !== undefined ? { symbol: values.symbol } : {}),
      ...(values.kind !== undefined ? { kind: values.kind } : {}),
      ...(values.from !== undefined ? { from: timeFlag('from', values.from) } : {}),
      ...(values.to !== undefined ? { to: timeFlag('to', values.to) } : {}),
    }
    if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to)
      throw new ExportError(`--from ${values.from} is not before --to ${values.to}`)
    if (values['local-time'] !== undefined)
      localTime = localTimeFormatter(resolveTimeZone(values['local-time']))
    columns = values.columns?.split(',').map((c) => c.trim())
    // Checks the column names before anything is opened.
    spec.headers(columns, localTime)
  } catch (err) {
    if (err instanceof ExportError) return usageError(io, 'export', USAGE, err.message)
    if (err instanceof TimeZoneError) return usageError(io, 'export', USAGE, `--local-time: ${err.message}`)
    throw err
  }

  const dbFile = databaseFile(resolveDataDir(values['data-dir']))
  if (!existsSync(dbFile)) {
    io.err(`export: there is no database at ${dbFile} (wrong --data-dir?); nothing was written`)
    return 1
  }
  const abort = new AbortController()
  const onSigint = (): void => abort.abort(new Error('cancelled'))
  process.once('SIGINT', onSigint)
  const db = openDatabase(dbFile)
  try {
    const opened = spec.open(db, filter, columns, localTime)
    let lastShown = performance.now()
    const result = await writeCsvFile({
      file: out,
      headers: opened.headers,
      lines: opened.lines,
      total: opened.total,
      excel: values.excel,
      signal: abort.signal,
      onProgress: ({ done, total }) => {
        const now = performance.now()
        if (values.json || now - lastShown < 1000 || done >= total) return
        lastShown = now
        io.err(`export: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${kind} written`)
      },
    })
    const summary = {
      kind,
      file: result.file,
      rows: result.rows,
      bytes: result.bytes,
      columns: opened.headers,
    }
    io.out(
      values.json
        ? JSON.stringify(summary)
        : `Exported ${result.rows.toLocaleString('en-US')} ${kind} to ${result.file} (${opened.headers.length} columns).`,
    )
    return 0
  } catch (err) {
    if (err instanceof ExportError) return usageError(io, 'export', USAGE, err.message)
    if (abort.signal.aborted) {
      io.err(`export: cancelled; nothing was written to ${out}`)
      return 130
    }
    io.err(`export: ${(err as Error).message}; nothing was written to ${out}`)
    return 1
  } finally {
    process.off('SIGINT', onSigint)
    closeDatabase(db)
  }
}
