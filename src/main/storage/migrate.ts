import type { Db } from './db'
import type { Migration } from './migration'

/** Applies every migration above the file's `user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.at(-1)?.version ?? 0
  if (current > latest) {
    throw new Error(
      `The database is at schema version ${current}, newer than this Candlework knows (${latest}). Update Candlework.`,
    )
  }
  for (const m of migrations) {
    if (m.version <= current) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return latest
}
