import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as healthMigration } from '../../../src/main/storage/migrations/0020-health-samples'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration 20: health samples', () => {
  // Found by name, not position: other branches add migrations too.
  const at = MIGRATIONS.findIndex((m) => m.name === healthMigration.name)

  it('creates the ring table, keyed by slot', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'm20.db'))
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    const cols = (db.pragma('table_info(health_samples)') as { name: string; pk: number }[]).map((c) => [
      c.name,
      c.pk,
    ])
    expect(cols).toEqual([
      ['slot', 1],
      ['at', 0],
      ['figures', 0],
    ])
    db.close()
  })
})
