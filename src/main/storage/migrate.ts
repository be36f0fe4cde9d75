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
    if (m.foreignKeysOff) withoutForeignKeys(db, m)
    else apply(db, m)
  }
  return latest
}

function apply(db: Db, m: Migration, check?: () => void): void {
  db.transaction(() => {
    m.up(db)
    check?.()
    db.pragma(`user_version = ${m.version}`)
  })()
}

/**
 * Runs a step that rebuilds a referenced table with foreign keys off (see
 * `MigrationStep.foreignKeysOff`), refusing to run it where they cannot be turned off (inside an
 * open transaction) rather than letting the rebuild delete child rows. Every reference must still
 * hold before the step commits; foreign keys are on again after, as they were.
 */
function withoutForeignKeys(db: Db, m: Migration): void {
  const wasOn = db.pragma('foreign_keys', { simple: true }) === 1
  if (wasOn) db.pragma('foreign_keys = OFF')
  try {
    if (db.pragma('foreign_keys', { simple: true }) !== 0) {
      throw new Error(
        `migration ${m.version} (${m.name}) must run with foreign keys off, and they cannot be turned off inside a transaction`,
      )
    }
    apply(db, m, () => {
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[]
      if (broken.length > 0) {
        const first = broken[0]!
        throw new Error(
          `migration ${m.version} (${m.name}) would leave ${broken.length} rows of ${first.table} without their ${first.parent}; nothing was changed`,
        )
      }
    })
  } finally {
    if (wasOn) db.pragma('foreign_keys = ON')
  }
}
