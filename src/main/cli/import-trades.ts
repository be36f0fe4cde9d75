/**
 * `import-trades --file F --account NAME [--format NAME] [--data-dir D] [--json] [--skip-bad]`
 *
 * Exit codes: 0 imported (duplicates skipped are listed); 1 the file or its rows are bad
 * (nothing written, unless --skip-bad wrote the good rows), the account cannot take imports, or
 * the database failed; 2 usage errors.
 */
import { existsSync } from 'node:fs'
import { ImportAccountError, importAccount } from '../import-trades/account'
import { knownPairs } from '../import-trades/pairs'
import { FORMAT_NAMES, readTradeFile, type FormatName, type TradeFile } from '../import-trades/read-file'
import { buildTradeSummary, tradeRefusalText, tradeSuccessText } from '../import-trades/summary'
import { TradeFileError } from '../import-trades/trade-row'
import { writeTrades } from '../import-trades/write'
import { databaseFile, resolveDataDir } from '../paths'
import { closeDatabase, openDatabase } from '../storage/database'
import { parseFlags, usageError, type CliCommand } from './io'

const USAGE = `Usage: npm run cli -- import-trades --file F --account NAME [options]

  --file F          trade file: Candlework's fills export, Binance's trade history (CSV),
                    ccxt fetchMyTrades (JSON) or Tradervue's generic format (docs/CSV.md)
  --account NAME    the imported account to add the fills to (made if it does not exist)
  --format NAME     ${FORMAT_NAMES.join(', ')} (default: detected from the header)
  --data-dir D      data folder (default: CANDLEWORK_DATA_DIR or the app's folder)
  --skip-bad        import the good rows and list the bad ones (default: import nothing if any row is bad)
  --json            print one JSON summary object instead of text`

const OPTIONS = {
  file: { type: 'string' },
  account: { type: 'string' },
  format: { type: 'string' },
  'data-dir': { type: 'string' },
  'skip-bad': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

export const importTradesCommand: CliCommand = async (argv, io) => {
  const flags = parseFlags('import-trades', USAGE, argv, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const { values } = flags
  const { file, account } = values
  if (!file) return usageError(io, 'import-trades', USAGE, '--file is required')
  if (!account?.trim()) return usageError(io, 'import-trades', USAGE, '--account is required')
  const format = values.format as FormatName | undefined
  if (format !== undefined && !FORMAT_NAMES.includes(format))
    return usageError(
      io,
      'import-trades',
      USAGE,
      `--format "${values.format}" is not one of ${FORMAT_NAMES.join(', ')}`,
    )
  const json = values.json
  const fail = (kind: string, message: string, line?: number, column?: number): number => {
    if (json)
      io.out(JSON.stringify({ file, error: { kind, message, line: line ?? null, column: column ?? null } }))
    else io.err(message)
    return 1
  }
  const dbFile = databaseFile(resolveDataDir(values['data-dir']))

  let read: TradeFile
  try {
    read = readTradeFile(file, {
      ...(format ? { format } : {}),
      context: { knownPairs: knownPairs(storedSymbols(dbFile)) },
    })
  } catch (err) {
    if (!(err instanceof TradeFileError)) throw err
    return fail('validation', `${err.where}: ${err.message}`, err.line, err.column)
  }
  const summaryOf = (rowsWritten: number, accountRef: { id: string; name: string } | null, duplicates = []) =>
    buildTradeSummary({
      file,
      format: read.format,
      account: accountRef,
      rowsRead: read.rowsRead,
      rowsValid: read.rows.length,
      rowsWritten,
      duplicates,
      issues: read.issues,
    })
  if ((read.issues.length > 0 && !values['skip-bad']) || read.rows.length === 0) {
    const s = summaryOf(0, null)
    if (json) io.out(JSON.stringify(s))
    else io.err(tradeRefusalText(s))
    return 1
  }

  // The database is opened only now: a refused import does not even create it.
  try {
    const db = openDatabase(dbFile)
    try {
      // One transaction: a new account appears only with its fills.
      const now = Date.now()
      const { target, written, duplicates } = db.transaction(() => {
        const target = importAccount(db, account.trim(), now)
        return { target, ...writeTrades(db, target.id, read.rows, now, read.trades) }
      })()
      const s = buildTradeSummary({
        file,
        format: read.format,
        account: target,
        rowsRead: read.rowsRead,
        rowsValid: read.rows.length,
        rowsWritten: written,
        duplicates,
        issues: read.issues,
      })
      io.out(json ? JSON.stringify(s) : tradeSuccessText(s))
      return 0
    } finally {
      closeDatabase(db)
    }
  } catch (err) {
    if (err instanceof ImportAccountError) return fail('validation', `import-trades: ${err.message}`)
    return fail('internal', `import-trades: could not write to the database: ${(err as Error).message}`)
  }
}

/** Symbols the data folder knows (stored candles and fills), to split glued pairs; none without a database. */
function storedSymbols(dbFile: string): string[] {
  if (!existsSync(dbFile)) return []
  const db = openDatabase(dbFile)
  try {
    return db
      .prepare<[], { symbol: string }>(
        'SELECT symbol FROM candle_series UNION SELECT symbol FROM trading_fills',
      )
      .all()
      .map((r) => r.symbol)
  } finally {
    closeDatabase(db)
  }
}
