import type { HealthSummary } from '../../../../shared/contract/health'

export type HealthState = 'ok' | 'warning' | 'critical'

/**
 * The status bar's one word for the Health view: its worst judged item (the engine's `checks`,
 * by the thresholds of docs/HEALTH.md), red, amber or green. Each reason names the item and what
 * to do, for the badge's tooltip.
 */
export function overallHealth(s: HealthSummary): { state: HealthState; reasons: string[] } {
  const bad = s.checks.filter((c) => c.state !== 'ok')
  const state: HealthState = bad.some((c) => c.state === 'critical')
    ? 'critical'
    : bad.length > 0
      ? 'warning'
      : 'ok'
  return { state, reasons: bad.map((c) => (c.advice ? `${c.label}: ${c.advice}` : c.label)) }
}
