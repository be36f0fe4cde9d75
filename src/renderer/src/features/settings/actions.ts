import type { Preferences } from '../../../../shared/contract/settings'
import { client } from '../../connection'
import { slot } from '../../sync'
import { reportError } from '../notices/store'
import { applyPreferences, cachedPreferences, cachePreferences } from './apply'
import { usePreferences } from './store'

const app = slot()

function take(prefs: Preferences, loaded: boolean): void {
  usePreferences.setState({ prefs, loaded })
  applyPreferences(prefs)
  cachePreferences(prefs)
}

/**
 * Applies the preferences this browser saw last at once, then follows `settings.updates` for
 * as long as the app runs: a change made in any window (or browser) applies here too.
 */
export function startPreferences(): () => void {
  const cached = cachedPreferences()
  if (cached) {
    usePreferences.setState({ prefs: cached })
    applyPreferences(cached)
  } else {
    applyPreferences(usePreferences.getState().prefs)
  }
  const mine = app.open()
  mine.follow('settings.updates', {}, (p) => take(p, true), { endTitle: 'Settings updates stopped' })
  return () => app.close(mine)
}

/**
 * Changes some preferences: shown at once, then stored by the engine (which tells every
 * window). A refusal puts back what was there and says why.
 */
export async function savePreferences(patch: Partial<Preferences>): Promise<void> {
  const before = usePreferences.getState().prefs
  take({ ...before, ...patch }, usePreferences.getState().loaded)
  const res = await client().invoke('settings.set', patch)
  if (res.ok) take(res.value, true)
  else {
    take(before, usePreferences.getState().loaded)
    reportError('Could not save the settings', res.error)
  }
}
