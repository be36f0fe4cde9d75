import type { alertsContract } from '../../shared/contract/alerts'
import type { Domain } from '../domain'
import { AlertService, type AlertServiceDeps } from './service'

export type AlertsDeps = AlertServiceDeps

export interface AlertsDomain extends Domain<typeof alertsContract> {
  readonly service: AlertService
}

/**
 * Alerts (docs/ARCHITECTURE.md "Alerts"): conditions on charted series and engine events,
 * evaluated in the engine, stored with every firing and delivery attempt. Starting it loads the
 * alerts, evaluates what closed while the app was away and joins the live feeds; closing it stops
 * them and abandons deliveries in flight.
 */
export function createAlertsDomain(deps: AlertsDeps): AlertsDomain {
  const service = new AlertService(deps)
  return {
    name: 'alerts',
    service,
    handlers: {
      'alerts.list': () => service.list(),
      'alerts.create': ({ alert }) => service.create(alert),
      'alerts.update': ({ id, alert }) => service.update(id, alert),
      'alerts.setActive': ({ id, active }) => service.setActive(id, active),
      'alerts.delete': async ({ id }) => ({ deleted: await service.delete(id) }),
      'alerts.preview': ({ alert, days }) =>
        alert.condition.type === 'signal_score'
          ? service.previewSignal(alert, days)
          : service.preview(alert, days),
      'alerts.history': (q) => service.history(q),
      'alerts.markRead': ({ ids, all }) => ({ unread: service.markRead(all === true ? 'all' : (ids ?? [])) }),
      'alerts.updates': (_p, sink) => service.subscribe((u) => sink.emit(u)),
    },
    start: () => service.start(),
    close: () => service.close(),
  }
}
