import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as backtestsMigration } from '../../../src/main/storage/migrations/0015-backtests'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration 15: backtests', () => {
  // Found by name, not position: the list is numbered by place and other branches add 14.
  const at = MIGRATIONS.findIndex((m) => m.name === backtestsMigration.name)

  it('creates the runs table with its status check', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'm15.db'))
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    const cols = (db.pragma('table_info(backtest_runs)') as { name: string }[]).map((c) => c.name)
    expect(cols).toEqual([
      'id',
      'name',
      'strategy',
      'params',
      'symbols',
      'timeframe',
      'settings',
      'strategy_hash',
      'data_fingerprint',
      'status',
      'error',
      'created_at',
      'finished_at',
      'metrics',
      'trades',
      'equity_time',
      'equity_value',
      'counters',
    ])
    const insert = (status: string) =>
      db
        .prepare(
          `INSERT INTO backtest_runs (id, name, strategy, params, symbols, timeframe, settings, strategy_hash, status, created_at)
           VALUES (?, 'n', 's', '{}', '[]', '1m', '{}', 'h', ?, 1)`,
        )
        .run(status, status)
    expect(() => insert('done')).not.toThrow()
    expect(() => insert('paused')).toThrow(/CHECK constraint/)
    db.close()
  })
})
