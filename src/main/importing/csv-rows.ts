import { basename } from 'node:path'
import type { Candle } from '../../shared/domain/candles'
import { hasTime, mapRoles, missingPrices, type RoleMap } from './column-roles'
import { detectDelimiter, fieldColumn, splitFields, type Delimiter } from './csv-fields'
import { CandleFileError, type RowIssue } from './issues'
import { parseNumberText } from './number-text'
import { EXPECTED_COLUMNS, noTimeMessage, type ParseOptions } from './options'
import { barProblems, type SourceRows } from './source-rows'
import { parseTimeText } from './time-text'

interface Layout {
  delimiter: Delimiter
  roles: RoleMap<number>
  names: string[]
  /** Index into the line array of the first data line. */
  firstData: number
  /** 1-based line of the header, or undefined for a headerless file. */
  headerLine: number | undefined
}

const TIME_HINT =
  'expected e.g. 2004-08-19, 2017-04-19 09:00:00, 2017-04-19T09:00:00Z, epoch seconds or milliseconds'

/** Reads delimited text (BOM already removed) into bars and row issues. */
export function readCsvRows(text: string, file: string, opts: ParseOptions): SourceRows {
  const lines = text.split('\n')
  const layout = findLayout(lines, file)
  const { delimiter: d, roles, names } = layout
  const timeless = !hasTime(roles)
  if (timeless && !opts.allowMissingTime) {
    throw new CandleFileError(file, noTimeMessage(basename(file), names), layout.headerLine, 1)
  }
  const decimalComma = d !== ','
  const width = names.length
  const timeAt = roles.time ?? roles.date ?? 0
  // open, high, low, close, volume; -1 = no volume column (the file has no volumes: 0).
  const priceAt = [roles.open!, roles.high!, roles.low!, roles.close!, roles.volume ?? -1]
  const values = [0, 0, 0, 0, 0]
  const bars: Candle[] = []
  const refs: number[] = []
  const issues: RowIssue[] = []
  let rowsRead = 0

  for (let i = layout.firstData; i < lines.length; i++) {
    const line = stripCr(lines[i]!)
    if (isBlank(line)) continue
    rowsRead++
    const at = { file, line: i + 1, text: line, d, names, issues }
    const fields = splitFields(line, d)
    if (!Array.isArray(fields)) {
      issues.push({
        file,
        line: i + 1,
        column: fields.unterminatedQuoteAt,
        message: 'quoted field is not closed',
      })
      continue
    }
    if (fields.length !== width) {
      const where =
        layout.headerLine === undefined
          ? 'as in the first line'
          : `as in the header (line ${layout.headerLine})`
      issue(
        at,
        Math.min(fields.length, width),
        `expected ${width} fields ${where}, found ${fields.length}`,
        false,
      )
      continue
    }
    let ok = true
    let time = rowsRead - 1
    if (!timeless) {
      const raw = roles.time !== undefined ? fields[timeAt]! : `${fields[timeAt]} ${fields[roles.clock!]}`
      const t = parseTimeText(raw)
      if (t === undefined) {
        issue(at, timeAt, `unparseable date "${raw}" (${TIME_HINT})`)
        ok = false
      } else time = t
    }
    for (let k = 0; k < 5; k++) {
      const col = priceAt[k]!
      if (col < 0) {
        values[k] = 0
        continue
      }
      const raw = fields[col]!
      const n = parseNumberText(raw, decimalComma)
      if (n === undefined) {
        issue(at, col, raw === '' ? `${names[col]} is empty` : `unparseable number "${raw}" in ${names[col]}`)
        ok = false
      } else values[k] = n
    }
    if (!ok) continue
    const [open, high, low, close, volume] = values as [number, number, number, number, number]
    const problems = barProblems(open, high, low, close, volume)
    if (problems) {
      for (const p of problems) issue(at, roles[p.role]!, p.message)
      continue
    }
    bars.push({ time, open, high, low, close, volume })
    refs.push(i)
  }

  if (rowsRead === 0) {
    const what =
      layout.headerLine === undefined ? 'rows' : `data rows after the header (line ${layout.headerLine})`
    throw new CandleFileError(file, `${basename(file)} has no ${what}`, layout.headerLine, 1)
  }
  return {
    bars,
    refs,
    issues,
    rowsRead,
    timeless,
    locateTime: (ref) => ({ line: ref + 1, column: fieldColumn(stripCr(lines[ref] ?? ''), d, timeAt) }),
  }
}

interface RowAt {
  file: string
  line: number
  text: string
  d: Delimiter
  names: readonly string[]
  issues: RowIssue[]
}

/** Records a problem with field `index` of a row; the column is worked out only now. */
function issue(at: RowAt, index: number, message: string, named = true): void {
  const field = named ? at.names[index] : undefined
  at.issues.push({
    file: at.file,
    line: at.line,
    column: fieldColumn(at.text, at.d, index),
    ...(field ? { field } : {}),
    message,
  })
}

/** Finds the delimiter and which column holds what, from the header (or a headerless first row). */
function findLayout(lines: readonly string[], file: string): Layout {
  const first = lines.findIndex((l) => !isBlank(stripCr(l)))
  if (first < 0) throw new CandleFileError(file, `${basename(file)} is empty`)
  const line = stripCr(lines[first]!)
  const lineNo = first + 1
  const d = detectDelimiter(line)
  if (!d) {
    throw new CandleFileError(
      file,
      `no recognisable columns: line ${lineNo} has no comma, semicolon, tab or | separator (${EXPECTED_COLUMNS})`,
      lineNo,
      1,
    )
  }
  const fields = splitFields(line, d)
  if (!Array.isArray(fields))
    throw new CandleFileError(file, 'quoted field is not closed', lineNo, fields.unterminatedQuoteAt)
  const { roles, conflict } = mapRoles(
    fields.map((name, i) => [i, name] as const),
    true,
  )
  if (conflict) {
    throw new CandleFileError(
      file,
      `columns "${conflict.first}" and "${conflict.second}" both look like ${conflict.role}; rename one`,
      lineNo,
      1,
    )
  }
  const missing = missingPrices(roles)
  if (missing.length === 0)
    return { delimiter: d, roles, names: fields, firstData: first + 1, headerLine: lineNo }
  if (missing.length === 4 && !hasTime(roles) && looksLikeBareRow(fields, d)) {
    // No header: time, open, high, low, close[, volume], as MetaTrader and many scripts write.
    const names = ['time', 'open', 'high', 'low', 'close', 'volume'].slice(0, fields.length)
    const bare: RoleMap<number> = { time: 0, open: 1, high: 2, low: 3, close: 4 }
    if (fields.length === 6) bare.volume = 5
    return { delimiter: d, roles: bare, names, firstData: first, headerLine: undefined }
  }
  const found = fields.map((f) => f || '(unnamed)').join(', ')
  const what = missing.length === 4 ? 'no recognisable columns' : `missing column(s) ${missing.join(', ')}`
  throw new CandleFileError(
    file,
    `${what} in line ${lineNo} (found: ${found}); ${EXPECTED_COLUMNS}`,
    lineNo,
    1,
  )
}

function looksLikeBareRow(fields: readonly string[], d: Delimiter): boolean {
  if (fields.length !== 5 && fields.length !== 6) return false
  if (parseTimeText(fields[0]!) === undefined) return false
  return fields.slice(1).every((f) => parseNumberText(f, d !== ',') !== undefined)
}

const stripCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line)
const isBlank = (line: string): boolean => line.length === 0 || line.trim().length === 0
