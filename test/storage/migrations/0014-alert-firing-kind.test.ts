import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as kindMigration } from '../../../src/main/storage/migrations/0014-alert-firing-kind'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration 14: alert firing kind and symbol', () => {
  // Found by name, not position: the lead may renumber at merge.
  const at = MIGRATIONS.findIndex((m) => m.name === kindMigration.name)

  it('fills kind and symbol of stored firings from their series and alert, and indexes the symbol', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'm14.db'))
    migrate(db, MIGRATIONS.slice(0, at))
    const spec = (type: string) => JSON.stringify({ condition: { type } })
    db.prepare(
      `INSERT INTO alerts (id, spec, status, state, created_at, updated_at) VALUES ('a1', ?, 'active', '{}', 0, 0), ('a2', ?, 'active', '{}', 0, 0)`,
    ).run(spec('compare'), spec('order'))
    const firing = db.prepare(
      `INSERT INTO alert_firings (alert_id, alert_name, series, time, bar_time, away, message, vals) VALUES (?, 'n', ?, ?, NULL, 0, 'm', '{}')`,
    )
    firing.run('a1', JSON.stringify({ source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' }), 1)
    firing.run('a2', null, 2)
    firing.run('gone', JSON.stringify({ source: 'demo', symbol: 'ETH/USDT', timeframe: '1m' }), 3)
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    expect(db.prepare('SELECT alert_id, kind, symbol FROM alert_firings ORDER BY time').all()).toEqual([
      { alert_id: 'a1', kind: 'compare', symbol: 'BTC/USDT' },
      { alert_id: 'a2', kind: 'order', symbol: null },
      { alert_id: 'gone', kind: null, symbol: 'ETH/USDT' },
    ])
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM alert_firings WHERE symbol = 'BTC/USDT' ORDER BY time DESC")
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/alert_firings_by_symbol/)
    db.close()
  })
})
