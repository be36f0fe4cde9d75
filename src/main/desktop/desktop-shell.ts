import { join } from 'node:path'
import type { AlertNotifier } from '../alerts/ports'
import type { HandlerRegistry } from '../rpc/registry'
import type { AlertsUpdate, DesktopMessage, Firing } from '../../shared/contract/alerts'
import { IPC_DESKTOP_MESSAGE } from '../../shared/rpc/bridge'
import { createAlertNotifier } from './alert-notifier'
import { AlertTray } from './alert-tray'
import { keepRunningInTray, showWindow } from './close-to-tray'
import { readKeepInTray, writeKeepInTray, type KeyValueStore } from './desktop-settings'
import type { KillSwitchReport } from '../../shared/contract/risk'
import type {
  AppLifecyclePort,
  ConfirmPort,
  NotificationsPort,
  PowerMonitorPort,
  SaveDialogPort,
  TrayPort,
  WindowPort,
} from './electron-port'

/** The Windows AppUserModelID: electron-builder's appId, so notifications are the app's own. */
export const APP_USER_MODEL_ID = 'app.candlework.desktop'

export interface DesktopPorts {
  platform: NodeJS.Platform
  app: AppLifecyclePort
  notifications: NotificationsPort
  power: PowerMonitorPort
  createTray: () => TrayPort
  /** Whether a page is our renderer (`rendererLocation`'s check): only it hears main's messages. */
  isTrustedUrl: (url: string) => boolean
  /** A native confirmation (Electron's message box): the tray's kill switch asks with it. */
  confirm?: ConfirmPort
  /** The native save dialog: where the Journal view's exports are written (chooseExportFile). */
  saveDialog?: SaveDialogPort
  /** The folder the save dialog opens in (the OS's Downloads), joined to the suggested name. */
  exportsFolder?: () => string
  now?: () => number
  later?: (fn: () => void, ms: number) => () => void
  onError?: (message: string, err: unknown) => void
}

/** What the shell needs of the engine: its handlers (as a client of the contract), settings, wake. */
export interface DesktopEngine {
  registry: Pick<HandlerRegistry, 'invoke' | 'subscribe'>
  settings: KeyValueStore
  resume(): void
}

const CTX = { transport: 'memory', peer: 'desktop-tray' } as const

/**
 * The desktop around the engine: native notifications of alert firings (made before the engine,
 * which takes the notifier), then, once the engine and the window exist, the tray fed by
 * `alerts.updates` and `alerts.history` like any client, closing to the tray, and the engine's
 * resume on the OS's wake.
 */
export class DesktopShell {
  readonly notifier: AlertNotifier
  private window: WindowPort | null = null
  private tray: AlertTray | null = null
  /** The stored close-to-tray setting, once the engine (its settings table) exists. */
  private keep: { get(): boolean; set(on: boolean): void } | null = null
  private readonly stops: (() => void)[] = []

  constructor(private readonly ports: DesktopPorts) {
    if (ports.platform === 'win32') ports.app.setAppUserModelId(APP_USER_MODEL_ID)
    this.notifier = createAlertNotifier({
      notifications: ports.notifications,
      muted: () => this.tray?.muted() ?? false,
      open: (_alert, firing) => this.openFiring(firing),
      onError: (err) => ports.onError?.('alert notification failed', err),
    })
  }

