import type { ConnectionStatus } from '../../client'
import { client, connect, onReconnected, reconnectNow } from '../../connection'
import { startAlerts } from '../alerts/live'
import { notify, reportError } from '../notices/store'
import { startPreferences } from '../settings/actions'
import { startRisk } from '../risk/live'
import { restoreView, showView } from './navigation'
import { useShellStore } from './store'

/** The connection's notices share this key: each replaces the one before ("lost" → "restored"). */
const CONNECTION = { key: 'connection' }

/** Connects to the engine once and loads what the status bar shows. */
export function startShell(): void {
  restoreView()
  connect(onConnectionStatus)
  onReconnected(() => {
    notify(
      'info',
      'Connection restored',
      'Connected to the Candlework engine again; live data is flowing.',
      undefined,
      CONNECTION,
    )
    void loadSystemInfo()
  })
  void loadSystemInfo()
  // Theme, time zone and number format: the ones seen last at once, then the engine's, live.
  startPreferences()
  // Alerts fire whichever view is shown: their toasts and the nav's unread count follow from start.
  startAlerts({ showView })
  // The trading state shows in the header on every view, and the kill switch reports wherever it was pressed.
  startRisk()
}

function onConnectionStatus(link: ConnectionStatus): void {
  const was = useShellStore.getState().connection
  useShellStore.setState({ connection: link.state, link })
  if (link.state === was) return
  if (link.state === 'reconnecting' && was === 'open') {
    notify(
      'warning',
      'Connection to the Candlework engine lost',
      'Prices and charts are paused; reconnecting automatically.',
      { label: 'Reconnect now', run: reconnectNow },
      CONNECTION,
    )
  } else if (link.state === 'closed') {
    notify(
      'error',
      'Disconnected from the Candlework engine',
      link.reason ?? 'The connection closed.',
      undefined,
      CONNECTION,
    )
  }
}

/** The connection indicator's button: try again now instead of waiting. */
export function reconnect(): void {
  reconnectNow()
}

export async function loadSystemInfo(): Promise<void> {
  const res = await client().invoke('system.info', {})
  if (res.ok) useShellStore.setState({ info: res.value })
  else reportError('Could not read system information', res.error)
}
