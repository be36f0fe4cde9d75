import type { HealthCheck } from '../../../../shared/contract/health'

const WORD = { ok: 'OK', warning: 'Attention', critical: 'Action needed' } as const

/** The items that are amber or red, worst first, each with what to do; a line saying so when all are green. */
export function ChecksList({ checks }: { checks: HealthCheck[] }) {
  const bad = checks.filter((c) => c.state !== 'ok')
  if (bad.length === 0) {
    return (
      <p className="health-all-ok" data-testid="health-all-ok">
        <span className="health-dot health-dot-ok" /> All {checks.length} items are green.
      </p>
    )
  }
  return (
    <ul className="health-checks" data-testid="health-checks">
      {bad.map((c) => (
        <li key={c.item} data-testid="health-check" data-item={c.item} data-state={c.state}>
          <span className={`health-dot health-dot-${c.state}`} />
          <strong>{c.label}</strong> <span className={`health-check-word-${c.state}`}>{WORD[c.state]}</span>
          {c.advice && <span className="health-advice"> — {c.advice}</span>}
        </li>
      ))}
    </ul>
  )
}

/** The state of one item, for a card's or row's colour (ok when the engine did not judge it). */
export function stateOf(checks: HealthCheck[], item: string): HealthCheck['state'] {
  return checks.find((c) => c.item === item)?.state ?? 'ok'
}
