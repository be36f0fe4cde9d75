import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  clearList,
  dismiss,
  expireDue,
  MAX_VISIBLE,
  notify,
  openList,
  pause,
  resolve,
  resume,
  useNoticesStore,
  visibleToasts,
} from './store'

const toasts = () => useNoticesStore.getState().notices.map((n) => n.title)
const history = () => useNoticesStore.getState().history.map((n) => [n.title, n.ended ?? 'showing'])

/** Lets `ms` pass and runs the one expiry check the toast stack's timer would run. */
function pass(ms: number): void {
  vi.advanceTimersByTime(ms)
  expireDue()
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(new Date('2026-12-07T10:00:00Z'))
  useNoticesStore.setState({ notices: [], history: [], listOpen: false, seenId: 0 })
})

afterEach(() => {
  vi.useRealTimers()
})

describe('notices time out by severity', () => {
  it('information goes after about 6 s, a warning after about 12 s, an error stays', () => {
    notify('info', 'Order filled', 'Bought 0.01 BTC')
    notify('warning', 'Rate limited', 'Slow down')
    notify('error', 'Could not cancel', 'Order is not open')
    pass(5_900)
    expect(toasts()).toEqual(['Order filled', 'Rate limited', 'Could not cancel'])
    pass(200)
    expect(toasts()).toEqual(['Rate limited', 'Could not cancel'])
    pass(5_800)
    expect(toasts()).toEqual(['Rate limited', 'Could not cancel'])
    pass(200)
    expect(toasts()).toEqual(['Could not cancel'])
    pass(10 * 60_000)
    expect(toasts()).toEqual(['Could not cancel'])
    dismiss(useNoticesStore.getState().notices[0]!.id)
    expect(toasts()).toEqual([])
  })

  it('expireDue tells when the next toast goes', () => {
    expect(expireDue()).toBeNull()
    notify('warning', 'W', 'w')
    notify('info', 'I', 'i')
    expect(expireDue()).toBe(Date.now() + 6_000)
    notify('error', 'E', 'e')
    pass(6_000)
    expect(expireDue()).toBe(Date.now() + 6_000)
  })

  it('a repeated notice is counted and its time starts again', () => {
    notify('info', 'Order filled', 'same')
    pass(5_000)
    const id = notify('info', 'Order filled', 'same')
    expect(useNoticesStore.getState().notices).toMatchObject([{ id, count: 2 }])
    pass(5_000)
    expect(toasts()).toEqual(['Order filled'])
    pass(1_100)
    expect(toasts()).toEqual([])
    expect(history()).toEqual([['Order filled', 'timed-out']])
  })

  it('the pointer on a toast stops its time, and it runs on from there when it leaves', () => {
    const id = notify('info', 'Order filled', 'x')
    pass(4_000)
    pause(id)
    pass(60_000)
    expect(toasts()).toEqual(['Order filled'])
    resume(id)
    pass(1_900)
    expect(toasts()).toEqual(['Order filled'])
    pass(200)
    expect(toasts()).toEqual([])
  })
})

describe('conditions', () => {
  it('a notice with the same key replaces the one showing; resolve takes it away', () => {
    notify('warning', 'Connection lost', 'reconnecting', undefined, { key: 'connection' })
    notify('error', 'Could not cancel', 'Order is not open')
    notify('error', 'Disconnected', 'new token', undefined, { key: 'connection' })
    expect(toasts()).toEqual(['Could not cancel', 'Disconnected'])
    resolve('connection')
    expect(toasts()).toEqual(['Could not cancel'])
    expect(history()).toEqual([
      ['Connection lost', 'replaced'],
      ['Could not cancel', 'showing'],
      ['Disconnected', 'resolved'],
    ])
  })

  it('"restored" replaces "lost" and then times out; both stay in the list', () => {
    notify('warning', 'Connection lost', 'reconnecting', undefined, { key: 'connection' })
    pass(1_000)
    notify('info', 'Connection restored', 'live again', undefined, { key: 'connection' })
    expect(toasts()).toEqual(['Connection restored'])
    pass(6_000)
    expect(toasts()).toEqual([])
    expect(history()).toEqual([
      ['Connection lost', 'replaced'],
      ['Connection restored', 'timed-out'],
    ])
  })

  it('an error with a key stays until its condition resolves', () => {
    notify('error', 'Disconnected', 'closed', undefined, { key: 'connection' })
    pass(60 * 60_000)
    expect(toasts()).toEqual(['Disconnected'])
    resolve('other')
    expect(toasts()).toEqual(['Disconnected'])
    resolve('connection')
    expect(toasts()).toEqual([])
  })
})

describe('the list', () => {
  it('keeps every notice of the session, dismissed and timed out too, until cleared', () => {
    const a = notify('error', 'A', 'a')
    notify('info', 'B', 'b')
    dismiss(a)
    pass(7_000)
    expect(toasts()).toEqual([])
    expect(history()).toEqual([
      ['A', 'dismissed'],
      ['B', 'timed-out'],
    ])
    const at = useNoticesStore.getState().history[0]!
    expect(at).toMatchObject({
      level: 'error',
      message: 'a',
      count: 1,
      raisedAt: Date.parse('2026-12-07T10:00:00Z'),
    })
    clearList()
    expect(history()).toEqual([])
  })

  it('opening it marks the notices so far as seen', () => {
    notify('info', 'A', 'a')
    notify('info', 'B', 'b')
    openList(true)
    expect(useNoticesStore.getState()).toMatchObject({ listOpen: true })
    notify('info', 'C', 'c')
    const s = useNoticesStore.getState()
    expect(s.history.filter((n) => n.id > s.seenId).map((n) => n.title)).toEqual(['C'])
  })

  it('shows at most three toasts, errors kept in sight, and counts the rest', () => {
    notify('error', 'E1', 'x')
    for (let i = 0; i < 4; i++) notify('info', `I${i}`, 'x')
    const { shown, hidden } = visibleToasts(useNoticesStore.getState().notices)
    expect(MAX_VISIBLE).toBe(3)
    expect(shown.map((n) => n.title)).toEqual(['E1', 'I2', 'I3'])
    expect(hidden).toBe(2)
  })
})
