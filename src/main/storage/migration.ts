import type { Db } from './db'

/**
 * One schema change. A module of its own so that the domain schema files can declare their
 * migrations without importing migrations.ts, which imports them to list them in order.
 */
export interface Migration {
  /** Strictly increasing from 1; recorded in `PRAGMA user_version`. */
  version: number
  name: string
  up(db: Db): void
}
