import { useEffect } from 'react'
import type { HealthSummary } from '../../../../shared/contract/health'
import { formatBytes, formatDuration, formatUtc } from '../../lib/format'
import { formatClock } from '../desk/format'
import { HEALTH_REFRESH_MS, watchHealth } from './actions'
import { BackupsSection } from './BackupsSection'
import { ChecksList, stateOf } from './ChecksList'
import { ExchangesTable } from './ExchangesTable'
import { FeedsTable } from './FeedsTable'
import { SchedulerSection } from './SchedulerSection'
import { TradingCard } from './TradingCard'
import { Sparkline } from './Sparkline'
import './health.css'
import { useHealthStore } from './store'

/** The engine, its database, its exchange connections and its scheduled tasks, refreshed while the view is open. */
export function HealthView() {
  useEffect(() => watchHealth(), [])
  const summary = useHealthStore((s) => s.summary)
  const updatedAt = useHealthStore((s) => s.updatedAt)
  const error = useHealthStore((s) => s.error)
  return (
    <section className="health" data-testid="health-view" aria-labelledby="health-title">
      <header className="health-head">
        <h1 id="health-title">Health</h1>
        <p className="health-updated" data-testid="health-updated">
          {error
            ? `Refresh failed: ${error.message}`
            : updatedAt === null
              ? 'Reading…'
              : `Updated ${formatClock(updatedAt)} · every ${HEALTH_REFRESH_MS / 1000} s while open`}
        </p>
      </header>
      {summary && (
        <>
          <ChecksList checks={summary.checks} />
          <div className="health-cards">
            <EngineCard summary={summary} />
            <DatabaseCard database={summary.database} state={worstCard(summary, ['database.'])} />
            {summary.trading && (
              <TradingCard trading={summary.trading} state={worstCard(summary, ['trading.', 'trading:'])} />
            )}
          </div>
          <h2 className="health-h2">Exchange connections</h2>
          <ExchangesTable exchanges={summary.exchanges} checks={summary.checks} history={summary.history} />
          <h2 className="health-h2">Data feeds</h2>
          <FeedsTable feeds={summary.feeds} />
        </>
      )}
      <BackupsSection />
      <SchedulerSection />
    </section>
  )
}

/** The worst state among the checks whose item starts with one of `prefixes`. */
function worstCard(s: HealthSummary, prefixes: string[]): 'ok' | 'warning' | 'critical' {
  const mine = s.checks.filter((c) => prefixes.some((p) => c.item.startsWith(p)))
  return mine.some((c) => c.state === 'critical')
    ? 'critical'
    : mine.some((c) => c.state === 'warning')
      ? 'warning'
      : 'ok'
}

function EngineCard({ summary }: { summary: HealthSummary }) {
  const { engine, history, checks } = summary
  const p = engine.process
  return (
    <article className="health-card" data-testid="health-engine" data-state={worstCard(summary, ['engine.'])}>
      <h2>Engine</h2>
      <p className="health-line" data-testid="health-engine-line">
        Up {formatDuration(engine.uptimeMs)} · v{engine.version}
      </p>
      <dl className="kv health-kv">
        <dt>Uptime</dt>
        <dd className="num" data-testid="health-uptime">
          {formatDuration(engine.uptimeMs)}
        </dd>
        <dt>Started</dt>
        <dd className="num">{formatUtc(engine.startedAt)}</dd>
        <dt>Version</dt>
        <dd className="num" data-testid="health-version">
          {engine.version}
        </dd>
        <dt>Host</dt>
        <dd>{engine.host === 'desktop' ? 'Desktop app' : 'Headless host (browser)'}</dd>
        <dt title="How late the engine runs what it was asked to do (perf_hooks event-loop delay)">
          Response delay
        </dt>
        <dd className={`num ${stateClass(stateOf(checks, 'engine.event-loop'))}`} data-testid="health-loop">
          {p === null ? 'measuring…' : `p50 ${ms(p.eventLoopP50Ms)} · p99 ${ms(p.eventLoopP99Ms)}`}{' '}
          <Sparkline
            values={history.map((h) => h.eventLoopP99Ms)}
            label="Event-loop delay p99 over the last two hours"
            testId="health-loop-spark"
          />
        </dd>
        <dt>Memory</dt>
        <dd className={`num ${stateClass(stateOf(checks, 'engine.memory'))}`} data-testid="health-memory">
          {p === null
            ? 'measuring…'
            : `${formatBytes(p.rssBytes)} (heap ${formatBytes(p.heapUsedBytes)} of ${formatBytes(p.heapTotalBytes)})`}
        </dd>
        <dt title="CPU time over wall time: 100 % is one core fully busy">CPU</dt>
        <dd className={`num ${stateClass(stateOf(checks, 'engine.cpu'))}`} data-testid="health-cpu">
          {p === null || p.cpuShare === null
            ? 'measuring…'
            : `${(p.cpuShare * 100).toFixed(1)} % of one core`}
        </dd>
      </dl>
    </article>
  )
}

