import { describe, expect, it } from 'vitest'
import {
  createAlertNotifier,
  notificationBody,
  notificationTitle,
} from '../../src/main/desktop/alert-notifier'
import type { Alert, Firing } from '../../src/shared/contract/alerts'
import { FakeNotifications } from './fake-electron'

const series = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' } as const
const alert = { id: 'a1', name: 'Close above 70k', series } as Alert
const firing = {
  id: 1,
  alertId: 'a1',
  alertName: 'Close above 70k',
  series,
  away: false,
  message: 'BTC/USDT 1h: close 70,100 above 70,000',
} as Firing

describe('alert notifications', () => {
  it('name the series and the alert, with the firing’s message, and say when it fired while away', () => {
    expect(notificationTitle(alert, firing)).toBe('BTC/USDT 1h: Close above 70k')
    expect(notificationTitle({ ...alert, series: null }, { ...firing, series: null })).toBe('Close above 70k')
    expect(notificationBody({ ...firing, away: true })).toBe(
      'BTC/USDT 1h: close 70,100 above 70,000 (while you were away)',
    )
  })

  it('never throw into the alerts domain when the system refuses one', () => {
    const errors: unknown[] = []
    const broken = new FakeNotifications()
    broken.create = () => {
      throw new Error('no notification daemon')
    }
    const notifier = createAlertNotifier({
      notifications: broken,
      muted: () => false,
      open: () => {},
      onError: (err) => errors.push(err),
    })
    expect(() => notifier.notify(alert, firing)).not.toThrow()
    expect(errors).toHaveLength(1)
  })
})
