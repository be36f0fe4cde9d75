import type { Db } from '../storage/db'

/**
 * The desktop shell's own settings, kept in the engine's key-value `settings` table (migration
 * 2) under `desktop.*` keys, so they live in the data folder with everything else and need no
 * file of their own.
 */
export interface KeyValueStore {
  get(key: string): string | null
  set(key: string, value: string): void
}

export const KEEP_IN_TRAY_KEY = 'desktop.keepInTray'

/**
 * Whether closing the window keeps Candlework running in the tray, so alerts keep firing. On by
 * default on Windows and Linux, where a closed window would quit the app; off on macOS, where
 * the app stays in the Dock anyway.
 */
export function keepInTrayDefault(platform: NodeJS.Platform): boolean {
  return platform === 'win32' || platform === 'linux'
}

export function readKeepInTray(store: KeyValueStore, platform: NodeJS.Platform): boolean {
  const v = store.get(KEEP_IN_TRAY_KEY)
  return v === 'true' ? true : v === 'false' ? false : keepInTrayDefault(platform)
}

export function writeKeepInTray(store: KeyValueStore, on: boolean): void {
  store.set(KEEP_IN_TRAY_KEY, on ? 'true' : 'false')
}

/** The `settings` table as a key-value store. */
export function sqliteSettings(db: Db, now: () => number = Date.now): KeyValueStore {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const put = db.prepare<[string, string, number]>(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  return {
    get: (key) => get.get(key)?.value ?? null,
    set: (key, value) => void put.run(key, value, now()),
  }
}
