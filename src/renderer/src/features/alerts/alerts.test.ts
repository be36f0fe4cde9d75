import { describe, expect, it } from 'vitest'
import type { Alert, Firing } from '../../../../shared/contract/alerts'
import { applyAlertsUpdate } from './alerts-updates'
import type { AlertsState } from './store'

type Lists = Pick<AlertsState, 'alerts' | 'unread' | 'history'>
import { fieldOf, newDraft, priceLevel, specOf, toSpec, withLevel } from './form-model'

const alert = (id: string, value = 100): Alert => ({
  id,
  name: `a ${id}`,
  series: { source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' },
  condition: {
    type: 'compare',
    left: { kind: 'price', field: 'last' },
    op: 'crossing',
    right: { kind: 'value', value },
  },
  evaluate: 'intrabar',
  frequency: 'once',
  minIntervalMs: 60_000,
  expiresAt: null,
  hysteresis: null,
  message: null,
  sound: false,
  deliveries: [{ kind: 'webhook', hint: 'https://h…ab', template: 'x {{symbol}}' }],
  status: 'active',
  description: 'BTC/USDT 1h: last crossing 100',
  lastFiredAt: null,
  createdAt: 1,
  updatedAt: 1,
})

const firing = (id: number, alertId = 'x'): Firing => ({
  id,
  alertId,
  alertName: 'a',
  series: null,
  kind: 'order',
  symbol: null,
  time: 1000 + id,
  barTime: null,
  away: false,
  message: 'm',
  values: {},
  read: false,
  deliveries: [],
})

describe('alerts.updates applied to the lists', () => {
  it('puts a new alert first, replaces a changed one, removes a deleted one', () => {
    let s: Lists = { alerts: [alert('a')], unread: 0, history: null }
    s = { ...s, ...applyAlertsUpdate(s, { type: 'changed', alert: alert('b') }) }
    expect(s.alerts!.map((a) => a.id)).toEqual(['b', 'a'])
    s = { ...s, ...applyAlertsUpdate(s, { type: 'changed', alert: { ...alert('a'), status: 'paused' } }) }
    expect(s.alerts!.map((a) => [a.id, a.status])).toEqual([
      ['b', 'active'],
      ['a', 'paused'],
    ])
    s = { ...s, ...applyAlertsUpdate(s, { type: 'removed', id: 'b' }) }
    expect(s.alerts!.map((a) => a.id)).toEqual(['a'])
  })

  it('a firing goes first once (applied twice is once), moves its alert’s last firing and the unread count', () => {
    let s: Lists = { alerts: [alert('x')], unread: 0, history: [firing(1)] }
    const e = { type: 'fired', firing: firing(2), unread: 2 } as const
    s = { ...s, ...applyAlertsUpdate(s, e) }
    s = { ...s, ...applyAlertsUpdate(s, e) }
    expect(s.history!.map((f) => f.id)).toEqual([2, 1])
    expect(s.unread).toBe(2)
    expect(s.alerts![0]!.lastFiredAt).toBe(1002)
    const attempt = {
      channel: 0,
      kind: 'webhook',
      attempt: 1,
      at: 5,
      ok: true,
      status: 200,
      error: null,
      durationMs: 3,
    } as const
    s = { ...s, ...applyAlertsUpdate(s, { type: 'delivery', firingId: 2, attempt }) }
    s = { ...s, ...applyAlertsUpdate(s, { type: 'delivery', firingId: 2, attempt }) }
    expect(s.history![0]!.deliveries).toHaveLength(1)
    s = { ...s, ...applyAlertsUpdate(s, { type: 'read', unread: 0 }) }
    expect(s.history!.every((f) => f.read)).toBe(true)
  })
})

describe('the alert form', () => {
  it('turns the draft into the contract’s spec, numbers read with grouping', () => {
    const d = newDraft({ source: 'demo', symbol: 'BTC/USDT', timeframe: '15m' }, '43,250.5')
    const read = toSpec(d)
    expect(read).toEqual({
      spec: expect.objectContaining({
        series: { source: 'demo', symbol: 'BTC/USDT', timeframe: '15m' },
        condition: {
          type: 'compare',
          left: { kind: 'price', field: 'last' },
          op: 'crossing',
          right: { kind: 'value', value: 43250.5 },
        },
        frequency: 'once',
      }),
    })
  })

  it('names the field of a number that is not one, and of the engine’s validation paths', () => {
    const d = { ...newDraft(null), right: { ...newDraft(null).right, value: 'abc' } }
    expect(toSpec(d)).toEqual({ errors: { 'condition.right.value': 'not a number' } })
    expect(fieldOf('params.alert.condition.left.params.period')).toBe('condition.left.params')
    expect(fieldOf('params.alert.expiresAt')).toBe('expiresAt')
    expect(fieldOf('params.alert.deliveries[1].url')).toBe('deliveries[1].secret')
    expect(fieldOf('params.alert.deliveries[0].chatId')).toBe('deliveries[0].chatId')
    expect(fieldOf('params.id')).toBeNull()
  })

  it('a dragged line moves only the level, and sends the channels without their secrets', () => {
    const moved = withLevel(alert('a'), 123.5)!
    expect(priceLevel(moved)).toEqual({ value: 123.5, side: 'right' })
    expect(specOf(moved).deliveries).toEqual([{ kind: 'webhook', template: 'x {{symbol}}' }])
    expect(specOf(moved).name).toBe('a a')
    // A name the engine made from the condition is left out, so the engine names the new level.
    const auto = {
      ...alert('b'),
      name: 'BTC/USDT 1h: last crossing 100',
      description: 'BTC/USDT 1h: last crossing 100',
    }
    expect(specOf(withLevel(auto, 120)!)).not.toHaveProperty('name')
  })
})
