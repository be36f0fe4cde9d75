import type { HealthSummary } from '../../../../shared/contract/health'
import { formatUtc } from '../../lib/format'

type Trading = NonNullable<HealthSummary['trading']>

const CLASS = { ACTIVE: 'up', REDUCING: 'warn', HALTED: 'down' } as const

/**
 * The risk engine's trading states (ACTIVE, REDUCING, HALTED): the global one, and each account
 * whose own state is not ACTIVE, with the reason and who set it. What to do is in the checks above.
 */
export function TradingCard({ trading, state }: { trading: Trading; state: 'ok' | 'warning' | 'critical' }) {
  const held = trading.accounts.filter((a) => a.state.state !== 'ACTIVE')
  return (
    <article className="health-card" data-testid="health-trading" data-state={state}>
      <h2>Trading</h2>
      <p className="health-line" data-testid="health-trading-line">
        <span className={CLASS[trading.global.state]}>{trading.global.state}</span>
        {trading.global.state !== 'ACTIVE' && <span className="health-dim"> · {trading.global.reason}</span>}
        {held.length === 0 && trading.global.state === 'ACTIVE' && (
          <span className="health-dim"> · every account accepts orders</span>
        )}
      </p>
      {held.length > 0 && (
        <dl className="kv health-kv">
          {held.map((a) => (
            <Account key={a.accountId} name={a.accountName} entry={a.state} />
          ))}
        </dl>
      )}
    </article>
  )
}

function Account({ name, entry }: { name: string; entry: Trading['global'] }) {
  return (
    <>
      <dt>{name}</dt>
      <dd data-testid="health-trading-account" title={`Since ${formatUtc(entry.since)}`}>
        <span className={CLASS[entry.state]}>{entry.state}</span>
        <span className="health-dim">
          {' '}
          · {entry.reason}
          {entry.until !== null && `, until ${formatUtc(entry.until)}`}
        </span>
      </dd>
    </>
  )
}
