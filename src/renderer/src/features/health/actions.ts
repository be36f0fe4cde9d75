import { slot, type Scope } from '../../sync'
import { notify, resolve } from '../notices/store'
import { useShellStore } from '../shell/store'
import { useHealthStore } from './store'

/** How often the open Health view asks again: often enough to see a breaker open, cheap to answer. */
export const HEALTH_REFRESH_MS = 3_000

/** The notice of a failing refresh: one at a time, gone when a refresh succeeds. */
const NOTICE = { key: 'health' }

/** The open Health view: its answers land and its next refresh is planned only while it is open. */
const watching = slot()

/**
 * Reads `health.summary` now and again every `HEALTH_REFRESH_MS` after each answer (never two
 * requests at once), until the returned function is called: the view calls it when it closes.
 */
export function watchHealth(): () => void {
  const mine = watching.open()
  void refresh(mine)
  return () => watching.close(mine)
}

async function refresh(mine: Scope): Promise<void> {
  const res = await mine.invoke('health.summary', {})
  if (!res) return
  if (res.ok) {
    useHealthStore.setState({ summary: res.value, updatedAt: Date.now(), error: null })
    resolve(NOTICE.key)
  } else {
    useHealthStore.setState({ error: res.error })
    // While the link is down the connection notice already says so.
    if (res.error.kind !== 'unavailable' || useShellStore.getState().connection === 'open') {
      notify('warning', 'Could not read the engine’s health', res.error.message, undefined, NOTICE)
    }
  }
  mine.later('refresh', () => void refresh(mine), HEALTH_REFRESH_MS)
}
