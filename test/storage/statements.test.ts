import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import { perConnection } from '../../src/main/storage/statements'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()

describe('perConnection', () => {
  it('prepares once per connection and hands back the same statements after', () => {
    const dir = tempDir()
    const a = openDatabase(join(dir, 'a.db'))
    const b = openDatabase(join(dir, 'b.db'))
    try {
      const prepared: string[] = []
      const statements = perConnection((db) => {
        prepared.push(db.name)
        return { one: db.prepare<[], { v: number }>('SELECT 1 AS v') }
      })
      const first = statements(a)
      expect(statements(a)).toBe(first)
      expect(statements(a).one).toBe(first.one)
      expect(first.one.get()).toEqual({ v: 1 })
      // Another connection (a second data folder, a test's database) gets its own statements.
      const other = statements(b)
      expect(other).not.toBe(first)
      expect(other.one.database).toBe(b)
      expect(first.one.database).toBe(a)
      expect(prepared).toEqual([a.name, b.name])
    } finally {
      closeDatabase(a)
      closeDatabase(b)
    }
  })

  it('keeps one cache per getter: two stores never share statements', () => {
    const db = openDatabase(join(tempDir(), 'c.db'))
    try {
      const one = perConnection(() => ({ n: 1 }))
      const two = perConnection(() => ({ n: 2 }))
      expect(one(db).n).toBe(1)
      expect(two(db).n).toBe(2)
    } finally {
      closeDatabase(db)
    }
  })
})
