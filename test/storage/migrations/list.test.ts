import Database from 'better-sqlite3'
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { closeDatabase, openDatabase } from '../../../src/main/storage/database'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

function columns(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name)
}

describe('migrations', () => {
  it('are numbered 1, 2, 3... with no gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  it('are the files of the migrations folder, listed in the order of their numbers', () => {
    const dir = join(process.cwd(), 'src/main/storage/migrations')
    const files = readdirSync(dir)
      .filter((f) => f !== 'index.ts')
      .sort()
    expect(
      files.every((f) => /^\d{4}-[a-z0-9-]+\.ts$/.test(f)),
      files.join(', '),
    ).toBe(true)
    expect(files.map((f) => Number(f.slice(0, 4)))).toEqual(MIGRATIONS.map((m) => m.version))
    const listed = [...readFileSync(join(dir, 'index.ts'), 'utf8').matchAll(/from '\.\/(\d{4}-[^']+)'/g)].map(
      (m) => `${m[1]}.ts`,
    )
    expect(listed).toEqual(files)
    // Each has its own test beside this one.
    const tests = readdirSync(join(process.cwd(), 'test/storage/migrations'))
    for (const f of files.slice(2)) expect(tests).toContain(f.replace(/\.ts$/, '.test.ts'))
  })

  it('apply in order on an empty database, as the engine opens it', () => {
    const dir = tempDir()
    const db = openDatabase(join(dir, 'candlework.db'))
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    closeDatabase(db)
  })

  it('apply on a copy of a schema-8 data folder, keeping every row', () => {
    const dir = tempDir()
    mkdirSync(dir, { recursive: true })
    const fixture = join(process.cwd(), 'test/fixtures/schema-8.db')
    copyFileSync(fixture, join(dir, 'candlework.db'))
    const tables = (d: Database.Database) =>
      d
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all()
        .map((t) => t.name)
    const before = new Database(fixture, { readonly: true })
    expect(before.pragma('user_version', { simple: true })).toBe(8)
    const counts = new Map(
      tables(before).map((t) => [
        t,
        (before.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n,
      ]),
    )
    before.close()
    expect(counts.get('trading_orders')).toBeGreaterThan(0)
    expect(counts.get('trading_fills')).toBeGreaterThan(0)
    const db = openDatabase(join(dir, 'candlework.db'))
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    for (const [table, n] of counts) {
      if (!tables(db).includes(table)) continue // a later migration may fold a table into another
      expect((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(n)
    }
    expect(db.pragma('quick_check', { simple: true })).toBe('ok')
    closeDatabase(db)
  })

  it('1 creates candle series with an id each, and their bars in blocks keyed by series and start', () => {
    const db = new Database(join(tempDir(), 'm1.db'))
    db.pragma('foreign_keys = ON') // as openDatabase does, so the reference below is enforced
    migrate(db, MIGRATIONS.slice(0, 1))
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(columns(db, 'candle_series')).toEqual([
      'id',
      'source',
      'symbol',
      'timeframe',
      'label',
      'imported_from',
      'updated_at',
      'block_span',
      'count',
      'first',
      'last',
    ])
    expect(columns(db, 'candle_blocks')).toEqual([
      'series_id',
      'block_start',
      'count',
      'first',
      'last',
      'data',
    ])
    const series = db.prepare(
      'INSERT INTO candle_series (source, symbol, timeframe, updated_at, block_span) VALUES (?, ?, ?, 0, 60000)',
    )
    expect(series.run('demo', 'BTC/USDT', '1m').lastInsertRowid).toBe(1)
    expect(() => series.run('demo', 'BTC/USDT', '1m')).toThrow(/UNIQUE/)
    expect(series.run('demo', 'BTC/USDT', '5m').lastInsertRowid).toBe(2)
    expect(db.prepare('SELECT count, first, last FROM candle_series WHERE id = 1').get()).toEqual({
      count: 0,
      first: null,
      last: null,
    })
    const block = db.prepare('INSERT INTO candle_blocks VALUES (?, ?, ?, 0, 0, ?)')
    block.run(1, 0, 1, Buffer.alloc(56))
    block.run(2, 0, 1, Buffer.alloc(56))
    expect(() => block.run(1, 0, 1, Buffer.alloc(56))).toThrow(/UNIQUE|PRIMARY/)
    expect(() => block.run(3, 0, 1, Buffer.alloc(56))).toThrow(/FOREIGN KEY/)
    expect(() => block.run(1, 60000, 0, Buffer.alloc(8))).toThrow(/CHECK/)
    // WITHOUT ROWID: the blocks live in the primary key's b-tree, in (series, start) order.
    expect(() => db.prepare('SELECT rowid FROM candle_blocks').all()).toThrow(/no such column/)
    db.close()
  })

  it('2 adds settings on top of 1, keeping existing rows', () => {
    const db = new Database(join(tempDir(), 'm2.db'))
    migrate(db, MIGRATIONS.slice(0, 1))
    db.prepare(
      "INSERT INTO candle_series (source, symbol, timeframe, updated_at, block_span) VALUES ('demo', 'X', '1m', 0, 60000)",
    ).run()
    db.prepare('INSERT INTO candle_blocks VALUES (1, 0, 1, 0, 0, ?)').run(Buffer.alloc(56))
    migrate(db, MIGRATIONS.slice(0, 2))
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    expect(columns(db, 'settings')).toEqual(['key', 'value', 'updated_at'])
    expect(db.prepare('SELECT COUNT(*) AS n FROM candle_series').get()).toEqual({ n: 1 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM candle_blocks').get()).toEqual({ n: 1 })
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
