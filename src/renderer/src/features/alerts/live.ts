import type { AlertSeries, AlertsUpdate, Firing } from '../../../../shared/contract/alerts'
import { slot, type Scope } from '../../sync'
import { showSeries } from '../chart/actions'
import { notify, reportError } from '../notices/store'
import { playChime, shouldSound } from './alert-sound'
import { applyAlertsUpdate, HISTORY_KEEP } from './alerts-updates'
import { notifyPermission, showBrowserNotification } from './browser-notify'
import { matchesFilter } from './history-filter-model'
import { useAlertsStore } from './store'

/** What alerts may ask of the shell: show a view (the shell owns navigation). */
export interface AlertsNav {
  showView(id: 'alerts' | 'trade'): void
}

/**
 * The app's alerts follower, open from start to end: `alerts.updates` for the unread count, the
 * lists and a toast per firing, whichever view is shown. Its key is the shell's navigation, so
 * a toast's "Open chart" and the chart's "Edit" reach the views without importing the shell.
 */
const app = slot<AlertsNav>()

const set = useAlertsStore.setState

/**
 * Follows `alerts.updates` until the returned function is called. Each `snapshot` (the first
 * event, and the first again after a reconnect) loads the alert list and the latest firings;
 * events that arrive while they load are applied again on top of the answers, so none is lost.
 */
export function startAlerts(nav: AlertsNav): () => void {
  const mine = app.open(nav)
  set({ permission: notifyPermission() })
  let loading: AlertsUpdate[] | null = null
  mine.follow(
    'alerts.updates',
    {},
    (e) => {
      set((s) => applyAlertsUpdate(s, e))
      set((s) => filteredUpdate(s, e))
      if (loading) loading.push(e)
      if (e.type === 'snapshot') {
        loading = []
        void loadLists(mine).then(() => {
          const missed = loading ?? []
          loading = null
          for (const m of missed) set((s) => applyAlertsUpdate(s, m))
        })
      }
      if (e.type === 'fired') deliver(e.firing)
    },
    { endTitle: 'Alert updates stopped' },
  )
  // The desktop app: a native notification or the tray's latest alert clicked (desktop-shell.ts).
  const offDesktop = window.candlework?.onDesktopMessage((m) =>
    m.type === 'openChart' ? openChartOf(m.series) : showAlerts(),
  )
  return () => {
    offDesktop?.()
    app.close(mine)
  }
}

async function loadLists(mine: Scope): Promise<void> {
  const [list, history] = await Promise.all([
    mine.invoke('alerts.list', {}, 'list'),
    mine.invoke('alerts.history', { limit: HISTORY_KEEP }, 'history'),
  ])
  if (list) {
    if (list.ok) set({ alerts: list.value })
    else reportError('Could not load the alerts', list.error)
  }
  if (history) {
    if (history.ok) set({ history: history.value })
    else reportError('Could not load the alert history', history.error)
  }
}

/** An event applied to the filtered history too: a firing joins it when it matches the filter. */
function filteredUpdate(
  s: ReturnType<typeof useAlertsStore.getState>,
  e: AlertsUpdate,
): Partial<ReturnType<typeof useAlertsStore.getState>> {
  if (!s.filtered) return {}
  if (e.type === 'fired' && !matchesFilter(e.firing, s.filter)) return {}
  const out = applyAlertsUpdate({ alerts: null, unread: s.unread, history: s.filtered }, e)
  return out.history ? { filtered: out.history } : {}
}

/** In-app delivery of a firing: a toast with a way to its chart, and the browser's notification. */
function deliver(f: Firing): void {
  const open = f.series ? () => openChartOf(f.series!) : undefined
  notify(
    f.away ? 'warning' : 'info',
    f.away ? `Alert while you were away: ${f.alertName}` : `Alert: ${f.alertName}`,
    // The engine's message already names the alert, its series and the condition.
    f.message,
    open ? { label: 'Open chart', run: open } : { label: 'Open alerts', run: showAlerts },
  )
  showBrowserNotification(f, open ?? showAlerts)
  const s = useAlertsStore.getState()
  if (
    shouldSound(
      s.sound,
      f,
      s.alerts?.find((a) => a.id === f.alertId),
    )
  )
    playChime()
}

/** Shows the chart of an alert's series on the Trade view. */
export function openChartOf(series: AlertSeries): void {
  showSeries(series.source, series.symbol, series.timeframe)
  app.key?.showView('trade')
}

/** Shows the Alerts view. */
export function showAlerts(): void {
  app.key?.showView('alerts')
}
