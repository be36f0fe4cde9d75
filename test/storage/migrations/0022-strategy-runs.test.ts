import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as runsMigration } from '../../../src/main/storage/migrations/0022-strategy-runs'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration 25: strategy runs and intents', () => {
  // Found by name, not position: other branches add migrations too.
  const at = MIGRATIONS.findIndex((m) => m.name === runsMigration.name)

  it('refuses a second intent under the same (run, bar, position) key', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'm25.db'))
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    db.prepare(
      `INSERT INTO strategy_runs (id, strategy_id, params, account_id, source, symbol, timeframe, allocation, state, started_at, updated_at)
       VALUES ('r1', 'sma-cross', '{}', 'demo-paper', 'demo', 'BTC/USDT', '1m', '1000', 'running', 1, 1)`,
    ).run()
    const put = db.prepare(
      `INSERT INTO strategy_intents (run_id, bar_time, seq, client_order_id, kind, status, created_at, updated_at)
       VALUES ('r1', 60000, 0, 'sr-r1-1-0', 'market', 'pending', 1, 1)`,
    )
    put.run()
    expect(() => put.run()).toThrow(/UNIQUE/)
    db.close()
  })
})
