import type { MigrationStep } from '../migration'

/** Key-value settings (per-symbol chart settings, the paper accounts' starting balances, ...). */
export const migration: MigrationStep = {
  name: 'settings',
  up(db) {
    db.exec(`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);`)
  },
}
