import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Firing } from '../../../../shared/contract/alerts'
import { askNotifyPermission, notifyPermission, showBrowserNotification } from './browser-notify'

/*
 * The headless host's browser notifications: the page asks only when the trader presses the
 * button (never on its own), shows one only where the trader allowed it, and none at all in the
 * desktop app (whose engine shows native ones).
 */

afterEach(() => {
  vi.unstubAllGlobals()
})

/** A browser's Notification with `permission` as the trader left it; `asked` counts the prompts. */
function browser(permission: NotificationPermission, answer: NotificationPermission = 'granted') {
  const made: {
    title: string
    options: NotificationOptions
    n: { onclick: (() => void) | null; close: () => void }
  }[] = []
  const asked = vi.fn(async () => answer)
  class FakeNotification {
    static permission = permission
    static requestPermission = asked
    onclick: (() => void) | null = null
    close = vi.fn()
    constructor(title: string, options: NotificationOptions) {
      made.push({ title, options, n: this })
    }
  }
  const focus = vi.fn()
  vi.stubGlobal('window', { Notification: FakeNotification, focus })
  return { made, asked, focus }
}

const firing = (away = false) =>
  ({
    alertId: 'a1',
    alertName: 'BTC above 70k',
    message: 'BTC/USDT 1h: last greater than 70000',
    away,
  }) as Firing

describe('browser notifications', () => {
  it('are never asked for on their own: reading the permission does not prompt, the button does, once per press', async () => {
    const b = browser('default', 'granted')
    expect(notifyPermission()).toBe('default')
    expect(showBrowserNotification(firing(), () => {})).toBe(false)
    expect(b.asked).not.toHaveBeenCalled()
    expect(await askNotifyPermission()).toBe('granted')
    expect(b.asked).toHaveBeenCalledTimes(1)
    expect(b.made).toHaveLength(0)
  })

  it('show a firing only where allowed, one per alert, and a click opens its chart', () => {
    const denied = browser('denied')
    expect(showBrowserNotification(firing(), () => {})).toBe(false)
    expect(denied.made).toHaveLength(0)

    const b = browser('granted')
    const open = vi.fn()
    expect(showBrowserNotification(firing(), open)).toBe(true)
    expect(showBrowserNotification(firing(true), open)).toBe(true)
    expect(b.made.map((m) => [m.title, m.options.tag])).toEqual([
      ['BTC above 70k', 'candlework-alert-a1'],
      ['While you were away · BTC above 70k', 'candlework-alert-a1'],
    ])
    expect(b.made[0]!.options.body).toBe('BTC/USDT 1h: last greater than 70000')
    b.made[0]!.n.onclick!()
    expect(b.focus).toHaveBeenCalledTimes(1)
    expect(open).toHaveBeenCalledTimes(1)
    expect(b.made[0]!.n.close).toHaveBeenCalledTimes(1)
  })

  it('are none in the desktop app, which shows native ones from the engine', async () => {
    const b = browser('granted')
    ;(globalThis as unknown as { window: { candlework: object } }).window.candlework = { host: 'desktop' }
    expect(notifyPermission()).toBe('unsupported')
    expect(await askNotifyPermission()).toBe('unsupported')
    expect(showBrowserNotification(firing(), () => {})).toBe(false)
    expect(b.asked).not.toHaveBeenCalled()
    expect(b.made).toHaveLength(0)
  })
})