  start(engine: DesktopEngine, win: WindowPort): void {
    const now = this.ports.now ?? Date.now
    const later =
      this.ports.later ??
      ((fn: () => void, ms: number) => {
        const t = setTimeout(fn, ms)
        t.unref?.()
        return () => clearTimeout(t)
      })
    this.ports.power.on('resume', () => engine.resume())
    const keep = {
      get: () => readKeepInTray(engine.settings, this.ports.platform),
      set: (on: boolean) => writeKeepInTray(engine.settings, on),
    }
    this.keep = keep
    this.setWindow(win)
    const tray = new AlertTray({
      tray: this.ports.createTray(),
      now,
      later,
      showWindow: () => this.showWindow(),
      openFiring: (f) => this.openFiring(f),
      quit: () => this.ports.app.quit(),
      keepInTray: keep,
      killSwitch: this.ports.confirm ? () => void this.killSwitch(engine) : undefined,
    })
    this.tray = tray
    const sub = engine.registry.subscribe(
      'alerts.updates',
      {},
      { emit: (e) => tray.apply(e as AlertsUpdate), end: () => {} },
      CTX,
    )
    if (sub.ok) this.stops.push(sub.dispose)
    else this.ports.onError?.('the tray could not follow alerts', sub.error)
    void engine.registry.invoke('alerts.history', { limit: 5 }, CTX).then((res) => {
      if (res.ok) tray.setLatest(res.value as Firing[])
    })
  }

  /** A window to show and to hide on close (a new one after macOS re-opens the app). */
  setWindow(win: WindowPort): void {
    this.window = win
    keepRunningInTray(this.ports.app, win, () => this.tray !== null && this.keep?.get() === true)
  }

  showWindow(): void {
    showWindow(this.window)
  }

  /**
   * The window for a firing (a notification or the tray's latest alert clicked): shown, and told
   * to open the alert's chart (the Alerts view for an alert with no series), on the bridge's
   * `IPC_DESKTOP_MESSAGE`, only when the window still shows our own renderer.
   */
  openFiring(firing: Firing): void {
    this.showWindow()
    const contents = this.window && !this.window.isDestroyed() ? this.window.webContents : null
    if (!contents || contents.isDestroyed() || !this.ports.isTrustedUrl(contents.getURL())) return
    const message: DesktopMessage = firing.series
      ? { type: 'openChart', series: firing.series }
      : { type: 'openAlerts' }
    contents.send(IPC_DESKTOP_MESSAGE, message)
  }

  /**
   * The tray's kill switch: one native confirmation, then `risk.killSwitch` as any client calls
   * it, and its summary as a notification (what was canceled, what is still being retried).
   */
  async killSwitch(engine: DesktopEngine): Promise<void> {
    const ok = await this.ports.confirm?.({
      title: 'Kill switch',
      message: 'Halt all trading and cancel every order?',
      detail:
        'Every account is set HALTED (no new orders or changes; cancels still pass) and every open order is canceled, ' +
        'held and waiting ones included. Cancels an exchange refuses are retried until they pass. Positions are left open.',
      confirmLabel: 'Halt and cancel',
    })
    if (!ok) return
    const res = await engine.registry.invoke('risk.killSwitch', { confirm: true, closePositions: false }, CTX)
    const body = res.ok ? (res.value as KillSwitchReport).summary : `It failed: ${res.error.message}`
    if (this.ports.notifications.isSupported()) {
      this.ports.notifications.create({ title: 'Kill switch', body }).show()
    }
    if (!res.ok) this.ports.onError?.('the kill switch failed', res.error)
  }

  /**
   * Where to save an export (the engine's `chooseExportFile`): the native save dialog, opened in
   * the exports folder with the suggested name; the path the trader chose, or null when they
   * dismissed it. Only this path is ever written: the renderer cannot name one.
   */
  async chooseExportFile(q: { kind: string; defaultName: string }): Promise<string | null> {
    const dialog = this.ports.saveDialog
    if (!dialog) return null
    const folder = this.ports.exportsFolder?.()
    const res = await dialog({
      title: `Export ${q.kind} to CSV`,
      defaultPath: folder ? join(folder, q.defaultName) : q.defaultName,
      buttonLabel: 'Export',
      filters: [
        { name: 'CSV files', extensions: ['csv'] },
        { name: 'All files', extensions: ['*'] },
      ],
    })
    return res.canceled || !res.filePath ? null : res.filePath
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop()
    this.tray?.destroy()
    this.tray = null
  }
}
