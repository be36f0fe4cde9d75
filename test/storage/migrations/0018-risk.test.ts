import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/storage/migrate'
import { MIGRATIONS } from '../../../src/main/storage/migrations'
import { migration as riskMigration } from '../../../src/main/storage/migrations/0018-risk'
import { useTempDirs } from '../../support/temp-dir'

const tempDir = useTempDirs()

describe('migration 18: risk', () => {
  // Found by name, not position: the list is numbered by place and other branches add 14 and 15.
  const at = MIGRATIONS.findIndex((m) => m.name === riskMigration.name)

  it('creates the limits, state, trading day and audit tables', () => {
    expect(at).toBeGreaterThan(0)
    const db = new Database(join(tempDir(), 'm18.db'))
    migrate(db, MIGRATIONS.slice(0, at + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1)
    const cols = (t: string) => (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name)
    expect(cols('risk_limits')).toEqual(['scope', 'limits', 'updated_at'])
    expect(cols('risk_state')).toEqual(['scope', 'state', 'reason', 'set_by', 'since', 'until'])
    expect(cols('risk_day')).toEqual([
      'account_id',
      'day_start',
      'unrealized_base',
      'realized_base',
      'peak_equity',
    ])
    expect(cols('risk_audit')).toEqual([
      'id',
      'at',
      'account_id',
      'action',
      'decision',
      'rule',
      'limit_value',
      'actual_value',
      'message',
      'request',
    ])
    // A state outside the three is refused by the table itself.
    expect(() =>
      db.prepare(`INSERT INTO risk_state VALUES ('global', 'PAUSED', '', 'trader', 0, NULL)`).run(),
    ).toThrow(/CHECK/)
    db.close()
  })
})
