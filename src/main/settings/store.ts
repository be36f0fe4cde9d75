import type { Statement } from 'better-sqlite3'
import { DEFAULT_PREFERENCES, preferencesSchema, type Preferences } from '../../shared/contract/settings'
import type { Logger } from '../log'
import type { Db } from '../storage/db'
import { perConnection } from '../storage/statements'

/** The trader's preferences: one JSON row of the key-value `settings` table (migration 0002). */
export const PREFERENCES_KEY = 'preferences'

interface Statements {
  get: Statement<[string]>
  put: Statement<[string, string, number]>
}

const prepared = perConnection((db): Statements => ({
  get: db.prepare('SELECT value FROM settings WHERE key = ?'),
  put: db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ),
}))

/**
 * The stored preferences over the defaults. Each field is read on its own: a field that no
 * longer parses (hand-edited, a time zone this runtime does not know, written by a newer
 * version) falls back to its default with a warning, and the others are kept. Never throws.
 */
export function readPreferences(db: Db, log: Logger): Preferences {
  const row = prepared(db).get.get(PREFERENCES_KEY) as { value: string } | undefined
  if (!row) return { ...DEFAULT_PREFERENCES }
  let raw: unknown
  try {
    raw = JSON.parse(row.value)
  } catch {
    log.warn('stored preferences are not JSON; using the defaults')
    return { ...DEFAULT_PREFERENCES }
  }
  const stored = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
  const out: Record<string, unknown> = { ...DEFAULT_PREFERENCES }
  const shape = preferencesSchema.shape
  for (const key of Object.keys(shape) as (keyof Preferences)[]) {
    if (!(key in stored)) continue
    const parsed = shape[key].safeParse(stored[key])
    if (parsed.success) out[key] = parsed.data
    else log.warn(`stored preference ${key} is not valid; using the default`, parsed.error.issues[0]?.message)
  }
  return out as Preferences
}

/** Writes the whole set in one statement (nothing half-written) and returns it. */
export function writePreferences(db: Db, prefs: Preferences, now: number): Preferences {
  const valid = preferencesSchema.parse(prefs)
  prepared(db).put.run(PREFERENCES_KEY, JSON.stringify(valid), now)
  return valid
}
