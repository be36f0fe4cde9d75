import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as drawings } from '../../../src/main/storage/migrations/0021-drawings'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration: drawings', () => {
  // Found by name, not position: other branches add migrations too.
  const at = MIGRATIONS.findIndex((m) => m.name === drawings.name)

  it('creates one row per drawing keyed by its id, its body JSON, read by series', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'dr.db'))
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    const insert = db.prepare(
      `INSERT INTO chart_drawings (id, source, symbol, kind, body, created_at, updated_at) VALUES (?, 'demo', 'BTC/USDT', 'hline', ?, 0, 0)`,
    )
    insert.run('a', '{"id":"a"}')
    expect(() => insert.run('a', '{}')).toThrow(/UNIQUE|PRIMARY/)
    expect(() => insert.run('b', '{not json')).toThrow(/CHECK/)
    expect(() => insert.run('', '{}')).toThrow(/CHECK/)
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT body FROM chart_drawings WHERE source = 'demo' AND symbol = 'x'`)
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/chart_drawings_by_series/)
    db.close()
  })
})
