import { FIRING_KINDS, type Firing, type FiringKind } from '../../../../shared/contract/alerts'
import { markRead } from './actions'
import { setHistoryFilter } from './history-filter'
import { isFiltering, NO_FILTER } from './history-filter-model'
import { localTime, valuesText } from './format'
import { HistoryDownload } from './HistoryDownload'
import { openChartOf } from './live'
import { useAlertsStore } from './store'

/** The firings, newest first: when, on what, the values that triggered it and every delivery attempt. */
export function AlertHistory() {
  const live = useAlertsStore((s) => s.history)
  const filtered = useAlertsStore((s) => s.filtered)
  const filtering = useAlertsStore((s) => isFiltering(s.filter))
  const history = filtering ? filtered : live
  const unread = useAlertsStore((s) => s.unread)
  return (
    <section className="alerts-history" aria-labelledby="alerts-history-title">
      <header className="alerts-history-head">
        <h2 id="alerts-history-title">History</h2>
        <span className="alerts-dim" data-testid="alerts-history-unread">
          {unread === 0 ? 'All read' : `${unread} unread`}
        </span>
        <span className="alerts-spacer" />
        <HistoryDownload />
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
      <HistoryFilterBar />
      {history === null ? (
        <div className="alerts-empty">Loading…</div>
      ) : history.length === 0 ? (
        <div className="alerts-empty" data-testid="alerts-history-empty">
          {filtering ? 'No firing matches the filter.' : 'No alert has fired yet.'}
        </div>
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

/** What fired a firing, in words, for the kind filter. */
const KIND_WORDS: Record<FiringKind, string> = {
  compare: 'Price or indicator',
  move: 'Move by % or ATR',
  channel: 'Channel',
  volume_spike: 'Volume spike',
  signal_score: 'Signal score',
  order: 'Order',
  breaker: 'Exchange breaker',
  job: 'Scheduled task',
  clock_skew: 'Clock skew',
  backup_failed: 'Backup failing',
  risk_limit_hit: 'Risk limit hit',
  trading_halted: 'Trading halted',
}

/** Filters of the history: alert, symbol, kind and a date range (local days, both included). */
function HistoryFilterBar() {
  const f = useAlertsStore((s) => s.filter)
  const alerts = useAlertsStore((s) => s.alerts) ?? []
  return (
    <div className="alerts-history-filter" data-testid="alerts-history-filter" role="search">
      <select
        aria-label="Alert"
        data-testid="alerts-filter-alert"
        value={f.alertId}
        onChange={(e) => void setHistoryFilter({ alertId: e.target.value })}
      >
        <option value="">Any alert</option>
        {alerts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      <input
        aria-label="Symbol"
        data-testid="alerts-filter-symbol"
        placeholder="Symbol"
        value={f.symbol}
        onChange={(e) => void setHistoryFilter({ symbol: e.target.value })}
      />
      <select
        aria-label="Kind"
        data-testid="alerts-filter-kind"
        value={f.kind}
        onChange={(e) => void setHistoryFilter({ kind: e.target.value as FiringKind | '' })}
      >
        <option value="">Any kind</option>
        {FIRING_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_WORDS[k]}
          </option>
        ))}
      </select>
      <input
        type="date"
        aria-label="From"
        data-testid="alerts-filter-from"
        value={f.from}
        onChange={(e) => void setHistoryFilter({ from: e.target.value })}
      />
      <input
        type="date"
        aria-label="To"
        data-testid="alerts-filter-to"
        value={f.to}
        onChange={(e) => void setHistoryFilter({ to: e.target.value })}
      />
      {isFiltering(f) && (
        <button type="button" className="btn btn-small" onClick={() => void setHistoryFilter(NO_FILTER)}>
          Clear
        </button>
      )}
    </div>
  )
}
