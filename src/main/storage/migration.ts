import type { Db } from './db'

/** One schema change, as its file in migrations/ declares it: its version is its place in the list. */
export interface MigrationStep {
  name: string
  /**
   * The step rebuilds a table other tables reference (create anew, copy, drop, rename: SQLite's
   * way to change a column). With foreign keys on, dropping the old table would first delete its
   * rows and cascade to every child row, so `migrate` turns them off around this step (SQLite
   * ignores the switch inside a transaction) and runs `foreign_key_check` before it commits.
   */
  foreignKeysOff?: boolean
  up(db: Db): void
}

/** A step with its version: strictly increasing from 1, recorded in `PRAGMA user_version`. */
export interface Migration extends MigrationStep {
  version: number
}
