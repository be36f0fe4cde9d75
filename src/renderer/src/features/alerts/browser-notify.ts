import type { Firing } from '../../../../shared/contract/alerts'
import type { NotifyPermission } from './store'

/**
 * The browser's Notification API for the headless host. The desktop app's engine shows native
 * notifications itself (its notifier), so there the page shows none (`window.candlework` is the
 * desktop's preload). Permission is asked only when the trader presses the Alerts view's button,
 * never on load: browsers block pages that ask unprompted, and a trader asked out of the blue
 * says no.
 */

const api = (): typeof Notification | null =>
  window.candlework === undefined && typeof window.Notification === 'function' ? window.Notification : null

export function notifyPermission(): NotifyPermission {
  const N = api()
  return N ? N.permission : 'unsupported'
}

/** Asks the browser (after the trader's click); answers what it decided. */
export async function askNotifyPermission(): Promise<NotifyPermission> {
  const N = api()
  if (!N) return 'unsupported'
  try {
    return await N.requestPermission()
  } catch {
    return N.permission
  }
}

/**
 * Shows a firing as a system notification when the trader allowed it; a click focuses the app
 * and runs `onClick` (the alert's chart). Returns whether one was shown.
 */
export function showBrowserNotification(firing: Firing, onClick: () => void): boolean {
  const N = api()
  if (!N || N.permission !== 'granted') return false
  try {
    const n = new N(`${firing.away ? 'While you were away · ' : ''}${firing.alertName}`, {
      body: firing.message,
      // One per alert: a newer firing replaces the older one instead of piling up.
      tag: `candlework-alert-${firing.alertId}`,
    })
    n.onclick = () => {
      window.focus()
      onClick()
      n.close()
    }
    return true
  } catch {
    // Some browsers allow notifications only from a service worker: the toast still shows.
    return false
  }
}
