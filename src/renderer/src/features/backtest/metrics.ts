/** The statistics the view shows, each with how it is formatted (docs/BACKTEST.md names them). */
import { direction, formatPercent, formatPrice } from '../../lib/format'

/** fraction: a signed return; share: a part of a whole (no sign); ratio and count: plain numbers. */
export type MetricKind = 'fraction' | 'share' | 'ratio' | 'count'

export const HEADLINE: readonly { key: string; label: string; kind: MetricKind }[] = [
  { key: 'totalReturn', label: 'Total return', kind: 'fraction' },
  { key: 'cagr', label: 'CAGR', kind: 'fraction' },
  { key: 'sharpe', label: 'Sharpe', kind: 'ratio' },
  { key: 'sortino', label: 'Sortino', kind: 'ratio' },
  { key: 'maxDrawdown', label: 'Max drawdown', kind: 'fraction' },
  { key: 'winRate', label: 'Win rate', kind: 'share' },
  { key: 'profitFactor', label: 'Profit factor', kind: 'ratio' },
  { key: 'trades', label: 'Trades', kind: 'count' },
  { key: 'buyHoldReturn', label: 'Buy & hold', kind: 'fraction' },
]

/** More statistics for the comparison table. */
export const DETAIL: readonly { key: string; label: string; kind: MetricKind }[] = [
  ...HEADLINE,
  { key: 'annualVolatility', label: 'Annual volatility', kind: 'share' },
  { key: 'calmar', label: 'Calmar', kind: 'ratio' },
  { key: 'exposureTime', label: 'Exposure', kind: 'share' },
  { key: 'expectancy', label: 'Expectancy', kind: 'ratio' },
  { key: 'sqn', label: 'SQN', kind: 'ratio' },
  { key: 'fees', label: 'Fees paid', kind: 'ratio' },
  { key: 'equityFinal', label: 'Final equity', kind: 'ratio' },
]

const asNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

export function metricValue(metrics: Record<string, unknown> | null, key: string): number | null {
  return metrics ? asNumber(metrics[key]) : null
}

export function formatMetric(value: number | null, kind: MetricKind): string {
  if (value === null) return '—'
  if (kind === 'fraction') return formatPercent(value * 100)
  if (kind === 'share') return `${formatPrice(value * 100, 2)}%`
  if (kind === 'count') return formatPrice(value, 0)
  return formatPrice(value, 2)
}

/** up / down colouring for a figure where more is better (drawdown is negative, so it reads down). */
export function tone(value: number | null, key: string): 'up' | 'down' | 'flat' {
  if (value === null || key === 'trades' || key === 'fees' || key === 'equityFinal') return 'flat'
  if (key === 'profitFactor') return value > 1 ? 'up' : value < 1 ? 'down' : 'flat'
  if (key === 'winRate' || key === 'exposureTime' || key === 'annualVolatility') return 'flat'
  return direction(value)
}

export interface MonthCell {
  year: number
  month: number
  value: number
}

/** The monthly returns table as rows of years with twelve cells (null where the run had no bars). */
export function monthlyGrid(
  metrics: Record<string, unknown> | null,
): { year: number; months: (number | null)[] }[] {
  const raw = metrics?.monthlyReturns
  if (!Array.isArray(raw)) return []
  const years = new Map<number, (number | null)[]>()
  for (const c of raw as { year: number; month: number; return: number | null }[]) {
    if (!years.has(c.year)) years.set(c.year, Array<number | null>(12).fill(null))
    years.get(c.year)![c.month - 1] = asNumber(c.return)
  }
  return [...years.entries()].sort((a, b) => a[0] - b[0]).map(([year, months]) => ({ year, months }))
}
