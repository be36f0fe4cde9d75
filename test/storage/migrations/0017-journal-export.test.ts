import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()
const at = MIGRATIONS.findIndex((m) => m.name.startsWith('journal export:'))

describe('migration: journal export', () => {
  it('keeps every journal trade, reads them by (account, entry time) from an index, and adds journal_imported', () => {
    const db = new Database(join(tempDir(), 'j.db'))
    migrate(db, MIGRATIONS.slice(0, at))
    const insert = db.prepare(
      "INSERT INTO journal_trades (key, account_id, symbol, entry_time, data) VALUES (?, 'a', 'BTC/USDT', ?, '[]')",
    )
    insert.run('a|BTC/USDT|2|x', 2)
    insert.run('a|BTC/USDT|1|y', 1)
    migrate(db, MIGRATIONS.slice(0, at + 1))
    const page = 'SELECT key FROM journal_trades t ORDER BY t.account_id, t.entry_time, t.key LIMIT 1000'
    expect(db.prepare(page).all()).toEqual([{ key: 'a|BTC/USDT|1|y' }, { key: 'a|BTC/USDT|2|x' }])
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${page}`).all() as { detail: string }[]).map((r) => r.detail)
    expect(plan.join('\n')).toMatch(/journal_trades_by_time/)
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/)
    db.prepare("INSERT INTO journal_imported (key, data) VALUES ('k', '{}')").run()
    expect(db.prepare('SELECT data FROM journal_imported').all()).toEqual([{ data: '{}' }])
    db.close()
  })
})
