import { create } from 'zustand'
import { DEFAULT_PREFERENCES, type Preferences } from '../../../../shared/contract/settings'

interface PreferencesState {
  /** As the engine stores them (or as last seen, until the engine answers). */
  prefs: Preferences
  /** True once the engine has sent them on this connection. */
  loaded: boolean
}

export const usePreferences = create<PreferencesState>()(() => ({
  prefs: { ...DEFAULT_PREFERENCES },
  loaded: false,
}))
