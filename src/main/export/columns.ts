import { DECIMAL_TEXT } from '../../shared/decimal/decimal'
import { csvField, guardText } from './csv-text'

/**
 * Column definitions for an export: a stable, documented name (docs/CSV.md lists them), what the
 * cell holds, whether it is in the default set, and how to read it from a row.
 *
 * Kinds decide how a value is written:
 * - `text`: guarded against formula injection (`guardText`) and quoted as needed;
 * - `decimal`: canonical decimal text as stored (src/shared/decimal), written as it is: full
 *   precision, `.` as the point, no thousands separators, no exponent. A stored value that is
 *   somehow not decimal text is written as text, guarded, never as a formula;
 * - `time`: ms since the epoch, written as ISO 8601 UTC with milliseconds
 *   (`2024-03-31T01:30:00.000Z`); with a local time zone chosen, a `<name>_local` column follows;
 * - `integer`: a whole number; `boolean`: `true` or `false`.
 * A null value is an empty cell.
 */
export type ColumnKind = 'text' | 'decimal' | 'time' | 'integer' | 'boolean'

export interface Column<R> {
  name: string
  kind: ColumnKind
  description: string
  /** In the set written when the trader picks none. */
  default: boolean
  value: (row: R) => string | number | boolean | null
}

/** A bad export request, naming what is wrong and where (a flag, a column's position). */
export class ExportError extends Error {
  override readonly name = 'ExportError'
}

/** The header and cell writer of one chosen column (a time column's local twin is its own). */
interface Output<R> {
  header: string
  cell: (row: R) => string
}

export interface RowWriter<R> {
  headers: string[]
  /** One CSV line without its line ending. */
  line: (row: R) => string
}

/**
 * The columns to write: `names` in the trader's order, or the default set. Unknown or repeated
 * names are refused with their position in the list. `localTime` formats ms as local time; when
 * given, each time column is followed by `<name>_local`.
 */
export function rowWriter<R>(
  kind: string,
  columns: readonly Column<R>[],
  names: readonly string[] | undefined,
  localTime?: (ms: number) => string,
): RowWriter<R> {
  const chosen = names === undefined ? columns.filter((c) => c.default) : pick(kind, columns, names)
  const outputs: Output<R>[] = []
  for (const c of chosen) {
    outputs.push({ header: c.name, cell: cellWriter(c) })
    if (c.kind === 'time' && localTime) {
      outputs.push({
        header: `${c.name}_local`,
        cell: (row) => {
          const v = c.value(row)
          return typeof v === 'number' ? localTime(v) : ''
        },
      })
    }
  }
  const cells = outputs.map((o) => o.cell)
  return {
    headers: outputs.map((o) => o.header),
    line: (row) => {
      let s = cells[0]!(row)
      for (let i = 1; i < cells.length; i++) s += ',' + cells[i]!(row)
      return s
    },
  }
}

function pick<R>(kind: string, columns: readonly Column<R>[], names: readonly string[]): Column<R>[] {
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

function cellWriter<R>(c: Column<R>): (row: R) => string {
  const get = c.value
  switch (c.kind) {
    case 'text':
      return (row) => {
        const v = get(row)
        return v === null ? '' : csvField(guardText(String(v)))
      }
    case 'decimal':
      return (row) => {
        const v = get(row)
        if (v === null) return ''
        const s = String(v)
        return DECIMAL_TEXT.test(s) ? s : csvField(guardText(s))
      }
    case 'time':
      return (row) => {
        const v = get(row)
        return typeof v === 'number' ? new Date(v).toISOString() : ''
      }
    case 'integer':
      return (row) => {
        const v = get(row)
        return typeof v === 'number' && Number.isInteger(v) ? String(v) : ''
      }
    case 'boolean':
      return (row) => {
        const v = get(row)
        return v === null ? '' : v ? 'true' : 'false'
      }
  }
}
