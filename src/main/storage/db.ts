import type Database from 'better-sqlite3'

/**
 * An open database connection. A module of its own so that the domain schema files, which
 * migrations.ts lists and database.ts runs at open, can name it without importing database.ts
 * back (database.ts re-exports it for everyone else).
 */
export type Db = Database.Database
