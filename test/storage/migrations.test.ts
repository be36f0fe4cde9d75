import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS, migrate } from '../../src/main/storage/migrations'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()

function columns(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name)
}

describe('migrations', () => {
  it('are numbered 1, 2, 3... with no gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  it('1 creates the candle table keyed by source, symbol, timeframe and time', () => {
    const db = new Database(join(tempDir(), 'm1.db'))
    migrate(db, MIGRATIONS.slice(0, 1))
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(columns(db, 'candles')).toEqual(['source', 'symbol', 'timeframe', 'time', 'open', 'high', 'low', 'close', 'volume'])
    const insert = db.prepare('INSERT INTO candles VALUES (?,?,?,?,?,?,?,?,?)')
    insert.run('demo', 'BTC/USDT', '1m', 0, 1, 2, 0.5, 1.5, 10)
    expect(() => insert.run('demo', 'BTC/USDT', '1m', 0, 1, 2, 0.5, 1.5, 10)).toThrow(/UNIQUE|PRIMARY/)
    expect(columns(db, 'candle_series')).toContain('imported_from')
    db.close()
  })

  it('2 adds settings on top of 1, keeping existing rows', () => {
    const db = new Database(join(tempDir(), 'm2.db'))
    migrate(db, MIGRATIONS.slice(0, 1))
    db.prepare('INSERT INTO candles VALUES (?,?,?,?,?,?,?,?,?)').run('demo', 'X', '1m', 0, 1, 1, 1, 1, 1)
    migrate(db, MIGRATIONS.slice(0, 2))
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    expect(columns(db, 'settings')).toEqual(['key', 'value', 'updated_at'])
    expect(db.prepare('SELECT COUNT(*) AS n FROM candles').get()).toEqual({ n: 1 })
    db.close()
  })

  it('running them again changes nothing', () => {
    const db = new Database(join(tempDir(), 'again.db'))
    migrate(db, MIGRATIONS)
    expect(() => migrate(db, MIGRATIONS)).not.toThrow()
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    db.close()
  })

  it('refuses a database from a newer Candlework', () => {
    const db = new Database(join(tempDir(), 'newer.db'))
    db.pragma('user_version = 999')
    expect(() => migrate(db, MIGRATIONS)).toThrow(/schema version 999, newer/)
    db.close()
  })

  it('roll back a failing migration whole', () => {
    const db = new Database(join(tempDir(), 'fail.db'))
    const broken = [
      ...MIGRATIONS.slice(0, 1),
      {
        version: 2,
        name: 'broken',
        up(d: Database.Database) {
          d.exec('CREATE TABLE half (x INTEGER)')
          d.exec('THIS IS NOT SQL')
        },
      },
    ]
    expect(() => migrate(db, broken)).toThrow()
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined()
    db.close()
  })
})
