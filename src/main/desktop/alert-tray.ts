import type { AlertsUpdate, Firing } from '../../shared/contract/alerts'
import type { MenuItemTemplate, TrayPort } from './electron-port'

/** How long "Mute alerts for 1 hour" mutes. */
export const MUTE_MS = 3_600_000
/** How many of the latest alerts the tray menu lists. */
export const TRAY_LATEST = 5

export interface AlertTrayDeps {
  tray: TrayPort
  now: () => number
  /** Runs `fn` after `ms` (the mute's end, to redraw the menu); returns what cancels it. */
  later: (fn: () => void, ms: number) => () => void
  showWindow: () => void
  /** Opens the window on a firing's chart. */
  openFiring: (firing: Firing) => void
  quit: () => void
  keepInTray: { get(): boolean; set(on: boolean): void }
  /** The kill switch (it asks first); the item is left out without it. */
  killSwitch?: (() => void) | undefined
}

/**
 * The tray icon: the unread count in its tooltip, and a menu to show the window, the latest
 * alerts, mute alert notifications for an hour, keep running when the window closes, and quit.
 * It shows nothing sensitive: alert names, symbols and times, never balances, positions or
 * amounts (a firing's message can hold prices, so it is left out too).
 */
export class AlertTray {
  private unread = 0
  private latest: Firing[] = []
  private mutedUntil: number | null = null
  private cancelUnmute: (() => void) | null = null

  constructor(private readonly deps: AlertTrayDeps) {
    deps.tray.on('click', () => deps.showWindow())
    this.render()
  }

  /** Whether alert notifications are muted now. */
  muted(): boolean {
    return this.mutedUntil !== null && this.deps.now() < this.mutedUntil
  }

  /** The latest firings, newest first (`alerts.history` at start). */
  setLatest(firings: readonly Firing[]): void {
    this.latest = firings.slice(0, TRAY_LATEST)
    this.render()
  }

  /** An event of `alerts.updates`. */
  apply(e: AlertsUpdate): void {
    switch (e.type) {
      case 'snapshot':
      case 'read':
        this.unread = e.unread
        break
      case 'fired':
        this.unread = e.unread
        this.latest = [e.firing, ...this.latest.filter((f) => f.id !== e.firing.id)].slice(0, TRAY_LATEST)
        break
      default:
        return
    }
    this.render()
  }

  mute(): void {
    this.mutedUntil = this.deps.now() + MUTE_MS
    this.cancelUnmute?.()
    this.cancelUnmute = this.deps.later(() => this.unmute(), MUTE_MS)
    this.render()
  }

  unmute(): void {
    this.mutedUntil = null
    this.cancelUnmute?.()
    this.cancelUnmute = null
    this.render()
  }

  tooltip(): string {
    const count =
      this.unread === 0 ? 'no unread alerts' : `${this.unread} unread alert${this.unread === 1 ? '' : 's'}`
    return `Candlework: ${count}${this.muted() ? `, muted until ${clock(this.mutedUntil!)}` : ''}`
  }

  menu(): MenuItemTemplate[] {
    const latest: MenuItemTemplate[] =
      this.latest.length === 0
        ? [{ label: 'No alerts yet', enabled: false }]
        : this.latest.map((f) => ({ label: firingLabel(f), click: () => this.deps.openFiring(f) }))
    return [
      { label: 'Show Candlework', click: () => this.deps.showWindow() },
      { type: 'separator' },
      { label: this.unread > 0 ? `Latest alerts (${this.unread} unread)` : 'Latest alerts', enabled: false },
      ...latest,
      { type: 'separator' },
      this.muted()
        ? { label: `Alerts muted until ${clock(this.mutedUntil!)}: unmute`, click: () => this.unmute() }
        : { label: 'Mute alerts for 1 hour', click: () => this.mute() },
      {
        label: 'Keep running in the tray when the window closes',
        type: 'checkbox',
        checked: this.deps.keepInTray.get(),
        click: () => {
          this.deps.keepInTray.set(!this.deps.keepInTray.get())
          this.render()
        },
      },
      { type: 'separator' },
      ...(this.deps.killSwitch
        ? [{ label: 'Kill switch: halt trading and cancel every order…', click: this.deps.killSwitch }]
        : []),
      { label: 'Quit Candlework', click: () => this.deps.quit() },
    ]
  }

  destroy(): void {
    this.cancelUnmute?.()
    this.deps.tray.destroy()
  }

  private render(): void {
    this.deps.tray.setToolTip(this.tooltip())
    this.deps.tray.setContextMenu(this.menu())
  }
}

/** `Close above 70k · BTC/USDT 1h · 14:05` (no values: they can be prices). */
export function firingLabel(f: Firing): string {
  const series = f.series ? ` · ${f.series.symbol} ${f.series.timeframe}` : ''
  return `${f.alertName}${series} · ${clock(f.time)}`
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** Local wall-clock time, `14:05`. */
function clock(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`
}
