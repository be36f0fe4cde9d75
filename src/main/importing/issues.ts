/** One row the importer could not use: where it is (1-based line and column) and what is wrong. */
export interface RowIssue {
  file: string
  line: number
  column: number
  /** The column's name as the file spells it (CSV header or JSON key), or the role (`time`, `high`). */
  field?: string
  message: string
}

/**
 * The file cannot be used at all (unknown format, empty, no recognisable columns, no times).
 * Row-level problems are not thrown: they are collected as `RowIssue`s.
 */
export class CandleFileError extends Error {
  override readonly name = 'CandleFileError'
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message)
  }

  /** `file:line:column` (as far as known), the form editors and terminals link to. */
  get where(): string {
    if (this.line === undefined) return this.file
    return this.column === undefined
      ? `${this.file}:${this.line}`
      : `${this.file}:${this.line}:${this.column}`
  }
}

export const formatIssue = (i: RowIssue): string => `${i.file}:${i.line}:${i.column}: ${i.message}`

/** Issues in file order, so the first one printed is the first one an editor shows. */
export function sortIssues(issues: RowIssue[]): RowIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column)
}
