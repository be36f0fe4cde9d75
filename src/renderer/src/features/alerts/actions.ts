import type { Alert, Firing } from '../../../../shared/contract/alerts'
import { client } from '../../connection'
import { notify, reportError } from '../notices/store'
import { playChime, writeSoundSetting, type SoundSetting } from './alert-sound'
import { markedRead } from './alerts-updates'
import { askNotifyPermission } from './browser-notify'
import { useAlertsStore } from './store'

/**
 * What the Alerts view's list and history do. The lists themselves follow `alerts.updates`
 * (live.ts): an answer here only reports failures, the stream brings the change.
 */

export async function setAlertActive(alert: Alert, active: boolean): Promise<void> {
  const res = await client().invoke('alerts.setActive', { id: alert.id, active })
  if (!res.ok) reportError(`Could not ${active ? 'resume' : 'pause'} the alert "${alert.name}"`, res.error)
}

export async function deleteAlert(alert: Alert): Promise<void> {
  const res = await client().invoke('alerts.delete', { id: alert.id })
  if (!res.ok) reportError(`Could not delete the alert "${alert.name}"`, res.error)
  else notify('info', 'Alert deleted', `${alert.description} (its firings stay in the history)`)
}

/** Marks firings read (`ids`), or every one. */
export async function markRead(ids: number[] | 'all'): Promise<void> {
  const res = await client().invoke('alerts.markRead', ids === 'all' ? { all: true } : { ids })
  if (!res.ok) {
    reportError('Could not mark the alerts read', res.error)
    return
  }
  const mark = (list: Firing[] | null): Firing[] | null =>
    ids === 'all'
      ? (list?.map((f) => (f.read ? f : { ...f, read: true })) ?? null)
      : markedRead(list, new Set(ids))
  useAlertsStore.setState((s) => ({
    unread: res.value.unread,
    history: mark(s.history),
    filtered: mark(s.filtered),
  }))
}

/** The trader pressed "Allow notifications": the browser asks, once. */
export async function allowNotifications(): Promise<void> {
  const permission = await askNotifyPermission()
  useAlertsStore.setState({ permission })
  if (permission === 'denied')
    notify(
      'warning',
      'Notifications blocked',
      'The browser blocks them: alerts show here only. Allow them in the site settings.',
    )
}

/** The trader chose which firings chime: stored in this browser, and a chime to hear it by. */
export function setSound(sound: SoundSetting): void {
  writeSoundSetting(sound)
  useAlertsStore.setState({ sound })
  if (sound !== 'off') playChime()
}
