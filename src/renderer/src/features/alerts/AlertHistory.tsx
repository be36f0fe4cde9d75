import type { Firing } from '../../../../shared/contract/alerts'
import { markRead } from './actions'
import { localTime, valuesText } from './format'
import { openChartOf } from './live'
import { useAlertsStore } from './store'

/** The firings, newest first: when, on what, the values that triggered it and every delivery attempt. */
export function AlertHistory() {
  const history = useAlertsStore((s) => s.history)
  const unread = useAlertsStore((s) => s.unread)
  return (
    <section className="alerts-history" aria-labelledby="alerts-history-title">
      <header className="alerts-history-head">
        <h2 id="alerts-history-title">History</h2>
        <span className="alerts-dim" data-testid="alerts-history-unread">
          {unread === 0 ? 'All read' : `${unread} unread`}
        </span>
        <span className="alerts-spacer" />
        <button
          type="button"
          className="btn btn-small"
          data-testid="alerts-mark-all-read"
          disabled={unread === 0}
          onClick={() => void markRead('all')}
        >
          Mark all read
        </button>
      </header>
      {history === null ? (
        <div className="alerts-empty">Loading…</div>
      ) : history.length === 0 ? (
        <div className="alerts-empty">No alert has fired yet.</div>
      ) : (
        <ol className="alerts-firings" data-testid="alerts-history">
          {history.map((f) => (
            <FiringRow key={f.id} firing={f} />
          ))}
        </ol>
      )}
    </section>
  )
}

function FiringRow({ firing: f }: { firing: Firing }) {
  return (
    <li
      className={`alerts-firing${f.read ? '' : ' alerts-firing-unread'}`}
      data-testid="alert-firing"
      data-read={f.read}
      data-away={f.away}
    >
      <span className="alerts-firing-time num">{localTime(f.time)}</span>
      <span className="alerts-firing-what">
        <span className="alerts-name">{f.alertName}</span>
        {f.away && (
          <span
            className="alerts-away"
            data-testid="alert-firing-away"
            title="Found on start, from bars that closed while Candlework was not running"
          >
            while you were away
          </span>
        )}
        <span className="alerts-desc">{f.message}</span>
        {Object.keys(f.values).length > 0 && (
          <span className="alerts-values num" data-testid="alert-firing-values">
            {valuesText(f.values)}
          </span>
        )}
        {f.deliveries.length > 0 && (
          <ul className="alerts-deliveries" aria-label="Deliveries">
            {f.deliveries.map((d) => (
              <li
                key={`${d.channel}:${d.attempt}`}
                className={d.ok ? 'up' : d.error?.startsWith('skipped') ? 'alerts-dim' : 'down'}
                data-testid="alert-delivery"
              >
                {d.kind} #{d.channel + 1}, attempt {d.attempt}:{' '}
                {d.ok
                  ? `delivered (${d.status ?? 'ok'})`
                  : (d.error ?? `failed (${d.status ?? 'no answer'})`)}{' '}
                <span className="alerts-dim">{Math.round(d.durationMs)} ms</span>
              </li>
            ))}
          </ul>
        )}
      </span>
      <span className="alerts-firing-actions">
        {f.series && (
          <button type="button" className="btn btn-small" onClick={() => openChartOf(f.series!)}>
            Chart
          </button>
        )}
        {!f.read && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="alert-firing-read"
            onClick={() => void markRead([f.id])}
          >
            Mark read
          </button>
        )}
      </span>
    </li>
  )
}