function DatabaseCard({
  database: db,
  state,
}: {
  database: HealthSummary['database']
  state: 'ok' | 'warning' | 'critical'
}) {
  const check = db.openCheck
  return (
    <article className="health-card" data-testid="health-database" data-state={state}>
      <h2>Database</h2>
      <p className="health-line" data-testid="health-database-line">
        Schema {db.schemaVersion} · {formatBytes(db.sizeBytes)} (WAL {formatBytes(db.walBytes)})
      </p>
      <dl className="kv health-kv">
        <dt>Schema version</dt>
        <dd className="num" data-testid="health-schema">
          {db.schemaVersion}
        </dd>
        <dt>File</dt>
        <dd className="num" data-testid="health-db-size" title={bytesTitle(db.sizeBytes)}>
          {formatBytes(db.sizeBytes)}
        </dd>
        <dt>Write-ahead log</dt>
        <dd className="num" data-testid="health-wal-size" title={bytesTitle(db.walBytes)}>
          {formatBytes(db.walBytes)}
        </dd>
        <dt>Integrity</dt>
        <dd
          data-testid="health-db-check"
          title={
            check.checkedAt === null
              ? 'PRAGMA quick_check'
              : `PRAGMA quick_check at ${formatUtc(check.checkedAt)}`
          }
        >
          <IntegrityLine check={check} />
        </dd>
      </dl>
    </article>
  )
}

type IntegrityCheck = HealthSummary['database']['openCheck']

function IntegrityLine({ check }: { check: IntegrityCheck }) {
  const when = check.timing === 'at-open' ? 'checked when opened' : 'checked after start-up'
  if (check.result === 'checking') {
    return <span className="health-dim">Checking in the background (the last run closed it cleanly)…</span>
  }
  if (check.result === 'damaged') {
    return (
      <span className="down" data-testid="health-db-damaged">
        Damaged: {check.problems.slice(0, 2).join('; ')}. Quit, then restore a backup or move the file aside.
      </span>
    )
  }
  return (
    <>
      <span className="up">OK</span>
      <span className="health-dim">
        {' '}
        · {when}
        {check.durationMs === null ? '' : `, in ${checkTime(check.durationMs)}`}
      </span>
    </>
  )
}

function checkTime(ms: number): string {
  return ms < 1 ? 'under 1 ms' : `${Math.round(ms).toLocaleString('en-US')} ms`
}

function bytesTitle(bytes: number | null): string | undefined {
  return bytes === null ? undefined : `${bytes.toLocaleString('en-US')} bytes`
}

function ms(v: number | null): string {
  return v === null ? '—' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`
}

function stateClass(state: 'ok' | 'warning' | 'critical'): string {
  return state === 'critical' ? 'down' : state === 'warning' ? 'warn' : ''
}
