import { useState } from 'react'
import type { Alert } from '../../../../shared/contract/alerts'
import { deleteAlert, setAlertActive } from './actions'
import { openForm } from './form-actions'
import { frequencyText, localTime } from './format'
import { openChartOf } from './live'
import { useAlertsStore } from './store'

const STATUS_TEXT: Record<Alert['status'], string> = {
  active: 'Active',
  paused: 'Paused',
  fired: 'Fired (once)',
  expired: 'Expired',
}

/** Every alert, newest first: what it watches, how often it fires, its switch, edit and delete. */
export function AlertList() {
  const alerts = useAlertsStore((s) => s.alerts)
  if (alerts === null) return <div className="alerts-empty">Loading alerts…</div>
  if (alerts.length === 0)
    return (
      <div className="alerts-empty" data-testid="alerts-empty">
        No alerts yet. Right-click the chart at a price for “Add alert”, or press “New alert”.
      </div>
    )
  return (
    <table className="alerts-table" data-testid="alerts-list">
      <thead>
        <tr>
          <th className="alerts-col-switch" aria-label="Active" />
          <th>Condition</th>
          <th>Series</th>
          <th>Status</th>
          <th>Frequency</th>
          <th>Last fired</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <AlertRow key={a.id} alert={a} />
        ))}
      </tbody>
    </table>
  )
}

function AlertRow({ alert: a }: { alert: Alert }) {
  const [confirming, setConfirming] = useState(false)
  const on = a.status === 'active'
  return (
    <tr data-testid="alert-row" data-alert-id={a.id} data-status={a.status}>
      <td className="alerts-col-switch">
        <input
          type="checkbox"
          role="switch"
          className="alerts-switch"
          checked={on}
          aria-label={`${on ? 'Pause' : 'Resume'} ${a.name}`}
          title={on ? 'Active: click to pause' : a.status === 'paused' ? 'Paused: click to resume' : 'Re-arm'}
          data-testid="alert-active"
          onChange={(e) => void setAlertActive(a, e.target.checked)}
        />
      </td>
      <td>
        {a.name !== a.description && (
          <div className="alerts-name" title={a.name}>
            {a.name}
          </div>
        )}
        <div
          className={a.name === a.description ? 'alerts-name' : 'alerts-desc'}
          data-testid="alert-description"
        >
          {a.description}
        </div>
      </td>
      <td>
        {a.series ? (
          <button
            type="button"
            className="alerts-link"
            title="Open the chart"
            onClick={() => openChartOf(a.series!)}
          >
            {a.series.symbol} · {a.series.timeframe}
          </button>
        ) : (
          <span className="alerts-dim">Events</span>
        )}
        {a.series && a.series.source !== 'demo' && <div className="alerts-dim">{a.series.source}</div>}
      </td>
      <td>
        <span className={`alerts-status alerts-status-${a.status}`} data-testid="alert-status">
          {STATUS_TEXT[a.status]}
        </span>
        {a.expiresAt !== null && <div className="alerts-dim">until {localTime(a.expiresAt)}</div>}
      </td>
      <td>
        {frequencyText(a)}
        <div className="alerts-dim">{a.evaluate === 'intrabar' ? 'Intrabar' : 'On bar close'}</div>
      </td>
      <td className="num" data-testid="alert-last-fired">
        {a.lastFiredAt === null ? <span className="alerts-dim">Never</span> : localTime(a.lastFiredAt)}
      </td>
      <td className="alerts-actions">
        {confirming ? (
          <span className="alerts-confirm" role="group" aria-label="Confirm delete">
            Delete?
            <button
              type="button"
              className="btn btn-small alerts-danger"
              data-testid="alert-delete-confirm"
              onClick={() => void deleteAlert(a)}
            >
              Delete
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <>
            <button
              type="button"
              className="btn btn-small"
              data-testid="alert-edit"
              onClick={() => openForm({ alert: a })}
            >
              Edit
            </button>
            <button
              type="button"
              className="btn btn-small"
              data-testid="alert-delete"
              aria-label={`Delete ${a.name}`}
              onClick={() => setConfirming(true)}
            >
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  )
}
