import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as liveRuns } from '../../../src/main/storage/migrations/0023-live-runs'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration: live runs armed by the trader, runs on a schedule', () => {
  // Found by name, not position: other branches add migrations too.
  const at = MIGRATIONS.findIndex((m) => m.name === liveRuns.name)

  it('keeps the runs stored before it, none of them armed', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'm.db'))
    migrate(db, MIGRATIONS.slice(0, at))
    db.prepare(
      `INSERT INTO strategy_runs (id, strategy_id, params, account_id, source, symbol, timeframe, allocation, state, started_at, updated_at)
       VALUES ('r1', 'sma-cross', '{}', 'live-1', 'demo', 'BTC/USDT', '1m', '1000', 'running', 1, 1)`,
    ).run()
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    expect(db.prepare('SELECT id, state, live_armed_at, schedule FROM strategy_runs').all()).toEqual([
      { id: 'r1', state: 'running', live_armed_at: null, schedule: null },
    ])
    db.close()
  })
})
