import type { MigrationStep } from '../migration'

/**
 * The health ring (src/main/health/ring.ts): one sample of the health figures a minute, in a
 * fixed number of slots (a week of minutes) reused in turn, so the table never grows and the
 * Health view's sparklines survive a restart. `figures` is JSON (the engine's figures and each
 * exchange's latency), read back through a schema.
 */
export const migration: MigrationStep = {
  name: 'health: a ring of one health sample a minute',
  up(db) {
    db.exec(`
    CREATE TABLE health_samples (
      slot INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      figures TEXT NOT NULL
    );
    CREATE INDEX health_samples_at ON health_samples (at);
    `)
  },
}
