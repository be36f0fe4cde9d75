import { DECIMAL_TEXT } from '../../shared/decimal/decimal'
import { csvField, guardText } from './csv-text'
import { isoTimeFormatter } from './iso-time'

/**
 * Column definitions for an export: a stable, documented name (docs/CSV.md lists them), what the
 * cell holds, whether it is in the default set, and the SQL that reads it.
 *
 * Kinds decide how a value is written:
 * - `text`: guarded against formula injection (`guardText`) and quoted as needed;
 * - `decimal`: canonical decimal text as stored (src/shared/decimal), written as it is: full
 *   precision, `.` as the point, no thousands separators, no exponent. A stored value that is
 *   somehow not decimal text is written as text, guarded, never as a formula;
 * - `time`: ms since the epoch, written as ISO 8601 UTC with milliseconds
 *   (`2024-03-31T01:30:00.000Z`); with a local time zone chosen, a `<name>_local` column follows;
 * - `integer`: a whole number; `boolean`: `true` or `false` (SQLite's 1 or 0).
 * A null value is an empty cell.
 */
export type ColumnKind = 'text' | 'decimal' | 'time' | 'integer' | 'boolean'

export type CellValue = string | number | boolean | null

export interface Column {
  name: string
  kind: ColumnKind
  description: string
  /** In the set written when the trader picks none. */
  default: boolean
  /**
   * The SQL expression that reads the value in the kind's query (`t` is the kind's table, `a`
   * its account). Rows are read as arrays of these values, never as objects: a million row
   * objects cost more than the rest of the export together.
   */
  sql: string
  /** Turns the value read into the cell's value, when SQL cannot say it simply. */
  derive?: (value: CellValue) => CellValue
  /**
   * How the cell-by-cell writer (`exactLine`) writes the value instead of by its kind: for a value
   * SQL reads in a form the fast path takes only when it is already plain (a number's JSON text,
   * `1.5e-7`, written as `0.00000015`).
   */
  exactCell?: (value: unknown) => string
  /** The SQL yields the finished cell (guarded and quoted as needed): written as it is. */
  csv?: true
}

/** A bad export request, naming what is wrong and where (a flag, a column's position). */
export class ExportError extends Error {
  override readonly name = 'ExportError'
}

export interface RowWriter {
  headers: string[]
  /**
   * What the fast path reads per row: single values, and runs of adjacent text and decimal
   * columns that SQLite joins with commas into one text (`ifnull(a,'') || ',' || ...`). A million
   * rows of a dozen strings each cost more to bring into JavaScript than to format; one joined
   * string per run costs a fraction. Text and decimal SQL must yield TEXT or NULL (as stored).
   */
  selects: string[]
  /**
   * The CSV line (no line ending) of a row of `selects`' values, or undefined when a joined run
   * holds a cell that is not plainly safe as it is (a quote, comma or line break, a leading
   * `= + - @ '`, tab or CR, or a decimal column holding something else): such a row is written
   * by `exactLine` from its own values instead.
   */
  line: (row: readonly unknown[]) => string | undefined
  /** Every chosen column's own SQL, each once: what `exactLine` reads. */
  exactSelects: string[]
  /** The CSV line of a row of `exactSelects`' values, each cell written by its kind's rules. */
  exactLine: (row: readonly unknown[]) => string
}

/** A joined run's cells as the exact writer would leave them unchanged, per kind. */
const PLAIN: Partial<Record<ColumnKind, string>> = {
  text: `(?:[^",\\r\\n=+\\-@\\t'][^",\\r\\n]*)?`,
  decimal: `(?:${DECIMAL_TEXT.source.slice(1, -1)})?`,
}

/**
 * The columns to write: `names` in the trader's order, or the default set. Unknown or repeated
 * names are refused with their position in the list. `localTime` formats ms as local time; when
 * given, each time column is followed by `<name>_local`.
 */
