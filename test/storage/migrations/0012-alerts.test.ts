import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as alertsMigration } from '../../../src/main/storage/migrations/0012-alerts'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

const tables = (db: Database.Database): string[] =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
    .all()
    .map((t) => t.name)

describe('migration 12: alerts', () => {
  // Found by name, not position: the list is numbered by place and other branches add 10 to 12.
  const at = MIGRATIONS.findIndex((m) => m.name === alertsMigration.name)

  it('creates the alert, firing and delivery tables', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'm13.db'))
    migrate(db, MIGRATIONS.slice(0, at))
    expect(tables(db)).not.toContain('alerts')
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    const cols = (t: string) => (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name)
    expect(cols('alerts')).toEqual(['id', 'spec', 'status', 'state', 'created_at', 'updated_at'])
    expect(cols('alert_firings')).toEqual([
      'id',
      'alert_id',
      'alert_name',
      'series',
      'time',
      'bar_time',
      'away',
      'message',
      'vals',
      'read',
    ])
    expect(cols('alert_deliveries')).toEqual([
      'id',
      'firing_id',
      'channel',
      'kind',
      'attempt',
      'at',
      'ok',
      'status',
      'error',
      'duration_ms',
    ])
    // A status outside the closed set is refused by the table itself.
    expect(() =>
      db
        .prepare(
          `INSERT INTO alerts (id, spec, status, created_at, updated_at) VALUES ('a', '{}', 'x', 0, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/)
    // The unread count reads the partial index.
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) FROM alert_firings WHERE read = 0').all() as {
      detail: string
    }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/alert_firings_unread/)
    db.close()
  })
})
