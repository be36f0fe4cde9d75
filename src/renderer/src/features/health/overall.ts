import type { HealthSummary } from '../../../../shared/contract/health'

export type HealthState = 'ok' | 'warning' | 'critical'

/**
 * The status bar's one word for the Health view (its worst item): red when the database was found
 * damaged, an exchange's breaker is open or the last verified backup is too old; amber while the
 * check runs, a breaker probes (half-open) or the backup item is amber; green otherwise. Each
 * reason names the item, for the badge's tooltip.
 */
export function overallHealth(s: HealthSummary): { state: HealthState; reasons: string[] } {
  const found: [HealthState, string][] = []
  if (s.database.openCheck.result === 'damaged') found.push(['critical', 'the database is damaged'])
  for (const e of s.exchanges) {
    if (e.health?.state === 'open') found.push(['critical', `${e.exchange}: breaker open`])
    else if (e.health?.state === 'half-open') found.push(['warning', `${e.exchange}: breaker half-open`])
  }
  if (s.backup.state !== 'ok') {
    found.push([
      s.backup.state,
      s.backup.ageMs === null ? 'no verified backup' : 'last verified backup is old',
    ])
  }
  const state: HealthState = found.some(([l]) => l === 'critical')
    ? 'critical'
    : found.length > 0
      ? 'warning'
      : 'ok'
  return { state, reasons: found.map(([, r]) => r) }
}
