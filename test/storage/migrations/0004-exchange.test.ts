import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration 4: exchange connections and fetched ranges', () => {
  it('creates both tables on top of 3, keeping what is stored, and records its version', () => {
    const db = new Database(join(tempDir(), 'm4.db'))
    migrate(db, MIGRATIONS.slice(0, 3))
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', 1)").run()
    migrate(db, MIGRATIONS.slice(0, 4))
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => r.name)
    expect(tables).toEqual(expect.arrayContaining(['exchange_connections', 'exchange_fetched_ranges']))
    expect(db.pragma('user_version', { simple: true })).toBe(4)
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: 'v' })
    // One row per exchange; the key itself is never a column, only its masked id.
    const cols = (db.pragma('table_info(exchange_connections)') as { name: string }[]).map((c) => c.name)
    expect(cols).toContain('masked_key')
    expect(cols.some((c) => /secret|api_key/.test(c))).toBe(false)
    db.close()
  })
})
