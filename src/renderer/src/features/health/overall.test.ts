import { describe, expect, it } from 'vitest'
import type { HealthSummary } from '../../../../shared/contract/health'
import { overallHealth } from './overall'

function summary(patch: Partial<HealthSummary> = {}): HealthSummary {
  return {
    engine: { version: '1', host: 'headless', startedAt: 0, uptimeMs: 0 },
    database: {
      schemaVersion: 1,
      sizeBytes: 1,
      walBytes: 0,
      openCheck: { result: 'ok', timing: 'at-open', checkedAt: 0, durationMs: 0, problems: [] },
    },
    exchanges: [],
    backup: { lastVerifiedAt: 0, ageMs: 1, state: 'ok', advice: null },
    ...patch,
  }
}

const exchange = (state: 'closed' | 'open' | 'half-open') =>
  ({
    exchange: 'binance',
    endpoint: 'default',
    apiUrl: null,
    hasKeys: false,
    health: { exchange: 'binance', state },
  }) as unknown as HealthSummary['exchanges'][number]

describe('the status bar health badge', () => {
  it('is green when every item is, amber or red by the worst item, naming each', () => {
    expect(overallHealth(summary())).toEqual({ state: 'ok', reasons: [] })
    expect(overallHealth(summary({ exchanges: [exchange('half-open')] })).state).toBe('warning')
    expect(overallHealth(summary({ exchanges: [exchange('closed')] })).state).toBe('ok')
    const red = overallHealth(
      summary({
        exchanges: [exchange('open')],
        backup: { lastVerifiedAt: null, ageMs: null, state: 'warning', advice: 'x' },
      }),
    )
    expect(red).toEqual({ state: 'critical', reasons: ['binance: breaker open', 'no verified backup'] })
    const damaged = summary()
    damaged.database.openCheck = { ...damaged.database.openCheck, result: 'damaged', problems: ['p'] }
    expect(overallHealth(damaged)).toEqual({ state: 'critical', reasons: ['the database is damaged'] })
    expect(
      overallHealth(summary({ backup: { lastVerifiedAt: 0, ageMs: 9e9, state: 'critical', advice: 'x' } })),
    ).toEqual({ state: 'critical', reasons: ['last verified backup is old'] })
  })
})
