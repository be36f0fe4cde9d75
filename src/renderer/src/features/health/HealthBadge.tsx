import { useEffect } from 'react'
import { showView } from '../shell/navigation'
import { watchHealthBadge } from './badge-actions'
import { useHealthStore } from './store'
import { overallHealth } from './overall'
import './health.css'

const WORDS = { ok: 'Healthy', warning: 'Check health', critical: 'Health problem' } as const

/** The status bar's health badge: the worst Health item in a word, a click opens the view. */
export function HealthBadge() {
  useEffect(() => watchHealthBadge(), [])
  const summary = useHealthStore((s) => s.summary)
  if (!summary) return null
  const { state, reasons } = overallHealth(summary)
  return (
    <button
      type="button"
      className={`status-health status-health-${state}`}
      data-testid="health-badge"
      data-state={state}
      title={reasons.length > 0 ? reasons.join('; ') : 'Every Health item is green'}
      onClick={() => showView('health')}
    >
      {WORDS[state]}
    </button>
  )
}
