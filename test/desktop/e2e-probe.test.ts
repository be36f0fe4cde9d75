import { afterEach, describe, expect, it, vi } from 'vitest'
import { DesktopShell } from '../../src/main/desktop/desktop-shell'
import { sqliteSettings } from '../../src/main/desktop/desktop-settings'
import { DESKTOP_PROBE_GLOBAL, probeDesktopPorts, type DesktopProbe } from '../../src/main/desktop/e2e-probe'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { IPC_DESKTOP_MESSAGE } from '../../src/shared/rpc/bridge'
import { useTempDirs } from '../support/temp-dir'
import { FakeLifecycle, FakeNotifications, FakePowerMonitor, FakeTray, FakeWindow } from './fake-electron'

/**
 * The desktop e2e probe (what test/e2e/electron.spec.ts reads through `electronApp.evaluate`, where
 * Electron exists) run here over a fake Electron around a real engine: the same alert, the same
 * strings the Electron test expects, so that test's logic is checked even where it cannot run.
 */
const tempDir = useTempDirs()
const open: { engine: Engine; shell: DesktopShell }[] = []
afterEach(async () => {
  for (const { engine, shell } of open.splice(0)) {
    shell.close()
    await engine.close()
  }
})

function probed(supported: boolean) {
  const notifications = new FakeNotifications(supported)
  const tray = new FakeTray()
  const into: Record<string, unknown> = {}
  const ports = probeDesktopPorts({ notifications, createTray: () => tray }, into)
  return { ports, notifications, tray, probe: into[DESKTOP_PROBE_GLOBAL] as DesktopProbe }
}

describe('the desktop e2e probe', () => {
  it('records the tray and the notifications as the shell sets them, and clicks them like the trader', async () => {
    const p = probed(true)
    const win = new FakeWindow()
    const shell = new DesktopShell({
      platform: 'linux',
      app: new FakeLifecycle(),
      notifications: p.ports.notifications,
      power: new FakePowerMonitor(),
      createTray: p.ports.createTray,
      isTrustedUrl: (url) => url.startsWith('app://candlework/'),
      confirm: async () => false,
    })
    const engine = createEngine({
      dataDir: tempDir(),
      host: 'desktop',
      log: silentLogger,
      notifier: shell.notifier,
    })
    open.push({ engine, shell })
    expect(p.probe.trayShown).toBe(false)
    shell.start({ registry: engine.registry, settings: sqliteSettings(engine.db), resume: () => {} }, win)
    expect(p.probe.trayShown).toBe(true)
    expect(p.probe.tooltip).toBe('Candlework: no unread alerts')

    const series = { source: 'demo', symbol: 'ETH/USDT', timeframe: '15m' }
    const res = await engine.registry.invoke(
      'alerts.create',
      {
        alert: {
          name: 'ETH above zero',
          series,
          condition: {
            type: 'compare',
            left: { kind: 'price', field: 'last' },
            op: 'greater',
            right: { kind: 'value', value: 0 },
          },
          evaluate: 'intrabar',
          frequency: 'once',
        },
      },
      { transport: 'memory', peer: 'test' },
    )
    expect(res.ok).toBe(true)
    await vi.waitFor(() => expect(p.probe.tooltip).toBe('Candlework: 1 unread alert'), { timeout: 8_000 })
    // What the Electron test asserts, and the real tray got the same.
    const labels = p.probe.menuLabels()
    expect(labels).toEqual(p.tray.labels())
    expect(labels[0]).toBe('Show Candlework')
    expect(labels).toContain('Latest alerts (1 unread)')
    expect(labels.some((l) => l.startsWith('ETH above zero · ETH/USDT 15m · '))).toBe(true)
    expect(labels).toContain('Mute alerts for 1 hour')
    expect(labels.some((l) => l.startsWith('Kill switch'))).toBe(true)
    expect(labels).toContain('Quit Candlework')
    expect(p.probe.notifications).toEqual([
      { title: 'ETH/USDT 15m: ETH above zero', body: expect.any(String) },
    ])
    expect(p.notifications.made).toHaveLength(1)
    expect(p.notifications.made[0]!.shown).toBe(true)

    expect(p.probe.clickNotification(0)).toBe(true)
    expect(win.sent).toEqual([{ channel: IPC_DESKTOP_MESSAGE, message: { type: 'openChart', series } }])
    expect(p.probe.clickNotification(1)).toBe(false)

    expect(p.probe.clickMenuItem('Mute alerts for 1 hour')).toBe(true)
    expect(p.probe.menuLabels().some((l) => /^Alerts muted until \d\d:\d\d: unmute$/.test(l))).toBe(true)
    expect(p.tray.tooltip).toMatch(/muted until/)
    expect(p.probe.clickMenuItem('No such item')).toBe(false)

    shell.close()
    expect(p.probe.trayShown).toBe(false)
    expect(p.tray.destroyed).toBe(true)
  })

  it('records a notification where the system shows none, and the click still reaches the shell', () => {
    const p = probed(false)
    const clicked = vi.fn()
    const n = p.ports.notifications.create({ title: 'T', body: 'B' })
    n.on('click', clicked)
    n.show()
    expect(p.ports.notifications.isSupported()).toBe(true)
    expect(p.notifications.made).toHaveLength(0)
    expect(p.probe.notifications).toEqual([{ title: 'T', body: 'B' }])
    p.probe.clickNotification(0)
    expect(clicked).toHaveBeenCalledTimes(1)
  })
})
