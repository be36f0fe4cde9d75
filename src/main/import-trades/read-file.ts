import { readFileSync } from 'node:fs'
import { detectDelimiter } from '../importing/csv-fields'
import type { RowIssue } from '../importing/issues'
import { fieldPosition, readCsvRecords } from './csv-records'
import { binanceFormat } from './formats/binance'
import { candleworkFormat } from './formats/candlework'
import { candleworkTradesFormat } from './formats/candlework-trades'
import { readCcxtJson } from './formats/ccxt-json'
import { normalise, type CsvFormat, type ReadContext } from './formats/format'
import { tradervueFormat } from './formats/tradervue'
import { TradeFileError, type ImportedTrade, type TradeRow } from './trade-row'

/** The formats, in the order detection tries them (the most specific header first). */
const CSV_FORMATS: readonly CsvFormat[] = [
  candleworkTradesFormat,
  candleworkFormat,
  binanceFormat,
  tradervueFormat,
]
export const FORMAT_NAMES = ['candlework', 'candlework-trades', 'binance', 'ccxt', 'tradervue'] as const
export type FormatName = (typeof FORMAT_NAMES)[number]

export interface TradeFile {
  format: FormatName
  rows: TradeRow[]
  /** A trades file's trades: the edits and facts to write beside their fills (empty for other formats). */
  trades?: ImportedTrade[]
  /** Rows that could not be read, in file order, with line and column. */
  issues: RowIssue[]
  rowsRead: number
}

/**
 * Reads a trade file: ccxt JSON (an array) or CSV in one of the CSV formats, detected from the
 * header unless `format` names it. Throws TradeFileError when the file cannot be used at all;
 * row problems are collected as issues.
 */
export function readTradeFile(
  file: string,
  opts: { format?: FormatName; context?: ReadContext } = {},
): TradeFile {
  let buf: Buffer
  try {
    buf = readFileSync(file)
  } catch (err) {
    throw new TradeFileError(
      file,
      `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    )
  }
  return readTradeBytes(file, buf, opts)
}

/** Reads a trade file's bytes (`file` names it in messages): as readTradeFile, from memory. */
export function readTradeBytes(
  file: string,
  buf: Buffer,
  opts: { format?: FormatName; context?: ReadContext } = {},
): TradeFile {
  if (buf.subarray(0, 8192).includes(0))
    throw new TradeFileError(file, 'this is a binary file, not CSV or JSON (save a spreadsheet as CSV first)')
  let text = buf.toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') throw new TradeFileError(file, 'the file is empty')
  const json = text.trimStart().startsWith('[') || text.trimStart().startsWith('{')
  if (opts.format === 'ccxt' || (opts.format === undefined && json))
    return { format: 'ccxt', ...readCcxtJson(file, text) }
  return readCsv(file, text, opts.format, opts.context ?? {})
}

function readCsv(file: string, text: string, forced: FormatName | undefined, ctx: ReadContext): TradeFile {
  const firstLine = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'))
  const delimiter = detectDelimiter(firstLine) ?? ','
  const read = readCsvRecords(text, delimiter)
  if (!read.ok) throw new TradeFileError(file, read.message, read.line, read.column)
  const [header, ...records] = read.records
  if (!header) throw new TradeFileError(file, 'the file is empty')
  const names = header.fields.map(normalise)
  const format = forced
    ? CSV_FORMATS.find((f) => f.name === forced)
    : CSV_FORMATS.find((f) => f.detect(names))
  if (!format) {
    throw new TradeFileError(
      file,
      `the header (${header.fields.join(', ')}) is not one of the formats read: Candlework's export of fills (time, symbol, side, amount, price, trade_id, ...) or trades (entry_time, symbol, ..., fills), ` +
        "Binance's trade history (Date(UTC), Pair, Side, Price, Executed, Amount, Fee), Tradervue's generic format " +
        '(Date, Time, Symbol, Quantity, Price, Side, Commission); or name it with --format',
      header.line,
      1,
    )
  }
  let readRow: ReturnType<CsvFormat['reader']>
  try {
    readRow = format.reader(names, ctx)
  } catch (err) {
    throw new TradeFileError(file, (err as Error).message, header.line, 1)
  }
  if (records.length === 0) throw new TradeFileError(file, 'the file has a header but no rows', header.line)
  const rows: TradeRow[] = []
  const trades: ImportedTrade[] = []
  const issues: RowIssue[] = []
  const width = header.fields.length
  for (const r of records) {
    if (r.fields.length !== width) {
      const at = fieldPosition(r, delimiter, Math.min(r.fields.length, width))
      issues.push({
        file,
        ...at,
        message: `expected ${width} fields as in the header, found ${r.fields.length}`,
      })
      continue
    }
    const res = readRow(r.fields, r.line)
    if ('message' in res) {
      issues.push({
        file,
        ...fieldPosition(r, delimiter, res.field),
        field: header.fields[res.field],
        message: res.message,
      })
    } else if ('rows' in res) {
      rows.push(...res.rows)
      trades.push(res.trade)
    } else rows.push(res)
  }
  return { format: format.name as FormatName, rows, trades, issues, rowsRead: records.length }
}
