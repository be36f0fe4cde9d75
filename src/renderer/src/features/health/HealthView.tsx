import { useEffect } from 'react'
import type { HealthSummary } from '../../../../shared/contract/health'
import { formatBytes, formatDuration, formatUtc } from '../../lib/format'
import { formatClock } from '../desk/format'
import { HEALTH_REFRESH_MS, watchHealth } from './actions'
import { BackupsSection } from './BackupsSection'
import { ExchangesTable } from './ExchangesTable'
import { SchedulerSection } from './SchedulerSection'
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
          <div className="health-cards">
            <EngineCard engine={summary.engine} />
            <DatabaseCard database={summary.database} />
          </div>
          <h2 className="health-h2">Exchange connections</h2>
          <ExchangesTable exchanges={summary.exchanges} />
        </>
      )}
      <BackupsSection />
      <SchedulerSection />
    </section>
  )
}

function EngineCard({ engine }: { engine: HealthSummary['engine'] }) {
  return (
    <article className="health-card" data-testid="health-engine">
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
      </dl>
    </article>
  )
}

function DatabaseCard({ database: db }: { database: HealthSummary['database'] }) {
  const check = db.openCheck
  return (
    <article className="health-card" data-testid="health-database">
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
