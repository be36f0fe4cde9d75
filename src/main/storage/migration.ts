import type { Db } from './db'

/** One schema change, as its file in migrations/ declares it: its version is its place in the list. */
export interface MigrationStep {
  name: string
  up(db: Db): void
}

/** A step with its version: strictly increasing from 1, recorded in `PRAGMA user_version`. */
export interface Migration extends MigrationStep {
  version: number
}
