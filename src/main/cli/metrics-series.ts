/**
 * The series the `metrics` command measures: a candle file the importer reads (CSV or JSON;
 * its closes are used), or a two-column CSV of time and value (an equity curve or a price, with
 * or without a header). Problems are reported with file:line:column.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { CandleFileError, formatIssue, parseCandleFile, type RowIssue } from '../importing/parse'
import { detectDelimiter, fieldColumn, splitFields } from '../importing/csv-fields'
import { parseNumberText } from '../importing/number-text'
import { parseTimeText } from '../importing/time-text'

export interface ValueSeries {
  time: Float64Array
  value: Float64Array
}

/** A file that cannot be measured: its problems, each `file:line:column: message`. */
export class SeriesFileError extends Error {
  override readonly name = 'SeriesFileError'
  constructor(readonly lines: string[]) {
    super(lines.join('\n'))
  }
}

/** Problems listed before "... and N more". */
const MAX_ISSUES = 20

export function readValueSeries(file: string): ValueSeries {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new SeriesFileError([
      `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    ])
  }
  if (!/\.json$/i.test(file)) {
    const two = readTwoColumns(text, file)
    if (two !== undefined) return two
  }
  try {
    const parsed = parseCandleFile(file)
    if (parsed.issues.length > 0) throw new SeriesFileError(issueLines(file, parsed.issues))
    const n = parsed.candles.length
    const time = new Float64Array(n)
    const value = new Float64Array(n)
    parsed.candles.forEach((c, i) => {
      time[i] = c.time
      value[i] = c.close
    })
    return { time, value }
  } catch (err) {
    if (err instanceof CandleFileError)
      throw new SeriesFileError([`${err.where}: ${err.message} (or give a two-column time,value file)`])
    throw err
  }
}

function issueLines(file: string, issues: readonly RowIssue[]): string[] {
  const shown = issues.slice(0, MAX_ISSUES).map(formatIssue)
  const more = issues.length - shown.length
  return [
    `${file} has ${issues.length} bad row(s); nothing measured`,
    ...shown,
    ...(more > 0 ? [`... and ${more} more`] : []),
  ]
}

/** Reads `time,value` rows (header optional); undefined when the first line is not two fields. */
function readTwoColumns(text: string, file: string): ValueSeries | undefined {
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  const first = lines.findIndex((l) => l.trim() !== '')
  if (first < 0) throw new SeriesFileError([`${file}: ${basename(file)} is empty`])
  const head = lines[first]!.replace(/\r$/, '')
  const d = detectDelimiter(head)
  if (d === undefined) return undefined
  const headFields = splitFields(head, d)
  if (!Array.isArray(headFields) || headFields.length !== 2) return undefined
  const hasHeader =
    parseTimeText(headFields[0]!) === undefined || parseNumberText(headFields[1]!, d !== ',') === undefined
  const issues: RowIssue[] = []
  const times: number[] = []
  const values: number[] = []
  let prevLine = 0
  for (let i = hasHeader ? first + 1 : first; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '')
    if (line.trim() === '') continue
    const at = (column: number, message: string): void =>
      void issues.push({ file, line: i + 1, column, message })
    const fields = splitFields(line, d)
    if (!Array.isArray(fields)) {
      at(fields.unterminatedQuoteAt, 'quoted field is not closed')
      continue
    }
    if (fields.length !== 2) {
      at(1, `expected 2 fields (time${d}value), found ${fields.length}`)
      continue
    }
    const t = parseTimeText(fields[0]!)
    if (t === undefined) {
      at(
        fieldColumn(line, d, 0),
        `"${fields[0]}" is not a time (ISO 8601 date or date-time, or epoch seconds/ms)`,
      )
      continue
    }
    const v = parseNumberText(fields[1]!, d !== ',')
    if (v === undefined || !(v > 0)) {
      at(
        fieldColumn(line, d, 1),
        v === undefined ? `"${fields[1]}" is not a number` : `value ${v} must be above 0`,
      )
      continue
    }
    if (times.length > 0 && t <= times[times.length - 1]!) {
      at(fieldColumn(line, d, 0), `time ${fields[0]} is not after the previous row's (line ${prevLine})`)
      continue
    }
    times.push(t)
    values.push(v)
    prevLine = i + 1
  }
  if (issues.length > 0) throw new SeriesFileError(issueLines(file, issues))
  if (times.length === 0) throw new SeriesFileError([`${file}: ${basename(file)} has no data rows`])
  return { time: Float64Array.from(times), value: Float64Array.from(values) }
}

/** The two series on their common times (both sorted): the values of each at those times. */
export function alignOnCommonTimes(
  a: ValueSeries,
  b: ValueSeries,
): { time: Float64Array; a: Float64Array; b: Float64Array } {
  const time: number[] = []
  const va: number[] = []
  const vb: number[] = []
  let j = 0
  for (let i = 0; i < a.time.length; i++) {
    const t = a.time[i]!
    while (j < b.time.length && b.time[j]! < t) j++
    if (j < b.time.length && b.time[j] === t) {
      time.push(t)
      va.push(a.value[i]!)
      vb.push(b.value[j]!)
    }
  }
  return { time: Float64Array.from(time), a: Float64Array.from(va), b: Float64Array.from(vb) }
}
