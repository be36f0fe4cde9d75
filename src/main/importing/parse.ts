/**
 * Public face of the candle file reader, used by `import-candles` and the indicators CLI.
 *
 * Reads CSV (comma, semicolon, tab or `|`; quoted fields; BOM; header names in any case, or
 * no header at all for `time,open,high,low,close[,volume]` rows) and JSON (ccxt rows or
 * objects). Times without an offset are UTC; see time-text.ts for every accepted form.
 * Problems with single rows come back as `issues` with 1-based line and column; a file that
 * cannot be used at all throws `CandleFileError`.
 */
import type { Candle } from '../../shared/domain/candles'
import type { RowIssue } from './issues'
import type { ParseOptions } from './options'
import { readCandleFile, readCandleText } from './read-rows'
import type { ReadRows } from './row-order'

export { CandleFileError, formatIssue, type RowIssue } from './issues'
export type { ParseOptions } from './options'

export interface ParseResult {
  /** Bars sorted by time; empty whenever there are issues and `skipBad` is off. */
  candles: Candle[]
  issues: RowIssue[]
  /** Data rows in the file, good or bad. */
  rowsRead: number
  /** No time column (only with `allowMissingTime`): `time` is then the row's 0-based position. */
  timeless: boolean
}

const pick = ({ candles, issues, rowsRead, timeless }: ReadRows): ParseResult => ({
  candles,
  issues,
  rowsRead,
  timeless,
})

export function parseCandleFile(file: string, opts?: ParseOptions): ParseResult {
  return pick(readCandleFile(file, opts))
}

export function parseCandleText(text: string, fileName: string, opts?: ParseOptions): ParseResult {
  return pick(readCandleText(text, fileName, opts))
}
