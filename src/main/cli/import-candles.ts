/**
 * `import-candles --file F --symbol S --timeframe TF [--source NAME] [--data-dir D] [--json] [--skip-bad]`
 *
 * Exit codes: 0 imported; 1 the file or its data is bad (nothing written, unless --skip-bad
 * wrote the good rows) or the database failed; 2 usage errors.
 */
import { TIMEFRAMES, timeframeSchema } from '../../shared/domain/timeframes'
import { prepareImport, writeImport, type PreparedImport } from '../importing/import-file'
import { CandleFileError } from '../importing/issues'
import { buildSummary, refusalText, successText } from '../importing/summary'
import { databaseFile, resolveDataDir } from '../paths'
import { closeDatabase, openDatabase } from '../storage/database'
import { parseFlags, usageError, type CliCommand } from './io'

const USAGE = `Usage: npm run cli -- import-candles --file F --symbol S --timeframe TF [options]

  --file F          CSV or JSON candle file
  --symbol S        market symbol to store the bars under, e.g. BTC/USDT or GOOG
  --timeframe TF    bar length of the file: ${TIMEFRAMES.join(', ')} (1M = calendar month)
  --source NAME     where the data came from (default: import)
  --data-dir D      data folder (default: CANDLEWORK_DATA_DIR or the app's folder)
  --skip-bad        import the good rows and list the bad ones (default: import nothing if any row is bad)
  --json            print one JSON summary object instead of text`

const OPTIONS = {
  file: { type: 'string' },
  symbol: { type: 'string' },
  timeframe: { type: 'string' },
  source: { type: 'string', default: 'import' },
  'data-dir': { type: 'string' },
  'skip-bad': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

/** Symbols and sources are keys, shown in lists and typed in commands: no spaces, not too long. */
const NAME = /^\S{1,64}$/

export const importCandlesCommand: CliCommand = async (argv, io) => {
  const flags = parseFlags('import-candles', USAGE, argv, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const { values } = flags
  const { file, symbol, timeframe: tfText, source } = values
  if (!file) return usageError(io, 'import-candles', USAGE, '--file is required')
  if (!symbol) return usageError(io, 'import-candles', USAGE, '--symbol is required')
  if (!tfText) return usageError(io, 'import-candles', USAGE, '--timeframe is required')
  const tf = timeframeSchema.safeParse(tfText)
  if (!tf.success)
    return usageError(
      io,
      'import-candles',
      USAGE,
      `--timeframe "${tfText}" is not one of ${TIMEFRAMES.join(', ')}`,
    )
  if (!NAME.test(symbol))
    return usageError(
      io,
      'import-candles',
      USAGE,
      `--symbol "${symbol}" must be 1 to 64 characters without spaces`,
    )
  if (!NAME.test(source))
    return usageError(
      io,
      'import-candles',
      USAGE,
      `--source "${source}" must be 1 to 64 characters without spaces`,
    )
  const json = values.json

  let prepared: PreparedImport
  try {
    prepared = prepareImport({ file, symbol, timeframe: tf.data, source, skipBad: values['skip-bad'] })
  } catch (err) {
    if (!(err instanceof CandleFileError)) throw err
    if (json) {
      const error = {
        kind: 'validation',
        message: err.message,
        line: err.line ?? null,
        column: err.column ?? null,
      }
      io.out(JSON.stringify({ file, error }))
    } else io.err(`${err.where}: ${err.message}`)
    return 1
  }

  if (prepared.refused) {
    const summary = buildSummary(prepared, 0)
    if (json) io.out(JSON.stringify(summary))
    else io.err(refusalText(summary))
    return 1
  }

  // The database is opened only now: a refused import does not even create it.
  let written: number
  try {
    const db = openDatabase(databaseFile(resolveDataDir(values['data-dir'])))
    try {
      written = writeImport(db, prepared)
    } finally {
      closeDatabase(db)
    }
  } catch (err) {
    const message = `could not write to the database: ${(err as Error).message}`
    if (json) io.out(JSON.stringify({ file, error: { kind: 'internal', message } }))
    else io.err(`import-candles: ${message}`)
    return 1
  }
  const summary = buildSummary(prepared, written)
  io.out(json ? JSON.stringify(summary) : successText(summary))
  return 0
}
