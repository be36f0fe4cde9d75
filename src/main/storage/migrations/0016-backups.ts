import type { MigrationStep } from '../migration'

/**
 * The backup catalog (src/main/backup): one row per backup taken from this data folder, by the
 * file's full path: when and why it was taken, its size, whether it is encrypted, the app and
 * schema version and the manifest (JSON: rows per table, parts with their sha256), and the last
 * verification by restoring it (`verify_ok` null until verified, 1 ok, 0 failed with
 * `verify_message`). A backup whose verification failed has no file (it is deleted) but keeps
 * its row, so the failure is shown; `removed_at` is set when retention deletes a file.
 */
export const migration: MigrationStep = {
  name: 'backups: the catalog of backup files with their manifest and last verification',
  up(db) {
    db.exec(`
    CREATE TABLE backups (
      path TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'scheduled', 'pre-restore')),
      bytes INTEGER NOT NULL,
      encrypted INTEGER NOT NULL CHECK (encrypted IN (0, 1)),
      app_version TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      manifest TEXT NOT NULL,
      backup_ms REAL,
      verify_ms REAL,
      verified_at INTEGER,
      verify_ok INTEGER CHECK (verify_ok IN (0, 1)),
      verify_message TEXT,
      removed_at INTEGER
    );
    CREATE INDEX backups_by_time ON backups (created_at);
    `)
  },
}
