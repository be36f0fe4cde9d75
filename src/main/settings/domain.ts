import type { Preferences, settingsContract } from '../../shared/contract/settings'
import type { Clock } from '../clock'
import type { Domain } from '../domain'
import type { Logger } from '../log'
import type { Db } from '../storage/db'
import { readPreferences, writePreferences } from './store'

export interface SettingsDeps {
  db: Db
  clock: Clock
  log: Logger
}

/**
 * The trader's preferences, kept in the engine's database so the desktop window and every
 * browser on the headless host share them; a change is pushed to every subscriber, so all
 * windows follow at once. Holds no resource.
 */
export function createSettingsDomain(deps: SettingsDeps): Domain<typeof settingsContract> {
  const listeners = new Set<(p: Preferences) => void>()
  return {
    name: 'settings',
    handlers: {
      'settings.get': () => readPreferences(deps.db, deps.log),
      'settings.set': (patch) => {
        const next = { ...readPreferences(deps.db, deps.log) }
        for (const [k, v] of Object.entries(patch)) if (v !== undefined) Object.assign(next, { [k]: v })
        const saved = writePreferences(deps.db, next, deps.clock.now())
        for (const l of [...listeners]) l(saved)
        return saved
      },
      'settings.updates': (_params, sink) => {
        const listener = (p: Preferences): void => sink.emit(p)
        listeners.add(listener)
        sink.emit(readPreferences(deps.db, deps.log))
        return () => listeners.delete(listener)
      },
    },
    close() {
      listeners.clear()
    },
  }
}
