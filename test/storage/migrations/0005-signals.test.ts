import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

const tables = (db: Database.Database): string[] =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
    .all()
    .map((t) => t.name)

describe('migration 5: signals', () => {
  it('creates the history and profile tables and sets user_version 5', () => {
    const db = new Database(join(tempDir(), 'm5.db'))
    migrate(db, MIGRATIONS.slice(0, 4))
    expect(tables(db)).not.toContain('signal_history')
    migrate(db, MIGRATIONS.slice(0, 5))
    expect(db.pragma('user_version', { simple: true })).toBe(5)
    const cols = (t: string) => (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name)
    expect(cols('signal_history')).toEqual([
      'profile',
      'source',
      'symbol',
      'timeframe',
      'time',
      'score',
      'raw',
      'direction',
      'confidence',
      'trend',
      'momentum',
      'volatility',
      'volume',
      'reasons',
    ])
    expect(cols('signal_profiles')).toEqual(['id', 'body', 'active', 'updated_at'])
    expect(tables(db)).toContain('signal_history')
    // Out-of-range values are refused by the table itself.
    expect(() =>
      db
        .prepare(
          `INSERT INTO signal_history (profile, source, symbol, timeframe, time, score, raw, direction, confidence, reasons)
           VALUES ('p', 's', 'x', '1m', 0, 101, 50, 'buy', 0.5, '[]')`,
        )
        .run(),
    ).toThrow(/CHECK/)
  })
})
