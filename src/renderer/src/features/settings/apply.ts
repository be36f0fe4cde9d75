import { preferencesSchema, type Preferences } from '../../../../shared/contract/settings'
import { setDecimalSeparator } from '../../lib/format'
import { setThemePreference } from '../../lib/theme'
import { setTimeZone } from '../../lib/time'

/** Preferences take effect: theme on <html>, the zone and the number format of every text. */
export function applyPreferences(p: Preferences): void {
  setThemePreference(p.theme)
  setTimeZone(p.timeZone)
  setDecimalSeparator(p.numberFormat)
}

const CACHE_KEY = 'candlework.preferences.v1'

/**
 * The last preferences this browser saw, so the first paint already has the trader's theme
 * and zone (no dark flash on a light desk) before the engine answers. The engine's copy wins.
 */
export function cachedPreferences(): Preferences | null {
  try {
    const raw = localStorage.getItem(CACHE_KEY)
    if (!raw) return null
    const parsed = preferencesSchema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export function cachePreferences(p: Preferences): void {
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(p))
  } catch {
    // No storage: the first paint just uses the defaults until the engine answers.
  }
}
