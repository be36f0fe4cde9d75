import './alerts.css'
import { useTradeStore } from '../chart/store'
import { allowNotifications, setSound } from './actions'
import { SOUND_SETTINGS, type SoundSetting } from './alert-sound'
import { AlertForm } from './AlertForm'
import { AlertHistory } from './AlertHistory'
import { AlertList } from './AlertList'
import { openForm } from './form-actions'
import { useAlertFormStore } from './form-store'
import { useAlertsStore } from './store'

/** The Alerts view: the alerts with their switches, the form to create or edit one, and the history. */
export function AlertsView() {
  const editing = useAlertFormStore((s) => s.draft !== null)
  const series = useTradeStore((s) => s.series)
  return (
    <section className="alerts" data-testid="alerts-view" aria-labelledby="alerts-title">
      <header className="alerts-head">
        <h1 id="alerts-title">Alerts</h1>
        <span className="alerts-spacer" />
        <SoundSelect />
        <NotifyPrompt />
        <button
          type="button"
          className="btn alerts-new"
          data-testid="alert-new"
          onClick={() =>
            openForm({
              series: series && { source: series.source, symbol: series.symbol, timeframe: series.timeframe },
            })
          }
        >
          + New alert
        </button>
      </header>
      <div className={`alerts-body${editing ? ' alerts-body-editing' : ''}`}>
        <div className="alerts-main">
          <AlertList />
          <AlertHistory />
        </div>
        {editing && <AlertForm />}
      </div>
    </section>
  )
}

/** Asks once, when the trader wants it, whether the browser may show alerts as notifications. */
function NotifyPrompt() {
  const permission = useAlertsStore((s) => s.permission)
  if (permission === 'unsupported') return null
  if (permission === 'granted')
    return (
      <span className="alerts-notify-state" data-testid="alerts-notify-state">
        Browser notifications on
      </span>
    )
  if (permission === 'denied')
    return (
      <span
        className="alerts-notify-state"
        data-testid="alerts-notify-state"
        title="Allow them in the site settings"
      >
        Browser notifications blocked: alerts show in the app only
      </span>
    )
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid="alerts-notify-allow"
      title="Alerts also show as system notifications while this tab is in the background"
      onClick={() => void allowNotifications()}
    >
      Show alerts as notifications…
    </button>
  )
}

/** Which firings chime (stored in this browser): off mutes them all. */
function SoundSelect() {
  const sound = useAlertsStore((s) => s.sound)
  return (
    <select
      className="alerts-sound"
      data-testid="alerts-sound"
      aria-label="Alert sound"
      value={sound}
      onChange={(e) => setSound(e.target.value as SoundSetting)}
    >
      {SOUND_SETTINGS.map(([v, label]) => (
        <option key={v} value={v}>
          {label}
        </option>
      ))}
    </select>
  )
}