export function rowWriter(
  kind: string,
  columns: readonly Column[],
  names: readonly string[] | undefined,
  localTime?: (ms: number) => string,
): RowWriter {
  const chosen = names === undefined ? columns.filter((c) => c.default) : pick(kind, columns, names)
  const headers: string[] = []
  for (const c of chosen) {
    headers.push(c.name)
    if (c.kind === 'time' && localTime) headers.push(`${c.name}_local`)
  }
  const exact = cellsOf(
    chosen.map((c) => [c]),
    localTime,
    false,
  )
  // Adjacent text/decimal columns without `derive` form runs; every other column is its own.
  const groups: Column[][] = []
  for (const c of chosen) {
    const last = groups.at(-1)
    if (joinable(c) && last && joinable(last[0]!)) last.push(c)
    else groups.push([c])
  }
  const fast = cellsOf(groups, localTime, true)
  return {
    headers,
    selects: fast.selects,
    line: fast.line,
    exactSelects: exact.selects,
    exactLine: (row) => exact.line(row)!,
  }
}

/**
 * The selects and the line writer of groups of columns. With `join`, a group of text and decimal
 * columns is read as one joined text and written as it is when it matches their plain pattern.
 */
function cellsOf(
  groups: readonly Column[][],
  localTime: ((ms: number) => string) | undefined,
  join: boolean,
): { selects: string[]; line: (row: readonly unknown[]) => string | undefined } {
  const selects: string[] = []
  const at: number[] = []
  const cells: ((v: unknown) => string | undefined)[] = []
  const add = (sql: string, cell: (v: unknown) => string | undefined): void => {
    let i = selects.indexOf(sql)
    if (i < 0) i = selects.push(sql) - 1
    at.push(i)
    cells.push(cell)
  }
  for (const group of groups) {
    const c = group[0]!
    if (join && joinable(c)) {
      const plain = new RegExp(`^${group.map((g) => PLAIN[g.kind]!).join(',')}$`)
      add(group.map((g) => `ifnull(${g.sql}, '')`).join(" || ',' || "), (v) =>
        typeof v === 'string' && plain.test(v) ? v : undefined,
      )
      continue
    }
    if (c.csv) {
      add(c.sql, (v) => (typeof v === 'string' ? v : ''))
      continue
    }
    const derive = c.derive
    const cell = (!join && c.exactCell) || cellWriter(c.kind)
    add(c.sql, derive ? (v) => cell(derive(v as CellValue)) : cell)
    if (c.kind === 'time' && localTime) add(c.sql, (v) => (typeof v === 'number' ? localTime(v) : ''))
  }
  const n = cells.length
  return {
    selects,
    line: (row) => {
      let s = cells[0]!(row[at[0]!])
      if (s === undefined) return undefined
      for (let k = 1; k < n; k++) {
        const cell = cells[k]!(row[at[k]!])
        if (cell === undefined) return undefined
        s += ',' + cell
      }
      return s
    },
  }
}

/** Text and decimal columns read as they are may join a run that SQLite writes as one text. */
const joinable = (c: Column): boolean => PLAIN[c.kind] !== undefined && !c.derive && !c.csv

function pick(kind: string, columns: readonly Column[], names: readonly string[]): Column[] {
  const byName = new Map(columns.map((c) => [c.name, c]))
  const seen = new Set<string>()
  if (names.length === 0) throw new ExportError('--columns: no column named')
  return names.map((name, i) => {
    const c = byName.get(name)
    if (!c) {
      throw new ExportError(
        `--columns: unknown column "${name}" (${ordinal(i + 1)} in the list); ${kind} columns are: ${columns.map((x) => x.name).join(', ')}`,
      )
    }
    if (seen.has(name))
      throw new ExportError(`--columns: "${name}" is named twice (${ordinal(i + 1)} in the list)`)
    seen.add(name)
    return c
  })
}

const ordinal = (n: number): string => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`

/** The writer of one cell of a kind; the guard and the quoting run on text only. */
function cellWriter(kind: ColumnKind): (v: unknown) => string {
  switch (kind) {
    case 'text':
      return (v) => (v === null || v === undefined ? '' : csvField(guardText(String(v))))
    case 'decimal':
      return (v) => {
        if (v === null || v === undefined) return ''
        const s = String(v)
        return DECIMAL_TEXT.test(s) ? s : csvField(guardText(s))
      }
    case 'time': {
      const iso = isoTimeFormatter()
      return (v) => (typeof v === 'number' ? iso(v) : '')
    }
    case 'integer':
      return (v) => (typeof v === 'number' && Number.isInteger(v) ? String(v) : '')
    case 'boolean':
      return (v) => (v === null || v === undefined ? '' : v ? 'true' : 'false')
  }
}
