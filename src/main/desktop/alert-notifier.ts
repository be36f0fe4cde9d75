import type { AlertNotifier } from '../alerts/ports'
import type { Alert, Firing } from '../../shared/contract/alerts'
import type { NotificationsPort } from './electron-port'

/**
 * Alert firings as native notifications (the engine's `notifier` port): the alert's name as the
 * title, the firing's message as the body. A click opens the window on the alert's chart. Muted
 * from the tray for an hour, nothing is shown (the firing is still stored and listed in the
 * app). A failure to show one is logged, never thrown into the alerts domain.
 */
export function createAlertNotifier(deps: {
  notifications: NotificationsPort
  muted: () => boolean
  open: (alert: Alert, firing: Firing) => void
  onError?: (err: unknown) => void
}): AlertNotifier {
  return {
    notify(alert, firing) {
      if (deps.muted()) return
      try {
        if (!deps.notifications.isSupported()) return
        const n = deps.notifications.create({
          title: notificationTitle(alert, firing),
          body: notificationBody(firing),
        })
        n.on('click', () => deps.open(alert, firing))
        n.show()
      } catch (err) {
        deps.onError?.(err)
      }
    },
  }
}

/** `BTC/USDT 1h: Close above 70k` (the series first, where the alert has one). */
export function notificationTitle(alert: Alert, firing: Firing): string {
  const s = firing.series ?? alert.series
  return s ? `${s.symbol} ${s.timeframe}: ${alert.name}` : alert.name
}

export function notificationBody(firing: Firing): string {
  return firing.away ? `${firing.message} (while you were away)` : firing.message
}
