import type { ImportedTrade, TradeRow } from '../trade-row'

/**
 * What a CSV format's row reader answers: a fill; or, for a trades file, a trade's fills and
 * what the row says about the trade; or what is wrong and in which field.
 */
export type RowResult =
  TradeRow | { rows: TradeRow[]; trade: ImportedTrade } | { field: number; message: string }

export interface ReadContext {
  /** Glued pair → unified symbol, from the markets the account knows (pairs.ts). */
  knownPairs?: ReadonlyMap<string, string>
}

/** A CSV trade format: recognised by its header, read one record at a time. */
export interface CsvFormat {
  name: string
  /** Whether a header (names normalised by `normalise`) is this format's. */
  detect(names: readonly string[]): boolean
  /** A reader for files with this header; throws Error naming a missing column. */
  reader(names: readonly string[], ctx: ReadContext): (fields: readonly string[], line: number) => RowResult
}

/** Header names compared without case, spaces, `_`, `-`, `(` or `)`: `Date(UTC)` is `dateutc`. */
export const normalise = (name: string): string => name.toLowerCase().replace(/[\s_\-()]/g, '')

/** Index of the first of `names` present, or -1. */
export function column(header: readonly string[], ...names: string[]): number {
  for (const n of names) {
    const i = header.indexOf(n)
    if (i >= 0) return i
  }
  return -1
}

/** Index of a column the format cannot do without; throws naming it. */
export function required(header: readonly string[], format: string, ...names: string[]): number {
  const i = column(header, ...names)
  if (i < 0) throw new Error(`a ${format} file needs a "${names[0]}" column`)
  return i
}

export const issue = (field: number, message: string): { field: number; message: string } => ({
  field,
  message,
})
