import { describe, expect, it } from 'vitest'
import type { HealthCheck, HealthSummary } from '../../../../shared/contract/health'
import { overallHealth } from './overall'

function summary(checks: HealthCheck[]): HealthSummary {
  return {
    engine: { version: '1', host: 'headless', startedAt: 0, uptimeMs: 0, process: null },
    database: {
      schemaVersion: 1,
      sizeBytes: 1,
      walBytes: 0,
      openCheck: { result: 'ok', timing: 'at-open', checkedAt: 0, durationMs: 0, problems: [] },
    },
    exchanges: [],
    backup: { lastVerifiedAt: 0, ageMs: 1, state: 'ok', advice: null },
    checks,
    history: [],
    trading: null,
    feeds: [],
  }
}

const check = (state: HealthCheck['state'], label: string): HealthCheck => ({
  item: label,
  label,
  state,
  advice: state === 'ok' ? null : `fix ${label}`,
})

describe('the status bar health badge', () => {
  it('is green when every item is, amber or red by the worst item, naming each with what to do', () => {
    expect(overallHealth(summary([check('ok', 'a')]))).toEqual({ state: 'ok', reasons: [] })
    expect(overallHealth(summary([check('warning', 'a'), check('ok', 'b')]))).toEqual({
      state: 'warning',
      reasons: ['a: fix a'],
    })
    expect(overallHealth(summary([check('critical', 'binance'), check('warning', 'Backups')]))).toEqual({
      state: 'critical',
      reasons: ['binance: fix binance', 'Backups: fix Backups'],
    })
  })
})
