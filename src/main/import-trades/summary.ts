import { issueLines, MAX_ISSUES } from '../importing/summary'
import type { RowIssue } from '../importing/issues'
import { iso } from '../importing/time-text'
import type { Duplicate } from './dedupe'

/** What `import-trades --json` prints: one object per run. */
export interface TradeImportSummary {
  file: string
  format: string
  account: { id: string; name: string } | null
  rowsRead: number
  /** Rows that passed every check. */
  rowsValid: number
  rowsWritten: number
  /** The first MAX_ISSUES duplicates skipped, in file order; `duplicateCount` has them all. */
  duplicates: (Duplicate & { timeIso: string })[]
  duplicateCount: number
  issues: RowIssue[]
  issueCount: number
}

export function buildTradeSummary(p: {
  file: string
  format: string
  account: { id: string; name: string } | null
  rowsRead: number
  rowsValid: number
  rowsWritten: number
  duplicates: readonly Duplicate[]
  issues: readonly RowIssue[]
}): TradeImportSummary {
  return {
    file: p.file,
    format: p.format,
    account: p.account,
    rowsRead: p.rowsRead,
    rowsValid: p.rowsValid,
    rowsWritten: p.rowsWritten,
    duplicates: p.duplicates.slice(0, MAX_ISSUES).map((d) => ({ ...d, timeIso: iso(d.time) })),
    duplicateCount: p.duplicates.length,
    issues: p.issues.slice(0, MAX_ISSUES),
    issueCount: p.issues.length,
  }
}

const n = (x: number): string => x.toLocaleString('en-US')
const s = (x: number): string => (x === 1 ? '' : 's')

export function tradeRefusalText(x: TradeImportSummary): string {
  return [
    `${x.file}: ${n(x.issueCount)} problem${s(x.issueCount)} found; nothing was imported.`,
    ...issueLines(x.issues, x.issueCount),
    x.rowsValid === 0
      ? 'None of the rows can be used: fix the file.'
      : `Fix the file, or run again with --skip-bad to import the ${n(x.rowsValid)} good row${s(x.rowsValid)} and skip the bad ones.`,
  ].join('\n')
}

export function tradeSuccessText(x: TradeImportSummary): string {
  const lines = [
    `Imported ${n(x.rowsWritten)} fill${s(x.rowsWritten)} into account "${x.account?.name}" from ${x.file} (${x.format} format, ${n(x.rowsRead)} rows read).`,
  ]
  if (x.duplicateCount > 0) {
    lines.push(`  skipped ${n(x.duplicateCount)} duplicate${s(x.duplicateCount)} (already there):`)
    for (const d of x.duplicates)
      lines.push(
        `    ${x.file}:${d.line}: ${d.symbol} ${d.timeIso}, same ${d.reason === 'trade id' ? 'trade id' : 'time, symbol, side, price and amount'} as ${d.of}`,
      )
    if (x.duplicateCount > x.duplicates.length)
      lines.push(`    ... and ${n(x.duplicateCount - x.duplicates.length)} more`)
  }
  if (x.issueCount > 0) {
    const bad = x.rowsRead - x.rowsValid
    lines.push(`  skipped ${n(bad)} bad row${s(bad)}:`)
    lines.push(...issueLines(x.issues, x.issueCount).map((l) => `    ${l}`))
  }
  return lines.join('\n')
}
