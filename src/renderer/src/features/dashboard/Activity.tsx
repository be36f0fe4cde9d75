import type { Firing } from '../../../../shared/contract/alerts'
import type { HealthSummary } from '../../../../shared/contract/health'
import { formatDuration } from '../../lib/format'
import { formatStamp } from '../desk/format'
import { useAlertsStore } from '../alerts/store'
import { goToView } from '../shell/nav-port'
import { moverKey, type Mover } from './movers'
import { useDashboardStore } from './store'

const ALERTS_SHOWN = 5

/** The latest alert firings (the app-wide alerts store), newest first. */
export function LatestAlerts() {
  const history = useAlertsStore((s) => s.history)
  const latest: Firing[] = (history ?? []).slice(0, ALERTS_SHOWN)
  return (
    <div data-testid="dashboard-alerts">
      {history === null && <p className="db-empty">Reading alerts…</p>}
      {history !== null && latest.length === 0 && <p className="db-empty">No alert has fired yet.</p>}
      <ul className="db-list">
        {latest.map((f) => (
          <li key={f.id} className={f.read ? 'db-alert' : 'db-alert db-unread'}>
            <span className="db-dim num">{formatStamp(f.time)}</span>
            <span>
              <strong>{f.alertName}</strong>
              {f.series && <span className="db-dim"> {f.series.symbol}</span>}
              <span className="db-alert-msg">{f.message}</span>
            </span>
          </li>
        ))}
      </ul>
      <button type="button" className="db-link" onClick={() => goToView('alerts')}>
        All alerts →
      </button>
    </div>
  )
}

/** The newest signal of the first symbols: score 0-100 as a marker on a red-to-green bar. */
export function LatestSignals({ movers }: { movers: Mover[] | null }) {
  const signals = useDashboardStore((s) => s.signals)
  const shown = (movers ?? []).filter((m) => moverKey(m) in signals)
  if (shown.length === 0) return <p className="db-empty">Reading signals…</p>
  return (
    <ul className="db-list" data-testid="dashboard-signals">
      {shown.map((m) => {
        const s = signals[moverKey(m)]
        return (
          <li key={moverKey(m)} className="db-signal">
            <span className="db-signal-symbol">{m.symbol}</span>
            {s ? (
              <>
                <span
                  className="db-score"
                  role="img"
                  aria-label={`Score ${s.score.toFixed(0)} of 100`}
                  title={`Score ${s.score.toFixed(1)} (0 strong sell, 50 neutral, 100 strong buy), ${s.timeframe}`}
                >
                  <span className="db-score-mark" style={{ left: `${s.score}%` }} />
                </span>
                <span
                  className={`db-signal-dir ${s.direction === 'buy' ? 'up' : s.direction === 'sell' ? 'down' : 'flat'}`}
                >
                  {s.direction === 'neutral' ? 'Neutral' : s.direction === 'buy' ? 'Buy' : 'Sell'}{' '}
                  {s.score.toFixed(0)}
                </span>
                <span className="db-dim db-signal-tf">{s.timeframe}</span>
              </>
            ) : (
              <span className="db-dim">warming up</span>
            )}
          </li>
        )
      })}
    </ul>
  )
}

/** The engine's health in one line each, and the way to the Health view. */
export function HealthBrief({ health }: { health: HealthSummary | null }) {
  if (!health) return <p className="db-empty">Reading health…</p>
  const check = health.database.openCheck.result
  const open = health.exchanges.filter((e) => e.health?.state === 'open').length
  const used = health.exchanges.filter((e) => e.health !== null)
  const state = check === 'damaged' || open > 0 ? 'bad' : check === 'checking' ? 'wait' : 'ok'
  return (
    <div className="db-health" data-testid="dashboard-health" data-state={state}>
      <ul className="db-list">
        <li>
          <span className="db-dot ok" />
          Engine {health.engine.version}, up {formatDuration(health.engine.uptimeMs)}
        </li>
        <li>
          <span className={`db-dot ${check === 'ok' ? 'ok' : check === 'checking' ? 'wait' : 'bad'}`} />
          Database check: {check}
        </li>
        <li>
          <span className={`db-dot ${open > 0 ? 'bad' : 'ok'}`} />
          {health.exchanges.length === 0
            ? 'No exchange connections'
            : `${health.exchanges.length} exchange connection${health.exchanges.length === 1 ? '' : 's'}, ${used.length} in use${open > 0 ? `, ${open} breaker open` : ''}`}
        </li>
      </ul>
      <button
        type="button"
        className="db-link"
        data-testid="dashboard-open-health"
        onClick={() => goToView('health')}
      >
        Open Health →
      </button>
    </div>
  )
}
