import { afterEach, describe, expect, it, vi } from 'vitest'
import { DesktopShell, APP_USER_MODEL_ID } from '../../src/main/desktop/desktop-shell'
import { KEEP_IN_TRAY_KEY, sqliteSettings } from '../../src/main/desktop/desktop-settings'
import { MUTE_MS } from '../../src/main/desktop/alert-tray'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { desktopMessageSchema } from '../../src/shared/contract/alerts'
import { IPC_DESKTOP_MESSAGE } from '../../src/shared/rpc/bridge'
import { useTempDirs } from '../support/temp-dir'
import { FakeLifecycle, FakeNotifications, FakePowerMonitor, FakeTray, FakeWindow } from './fake-electron'

/**
 * The desktop shell through a fake Electron (notifications, tray, window, app, powerMonitor)
 * around a real engine on a temporary folder: alerts fire from real paper fills, the tray reads
 * `alerts.updates` and `alerts.history` like any client, the setting is a row of the real
 * `settings` table.
 */
const tempDir = useTempDirs()
const open: { engine: Engine; shell: DesktopShell }[] = []
afterEach(async () => {
  for (const { engine, shell } of open.splice(0)) {
    shell.close()
    await engine.close()
  }
})

function desktop(platform: NodeJS.Platform, dataDir = tempDir()) {
  let now = Date.now()
  const timers: { at: number; fn: () => void }[] = []
  const ports = {
    platform,
    app: new FakeLifecycle(),
    notifications: new FakeNotifications(),
    power: new FakePowerMonitor(),
    tray: new FakeTray(),
    win: new FakeWindow(),
  }
  const shell = new DesktopShell({
    platform,
    app: ports.app,
    notifications: ports.notifications,
    power: ports.power,
    createTray: () => ports.tray,
    isTrustedUrl: (url: string) => url.startsWith('app://candlework/'),
    now: () => now,
    later: (fn, ms) => {
      const t = { at: now + ms, fn }
      timers.push(t)
      return () => timers.splice(timers.indexOf(t), 1)
    },
  })
  const engine = createEngine({ dataDir, host: 'desktop', log: silentLogger, notifier: shell.notifier })
  open.push({ engine, shell })
  const resumed = vi.fn(() => engine.resume())
  shell.start({ registry: engine.registry, settings: sqliteSettings(engine.db), resume: resumed }, ports.win)
  /** Moves the shell's clock on, firing what it planned meanwhile. */
  const advance = (ms: number) => {
    now += ms
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1)
      t.fn()
    }
  }
  return { ...ports, shell, engine, resumed, advance, dataDir }
}

const CTX = { transport: 'memory', peer: 'test' } as const

