import type { AlertsUpdate, Firing } from '../../../../shared/contract/alerts'
import type { AlertsState } from './store'

/** How many firings the app keeps in memory (the view asks the engine for older ones). */
export const HISTORY_KEEP = 200

type Lists = Pick<AlertsState, 'alerts' | 'unread' | 'history'>

/**
 * One `alerts.updates` event applied to the lists, never answered with a refetch: an alert
 * replaced by its id or put first, a firing put first (and its alert's last firing time moved),
 * a delivery attempt added to its firing. Applying an event twice is the same as once, so an
 * event that arrives while a list loads can be applied again on top of the list's answer.
 */
export function applyAlertsUpdate(s: Lists, e: AlertsUpdate): Partial<Lists> {
  switch (e.type) {
    case 'snapshot':
      return { unread: e.unread }
    case 'read':
      // None left unread: every firing shown is read (a partial read marks its own ids).
      return e.unread === 0 && s.history
        ? { unread: 0, history: s.history.map((f) => (f.read ? f : { ...f, read: true })) }
        : { unread: e.unread }
    case 'changed': {
      if (!s.alerts) return {}
      const i = s.alerts.findIndex((a) => a.id === e.alert.id)
      if (i < 0) return { alerts: [e.alert, ...s.alerts] }
      const alerts = s.alerts.slice()
      alerts[i] = e.alert
      return { alerts }
    }
    case 'removed':
      return s.alerts ? { alerts: s.alerts.filter((a) => a.id !== e.id) } : {}
    case 'fired': {
      const f = e.firing
      const out: Partial<Lists> = { unread: e.unread }
      if (s.history) out.history = [f, ...s.history.filter((h) => h.id !== f.id)].slice(0, HISTORY_KEEP)
      if (s.alerts)
        out.alerts = s.alerts.map((a) =>
          a.id === f.alertId && (a.lastFiredAt ?? 0) < f.time ? { ...a, lastFiredAt: f.time } : a,
        )
      return out
    }
    case 'delivery': {
      if (!s.history) return {}
      const a = e.attempt
      return {
        history: s.history.map((f) =>
          f.id !== e.firingId || f.deliveries.some((d) => d.channel === a.channel && d.attempt === a.attempt)
            ? f
            : { ...f, deliveries: [...f.deliveries, a] },
        ),
      }
    }
  }
}

/** The firings `ids` marked read in the list. */
export function markedRead(history: Firing[] | null, ids: ReadonlySet<number>): Firing[] | null {
  return history && history.map((f) => (ids.has(f.id) && !f.read ? { ...f, read: true } : f))
}
