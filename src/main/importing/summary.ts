import type { Gap } from '../../shared/domain/candles'
import type { MarketCalendar } from '../market/aggregate'
import type { PreparedImport } from './import-file'
import { formatIssue, type RowIssue } from './issues'
import { iso } from './time-text'

/** How many issues and gaps a summary lists; the rest are counted. */
export const MAX_ISSUES = 50
export const MAX_GAPS = 20

export interface TimePoint {
  ms: number
  iso: string
}

/** What `import-candles --json` prints: one object per run. */
export interface ImportSummary {
  file: string
  source: string
  symbol: string
  timeframe: string
  rowsRead: number
  /** Rows that passed every check (written unless the import was refused). */
  rowsValid: number
  rowsWritten: number
  /** Bounds of the bars written; null when nothing was written. */
  first: TimePoint | null
  last: TimePoint | null
  gaps: {
    count: number
    missingBars: number
    calendar: MarketCalendar
    list: (Gap & { fromIso: string; toIso: string })[]
  }
  /** The first MAX_ISSUES issues in file order; `issueCount` has them all. */
  issues: RowIssue[]
  issueCount: number
  /** True if any bar's time was moved to its bar's open time (month-end or Friday dates). */
  normalisedTimes: boolean
  normalisedRows: number
}

const point = (ms: number | undefined): TimePoint | null => (ms === undefined ? null : { ms, iso: iso(ms) })

export function buildSummary(p: PreparedImport, rowsWritten: number): ImportSummary {
  const written = rowsWritten > 0 ? p.candles : []
  const gaps = rowsWritten > 0 ? p.gaps : []
  return {
    file: p.request.file,
    source: p.request.source,
    symbol: p.request.symbol,
    timeframe: p.request.timeframe,
    rowsRead: p.rowsRead,
    rowsValid: p.candles.length,
    rowsWritten,
    first: point(written[0]?.time),
    last: point(written.at(-1)?.time),
    gaps: {
      count: gaps.length,
      missingBars: gaps.reduce((n, g) => n + g.missing, 0),
      calendar: p.calendar,
      list: gaps.slice(0, MAX_GAPS).map((g) => ({ ...g, fromIso: iso(g.from), toIso: iso(g.to) })),
    },
    issues: p.issues.slice(0, MAX_ISSUES),
    issueCount: p.issues.length,
    normalisedTimes: p.normalisedRows > 0,
    normalisedRows: p.normalisedRows,
  }
}

const n = (x: number): string => x.toLocaleString('en-US')

/** `file:line:column: message` lines, at most MAX_ISSUES, then how many more. */
export function issueLines(issues: readonly RowIssue[], total = issues.length): string[] {
  const lines = issues.slice(0, MAX_ISSUES).map(formatIssue)
  const rest = total - lines.length
  if (rest > 0) lines.push(`... and ${n(rest)} more issue${rest === 1 ? '' : 's'}`)
  return lines
}

export function refusalText(s: ImportSummary): string {
  return [
    `${s.file}: ${n(s.issueCount)} problem${s.issueCount === 1 ? '' : 's'} found; nothing was imported.`,
    ...issueLines(s.issues, s.issueCount),
    s.rowsValid === 0
      ? 'None of the rows can be used: fix the file.'
      : `Fix the file, or run again with --skip-bad to import the ${n(s.rowsValid)} good row${s.rowsValid === 1 ? '' : 's'} and skip the bad ones.`,
  ].join('\n')
}

export function successText(s: ImportSummary): string {
  const lines = [
    `Imported ${n(s.rowsWritten)} ${s.timeframe} bars of ${s.symbol} (source ${s.source}) from ${s.file}` +
      ` (${n(s.rowsRead)} rows read).`,
  ]
  if (s.first && s.last) lines.push(`  first ${s.first.iso}, last ${s.last.iso}`)
  if (s.normalisedTimes) {
    lines.push(
      `  ${n(s.normalisedRows)} times moved to their bar's open time (e.g. month-end or Friday dates).`,
    )
  }
  const g = s.gaps
  if (g.count === 0) lines.push(`  no gaps (calendar: ${g.calendar})`)
  else {
    lines.push(`  ${n(g.count)} gaps, ${n(g.missingBars)} missing bars (calendar: ${g.calendar}):`)
    for (const gap of g.list.slice(0, 10))
      lines.push(`    ${gap.fromIso} .. ${gap.toIso} (${n(gap.missing)} bar${gap.missing === 1 ? '' : 's'})`)
    if (g.count > 10) lines.push(`    ... and ${n(g.count - 10)} more`)
  }
  if (s.issueCount > 0) {
    const bad = s.rowsRead - s.rowsValid
    lines.push(
      `  skipped ${n(bad)} bad row${bad === 1 ? '' : 's'} (${n(s.issueCount)} issue${s.issueCount === 1 ? '' : 's'}):`,
    )
    lines.push(...issueLines(s.issues, s.issueCount).map((l) => `    ${l}`))
  }
  return lines.join('\n')
}
