import { slot, type Scope } from '../../sync'
import { useHealthStore } from './store'

/** How often the status bar's badge reads the summary when the Health view is not refreshing it. */
export const BADGE_REFRESH_MS = 30_000

const badge = slot()

/** Reads `health.summary` into the Health store now and every 30 s while the badge is shown. */
export function watchHealthBadge(): () => void {
  const mine = badge.open()
  void refresh(mine)
  return () => badge.close(mine)
}

async function refresh(mine: Scope): Promise<void> {
  // The open Health view refreshes every 3 s; a fresher summary than ours needs no request.
  const at = useHealthStore.getState().updatedAt
  if (at === null || Date.now() - at >= BADGE_REFRESH_MS / 2) {
    const res = await mine.invoke('health.summary', {})
    if (!res) return
    // Failures are the Health view's to report; the badge keeps the last summary.
    if (res.ok) useHealthStore.setState({ summary: res.value, updatedAt: Date.now() })
  }
  mine.later('refresh', () => void refresh(mine), BADGE_REFRESH_MS)
}
