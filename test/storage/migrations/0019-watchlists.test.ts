import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as watchlists } from '../../../src/main/storage/migrations/0019-watchlists'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration: watchlists', () => {
  // Found by name, not position: other branches add migrations too.
  const at = MIGRATIONS.findIndex((m) => m.name === watchlists.name)

  it('creates the lists and their items; names are unique ignoring case; items go with their list', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'wl.db'))
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    db.prepare(`INSERT INTO watchlists (id, name, position, created_at) VALUES (1, 'Crypto', 0, 0)`).run()
    expect(() =>
      db.prepare(`INSERT INTO watchlists (name, position, created_at) VALUES ('crypto', 1, 0)`).run(),
    ).toThrow(/UNIQUE/)
    expect(() =>
      db.prepare(`INSERT INTO watchlists (name, position, created_at) VALUES ('  ', 1, 0)`).run(),
    ).toThrow(/CHECK/)
    db.prepare(
      `INSERT INTO watchlist_items (watchlist_id, source, symbol, position, added_at) VALUES (1, 'demo', 'BTC/USDT', 0, 0)`,
    ).run()
    db.prepare('DELETE FROM watchlists WHERE id = 1').run()
    expect(db.prepare('SELECT count(*) AS n FROM watchlist_items').get()).toEqual({ n: 0 })
    db.close()
  })
})
