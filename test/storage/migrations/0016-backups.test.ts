import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as backupsMigration } from '../../../src/main/storage/migrations/0016-backups'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration 16: backups', () => {
  // Found by name, not position: other branches add migrations before it.
  const at = MIGRATIONS.findIndex((m) => m.name === backupsMigration.name)

  it('creates the backup catalog, its closed sets checked by the table', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'm16.db'))
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    const cols = (db.pragma('table_info(backups)') as { name: string }[]).map((c) => c.name)
    expect(cols).toEqual([
      'path',
      'created_at',
      'trigger',
      'bytes',
      'encrypted',
      'app_version',
      'schema_version',
      'manifest',
      'backup_ms',
      'verify_ms',
      'verified_at',
      'verify_ok',
      'verify_message',
      'removed_at',
    ])
    const insert = (trigger: string, verifyOk: number | null) =>
      db
        .prepare(
          `INSERT INTO backups (path, created_at, trigger, bytes, encrypted, app_version, schema_version, manifest, verify_ok) VALUES (?, 0, ?, 0, 0, '0', 1, '{}', ?)`,
        )
        .run(`/b/${trigger}-${verifyOk}`, trigger, verifyOk)
    insert('manual', null)
    insert('scheduled', 1)
    insert('pre-restore', 0)
    expect(() => insert('hourly', 1)).toThrow(/CHECK/)
    expect(() => insert('manual', 2)).toThrow(/CHECK/)
    db.close()
  })
})
