import type { MenuItemTemplate, NotificationPort, NotificationsPort, TrayPort } from './electron-port'

/**
 * Test build only: what the `_electron` end-to-end test (test/e2e/electron.spec.ts) reads of
 * the tray and the native notifications, which Electron gives no way to list. src/main/index.ts
 * wraps the real ports with `probeDesktopPorts` only when the build is a test build
 * (`__CANDLEWORK_TEST_HOOK__`, so production has none of this) AND `CANDLEWORK_E2E=1` is set; the
 * probe then sits on the main process's `globalThis[DESKTOP_PROBE_GLOBAL]`, where the test reaches it
 * through `electronApp.evaluate`. It records and clicks, and changes nothing else, except that
 * every notification counts as supported and is recorded even where the system shows none (a CI
 * machine without a notification server).
 */
export const DESKTOP_PROBE_ENV = 'CANDLEWORK_E2E'
export const DESKTOP_PROBE_GLOBAL = 'candleworkDesktopProbe'

export interface DesktopProbe {
  /** True from the tray's creation until it is destroyed. */
  trayShown: boolean
  tooltip: string | null
  menu: readonly MenuItemTemplate[]
  notifications: { title: string; body: string }[]
  /** The menu's labels, separators left out. */
  menuLabels(): string[]
  /** Clicks the first menu item whose label starts with `start`; false when there is none. */
  clickMenuItem(start: string): boolean
  /** Clicks the `index`th notification made (0 = the first); false when there is none. */
  clickNotification(index: number): boolean
}

export interface ProbedPorts {
  notifications: NotificationsPort
  createTray: () => TrayPort
}

/** The same ports, recording into a new probe put on `into[DESKTOP_PROBE_GLOBAL]`. */
export function probeDesktopPorts(ports: ProbedPorts, into: object = globalThis): ProbedPorts {
  const clicks: (() => void)[][] = []
  const probe: DesktopProbe = {
    trayShown: false,
    tooltip: null,
    menu: [],
    notifications: [],
    menuLabels: () => probe.menu.filter((i) => i.type !== 'separator').map((i) => i.label ?? ''),
    clickMenuItem(start) {
      const item = probe.menu.find((i) => i.label?.startsWith(start) && i.click)
      item?.click?.()
      return item !== undefined
    },
    clickNotification(index) {
      const listeners = clicks[index]
      for (const l of listeners ?? []) l()
      return listeners !== undefined
    },
  }
  ;(into as Record<string, unknown>)[DESKTOP_PROBE_GLOBAL] = probe
  return {
    notifications: {
      isSupported: () => true,
      create(options) {
        const real = ports.notifications.isSupported() ? ports.notifications.create(options) : null
        const mine: (() => void)[] = []
        clicks.push(mine)
        probe.notifications.push({ title: options.title, body: options.body })
        const n: NotificationPort = {
          // The real one's clicks are the trader's; the probe's are the test's.
          on: (event, listener) => {
            mine.push(listener)
            real?.on(event, listener)
            return n
          },
          show: () => real?.show(),
        }
        return n
      },
    },
    createTray() {
      const real = ports.createTray()
      probe.trayShown = true
      return {
        setToolTip(text) {
          probe.tooltip = text
          real.setToolTip(text)
        },
        setContextMenu(template) {
          probe.menu = [...template]
          real.setContextMenu(template)
        },
        on: (event, listener) => real.on(event, listener),
        destroy() {
          probe.trayShown = false
          real.destroy()
        },
      }
    },
  }
}
