import { client, connect } from '../../connection'
import { notify, reportError } from '../notices/store'
import { useShellStore, VIEWS, type ViewId } from './store'

const VIEW_KEY = 'candlework.shell.view'

/** Connects to the engine once and loads what the status bar shows. */
export function startShell(): void {
  const saved = readView()
  if (saved) useShellStore.setState({ view: saved })
  connect((connection) => {
    const was = useShellStore.getState().connection
    useShellStore.setState({ connection })
    if (connection === 'closed' && was !== 'closed') {
      notify(
        'error',
        'Disconnected from the Candlework engine',
        'Prices and charts are no longer updating.',
        {
          label: 'Reload to reconnect',
          run: () => location.reload(),
        },
      )
    }
  })
  void loadSystemInfo()
}

export async function loadSystemInfo(): Promise<void> {
  const res = await client().invoke('system.info', {})
  if (res.ok) useShellStore.setState({ info: res.value })
  else reportError('Could not read system information', res.error)
}

export function showView(view: ViewId): void {
  useShellStore.setState({ view })
  try {
    localStorage.setItem(VIEW_KEY, view)
  } catch {
    // Storage may be unavailable (private mode); the view just won't be remembered.
  }
}

function readView(): ViewId | null {
  try {
    const v = localStorage.getItem(VIEW_KEY)
    return VIEWS.find((x) => x.id === v)?.id ?? null
  } catch {
    return null
  }
}