async function call(engine: Engine, name: string, params: unknown): Promise<unknown> {
  const res = await engine.registry.invoke(name, params, CTX)
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`)
  return res.value
}

async function alertOnFills(engine: Engine): Promise<void> {
  await call(engine, 'alerts.create', {
    alert: {
      name: 'Demo order filled',
      condition: { type: 'order', accountId: 'demo-paper', events: ['filled'] },
      frequency: 'every_time',
      minIntervalMs: 0,
    },
  })
}

const buy = (engine: Engine) =>
  call(engine, 'trading.placeOrder', {
    accountId: 'demo-paper',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    amount: '0.001',
  })

describe('the desktop shell', () => {
  it('sets the AppUserModelID on Windows only, so notifications are the app’s own', () => {
    expect(desktop('win32').app.appUserModelId).toBe(APP_USER_MODEL_ID)
    expect(desktop('linux').app.appUserModelId).toBeNull()
  })

  it('shows an alert firing as a native notification that opens the window when clicked; the tray counts it unread', async () => {
    const d = desktop('linux')
    expect(d.tray.tooltip).toBe('Candlework: no unread alerts')
    expect(d.tray.labels()).toEqual([
      'Show Candlework',
      'Latest alerts',
      'No alerts yet',
      'Mute alerts for 1 hour',
      'Keep running in the tray when the window closes',
      'Quit Candlework',
    ])
    await alertOnFills(d.engine)
    await buy(d.engine)
    await vi.waitFor(() => expect(d.notifications.made).toHaveLength(1))
    const [n] = d.notifications.made
    expect(n!.shown).toBe(true)
    expect(n!.options.title).toBe('Demo order filled')
    await vi.waitFor(() => expect(d.tray.tooltip).toBe('Candlework: 1 unread alert'))
    expect(d.tray.labels()).toContain('Latest alerts (1 unread)')
    expect(d.tray.labels().some((l) => /^Demo order filled · \d\d:\d\d$/.test(l))).toBe(true)

    d.win.minimized = true
    n!.click()
    expect(d.win.calls).toEqual(['restore', 'show', 'focus'])
    // An order alert has no chart: the window is told to show the Alerts view.
    expect(d.win.sent).toEqual([{ channel: IPC_DESKTOP_MESSAGE, message: { type: 'openAlerts' } }])
    // Nothing sensitive: no balance, amount or price in the tooltip or the menu.
    expect([d.tray.tooltip, ...d.tray.labels()].join(' ')).not.toMatch(/USDT|BTC|0\.001|\d\.\d/)
  })

  it("opens the alert's chart in the window when its notification is clicked, and tells no page that is not ours", async () => {
    const d = desktop('linux')
    const series = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' }
    await call(d.engine, 'alerts.create', {
      alert: {
        name: 'BTC above 1',
        series,
        condition: {
          type: 'compare',
          left: { kind: 'price', field: 'last' },
          op: 'greater',
          right: { kind: 'value', value: 1 },
        },
        evaluate: 'intrabar',
        frequency: 'once',
      },
    })
    await vi.waitFor(() => expect(d.notifications.made).toHaveLength(1), { timeout: 8_000 })
    const [n] = d.notifications.made
    n!.click()
    expect(d.win.sent).toEqual([{ channel: IPC_DESKTOP_MESSAGE, message: { type: 'openChart', series } }])
    // Checked by the contract's schema, as the preload checks it before the page hears it.
    expect(desktopMessageSchema.parse(d.win.sent[0]!.message)).toEqual({ type: 'openChart', series })
    // The window navigated away from our renderer: shown, but told nothing.
    d.win.url = 'https://evil.example/'
    n!.click()
    expect(d.win.sent).toHaveLength(1)
    expect(d.win.calls.filter((c) => c === 'show')).toHaveLength(2)
  })

  it('lists the latest 5 alerts at start from the history, newest first, and each opens the window', async () => {
    const first = desktop('linux')
    await alertOnFills(first.engine)
    for (let i = 0; i < 6; i++) await buy(first.engine)
    await vi.waitFor(() => expect(first.tray.tooltip).toBe('Candlework: 6 unread alerts'))
    const dataDir = first.dataDir
    const { engine, shell } = open.splice(0)[0]!
    shell.close()
    expect(first.tray.destroyed).toBe(true)
    await engine.close()

    const again = desktop('linux', dataDir)
    await vi.waitFor(() =>
      expect(again.tray.labels().filter((l) => l.startsWith('Demo order filled'))).toHaveLength(5),
    )
    expect(again.tray.tooltip).toBe('Candlework: 6 unread alerts')
    again.tray.pick(/^Demo order filled/)
    expect(again.win.calls).toEqual(['show', 'focus'])
  })

  it('mutes notifications for an hour from the tray, then shows them again', async () => {
    const d = desktop('linux')
    await alertOnFills(d.engine)
    d.tray.pick('Mute alerts for 1 hour')
    expect(d.tray.tooltip).toMatch(/^Candlework: no unread alerts, muted until \d\d:\d\d$/)
    expect(d.tray.labels().some((l) => /^Alerts muted until \d\d:\d\d: unmute$/.test(l))).toBe(true)
    await buy(d.engine)
    await vi.waitFor(() => expect(d.tray.tooltip).toMatch(/^Candlework: 1 unread alert, muted/))
    expect(d.notifications.made).toHaveLength(0)

    d.advance(MUTE_MS)
    expect(d.tray.labels()).toContain('Mute alerts for 1 hour')
    await buy(d.engine)
    await vi.waitFor(() => expect(d.notifications.made).toHaveLength(1))
  })

  it('shows nothing where the system has no notifications', async () => {
    const d = desktop('linux')
    ;(d.notifications as unknown as { supported: boolean }).supported = false
    await alertOnFills(d.engine)
    await buy(d.engine)
    await vi.waitFor(() => expect(d.tray.tooltip).toBe('Candlework: 1 unread alert'))
    expect(d.notifications.made).toHaveLength(0)
  })

  it('keeps running in the tray when the window closes (on by default on Linux and Windows), stored; Quit closes it', async () => {
    const d = desktop('linux')
    expect(d.win.close()).toBe(false)
    expect(d.win.calls).toEqual(['hide'])
    d.tray.click()
    expect(d.win.calls).toEqual(['hide', 'show', 'focus'])

    // Turned off from the tray: stored in the settings table, and the window closes.
    d.tray.pick('Keep running in the tray when the window closes')
    expect(d.tray.menu.find((i) => i.type === 'checkbox')?.checked).toBe(false)
    expect(sqliteSettings(d.engine.db).get(KEEP_IN_TRAY_KEY)).toBe('false')
    expect(d.win.close()).toBe(true)
  })

  it('is off by default on macOS, and the tray’s Quit closes the window even when on', () => {
    expect(desktop('darwin').win.close()).toBe(true)
    const d = desktop('win32')
    d.tray.pick('Quit Candlework')
    expect(d.app.quitAsked).toBe(1)
    expect(d.win.close()).toBe(true)
  })

  it('re-arms the engine’s schedule when the machine wakes (powerMonitor resume)', () => {
    const d = desktop('linux')
    expect(d.resumed).not.toHaveBeenCalled()
    d.power.resume()
    expect(d.resumed).toHaveBeenCalledTimes(1)
  })
})

describe('the tray’s kill switch', () => {
  function withConfirm(answer: boolean) {
    const dataDir = tempDir()
    const asked: string[] = []
    const ports = {
      app: new FakeLifecycle(),
      notifications: new FakeNotifications(),
      power: new FakePowerMonitor(),
      tray: new FakeTray(),
      win: new FakeWindow(),
    }
    const shell = new DesktopShell({
      platform: 'linux',
      isTrustedUrl: (url: string) => url.startsWith('app://candlework/'),
      app: ports.app,
      notifications: ports.notifications,
      power: ports.power,
      createTray: () => ports.tray,
      confirm: async (q) => {
        asked.push(q.message)
        return answer
      },
    })
    const engine = createEngine({ dataDir, host: 'desktop', log: silentLogger, notifier: shell.notifier })
    open.push({ engine, shell })
    shell.start(
      { registry: engine.registry, settings: sqliteSettings(engine.db), resume: () => {} },
      ports.win,
    )
    return { ...ports, engine, asked }
  }

  const rest = (engine: Engine) =>
    call(engine, 'trading.placeOrder', {
      accountId: 'demo-paper',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.01',
      price: '1000',
    })

  it('asks once, then halts everything, cancels every order and says so in a notification', async () => {
    const d = withConfirm(true)
    await rest(d.engine)
    expect(d.tray.labels()).toContain('Kill switch: halt trading and cancel every order…')
    d.tray.pick('Kill switch: halt trading and cancel every order…')
    await vi.waitFor(() => expect(d.notifications.made).toHaveLength(1))
    expect(d.asked).toEqual(['Halt all trading and cancel every order?'])
    expect(d.notifications.made[0]!.options).toMatchObject({
      title: 'Kill switch',
      body: 'HALTED everywhere; 1 order canceled; nothing outstanding',
    })
    const overview = (await call(d.engine, 'risk.overview', {})) as { global: { state: string } }
    expect(overview.global.state).toBe('HALTED')
  })

  it('does nothing when the confirmation is declined', async () => {
    const d = withConfirm(false)
    await rest(d.engine)
    d.tray.pick('Kill switch: halt trading and cancel every order…')
    await vi.waitFor(() => expect(d.asked).toHaveLength(1))
    const overview = (await call(d.engine, 'risk.overview', {})) as { global: { state: string } }
    expect(overview.global.state).toBe('ACTIVE')
    expect(d.notifications.made).toEqual([])
  })
})
