import { basename, resolve } from 'node:path'
import type { Candle, Gap } from '../../shared/domain/candles'
import { findGaps, guessCalendar, type MarketCalendar } from '../market/aggregate'
import type { Db } from '../storage/database'
import { upsertCandles, type SeriesKey } from '../storage/candle-store'
import type { RowIssue } from './issues'
import { readCandleFile } from './read-rows'
import { fitToTimeframe } from './timeframe-fit'

export interface ImportRequest extends SeriesKey {
  /** The file as the user named it; issues quote it this way. */
  file: string
  /** Write the good rows even if some are bad (the bad ones are listed). */
  skipBad: boolean
}

/** A file read, checked and put on the timeframe's grid, not yet written. */
export interface PreparedImport {
  request: ImportRequest
  rowsRead: number
  /** The bars that would be written (the good ones); written only if `!refused`. */
  candles: Candle[]
  issues: RowIssue[]
  normalisedRows: number
  calendar: MarketCalendar
  gaps: Gap[]
  /** True when the file has issues and skipBad is off, or no good rows: nothing may be written. */
  refused: boolean
}

/**
 * Reads and checks a candle file for `request` without touching the database. Throws
 * CandleFileError when the file cannot be used at all. The file is read keeping good rows
 * so a refusal can say how many there are; `refused` is the single place that decides.
 */
export function prepareImport(request: ImportRequest): PreparedImport {
  const rows = readCandleFile(request.file, { skipBad: true })
  const fitted = fitToTimeframe(rows, request.timeframe, request.file, true)
  const times = fitted.candles.map((c) => c.time)
  const calendar = guessCalendar(times, request.timeframe)
  return {
    request,
    rowsRead: rows.rowsRead,
    candles: fitted.candles,
    issues: fitted.issues,
    normalisedRows: fitted.normalisedRows,
    calendar,
    gaps: findGaps(times, request.timeframe, calendar),
    // Nothing usable is a refusal even with skipBad: an empty series helps nobody.
    refused: fitted.candles.length === 0 || (fitted.issues.length > 0 && !request.skipBad),
  }
}

/** Writes a prepared import in one transaction (all or nothing); returns the bars written. */
export function writeImport(db: Db, prepared: PreparedImport): number {
  if (prepared.refused) throw new Error('refusing to write an import that has issues without skipBad')
  const { source, symbol, timeframe, file } = prepared.request
  return upsertCandles(db, { source, symbol, timeframe }, prepared.candles, {
    label: basename(file),
    importedFrom: resolve(file),
  })
}
