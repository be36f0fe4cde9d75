import type { Firing, FiringKind } from '../../../../shared/contract/alerts'
import type { ExportRequest } from '../journal/export-download'

/** Firings a filtered list asks for (the live list keeps as many). */
const FILTERED_KEEP = 200

/**
 * The Alerts view's history filter: alert, symbol, kind (what fired it) and a date range in the
 * trader's local days. Empty fields filter nothing; with none set the view shows the live list.
 * A filtered list is the engine's answer to `alerts.history` with the filter (newest 200), and
 * firings that arrive while it is shown join it when they match.
 */
export interface HistoryFilter {
  alertId: string
  symbol: string
  kind: FiringKind | ''
  /** `YYYY-MM-DD` (a date input), local days, both inclusive; empty for no bound. */
  from: string
  to: string
}

export const NO_FILTER: HistoryFilter = { alertId: '', symbol: '', kind: '', from: '', to: '' }

export const isFiltering = (f: HistoryFilter): boolean =>
  f.alertId !== '' || f.symbol.trim() !== '' || f.kind !== '' || f.from !== '' || f.to !== ''

const DAY = 86_400_000

/** Local midnight of a date input's day, in ms; null when empty or not a date. */
function localDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime() : null
}

/** The `alerts.history` parameters of a filter (`to`: the last ms of its day). */
export function historyParams(f: HistoryFilter): Record<string, unknown> {
  const from = localDay(f.from)
  const to = localDay(f.to)
  return {
    limit: FILTERED_KEEP,
    ...(f.alertId ? { alertId: f.alertId } : {}),
    ...(f.symbol.trim() ? { symbol: f.symbol.trim() } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(from !== null ? { from } : {}),
    ...(to !== null ? { to: to + DAY - 1 } : {}),
  }
}

/** Whether a firing that just arrived belongs in the filtered list (the engine's rule, in the page). */
export function matchesFilter(firing: Firing, f: HistoryFilter): boolean {
  const p = historyParams(f)
  if (p.alertId !== undefined && firing.alertId !== p.alertId) return false
  if (p.symbol !== undefined && firing.symbol !== p.symbol) return false
  if (p.kind !== undefined && firing.kind !== p.kind) return false
  if (typeof p.from === 'number' && firing.time < p.from) return false
  if (typeof p.to === 'number' && firing.time > p.to) return false
  return true
}

/**
 * The history download (`/export/alerts.csv`, docs/CSV.md) of what the filter shows: every
 * matching firing, not only the newest 200, oldest first, with the default columns. The export's
 * `to` excludes its bound, so it is the day after the last one.
 */
export function historyExport(f: HistoryFilter): ExportRequest {
  const p = historyParams(f)
  return {
    kind: 'alerts',
    columns: [],
    excel: false,
    alert: p.alertId as string | undefined,
    symbol: p.symbol as string | undefined,
    firingKind: p.kind as string | undefined,
    from: p.from as number | undefined,
    to: typeof p.to === 'number' ? p.to + 1 : undefined,
  }
}
