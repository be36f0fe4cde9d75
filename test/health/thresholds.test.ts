import { describe, expect, it } from 'vitest'
import type { ExchangeHealth } from '../../src/shared/contract/exchange'
import {
  judgeCpu,
  judgeEventLoop,
  judgeExchange,
  judgeMemory,
  judgeWal,
  THRESHOLDS,
  worstOf,
} from '../../src/main/health/thresholds'

/** Each band's edge: at the limit is the better state, the next step above is the worse one. */
function edges(
  judge: (v: number | null) => { state: string; advice: string | null },
  l: { ok: number; warning: number },
  step: number,
) {
  expect(judge(null)).toEqual({ state: 'ok', advice: null })
  expect(judge(0)).toEqual({ state: 'ok', advice: null })
  expect(judge(l.ok)).toEqual({ state: 'ok', advice: null })
  const amber = judge(l.ok + step)
  expect(amber.state).toBe('warning')
  expect(amber.advice).toMatch(/\w+ .*\w/)
  expect(judge(l.warning).state).toBe('warning')
  const red = judge(l.warning + step)
  expect(red.state).toBe('critical')
  expect(red.advice).toBe(amber.advice)
}

describe('health thresholds at their edges', () => {
  it('event-loop delay p99: ok to 50 ms, amber to 200 ms, red beyond', () => {
    expect(THRESHOLDS.eventLoopP99Ms).toEqual({ ok: 50, warning: 200 })
    edges(judgeEventLoop, THRESHOLDS.eventLoopP99Ms, 0.001)
  })
  it('memory (RSS): ok to 1 GiB, amber to 2 GiB, red beyond', () => {
    edges(judgeMemory, THRESHOLDS.rssBytes, 1)
  })
  it('CPU share of one core: ok to 50 %, amber to 90 %, red beyond', () => {
    edges(judgeCpu, THRESHOLDS.cpuShare, 0.0001)
  })
  it('write-ahead log: ok to 64 MiB, amber to 512 MiB, red beyond', () => {
    edges(judgeWal, THRESHOLDS.walBytes, 1)
  })

  const healthy: ExchangeHealth = {
    exchange: 'binance',
    state: 'closed',
    score: 100,
    successRate: 1,
    samples: 10,
    consecutiveFailures: 0,
    latencyMs: { p50: 10, p95: 20, p99: 30 },
    openUntil: null,
    lastError: null,
    lastErrorAt: null,
    clockSkew: {
      exchange: 'binance',
      offsetMs: 5,
      rttMs: 4,
      uncertaintyMs: 2,
      samples: 3,
      measuredAt: 0,
      recvWindowMs: 5000,
      adjusted: false,
      effectiveSkewMs: 5,
      withinWindow: true,
    },
  }
  const ex = (patch: Partial<ExchangeHealth>, weight: number | null = null) =>
    judgeExchange({ ...healthy, ...patch }, weight)

  it('an exchange: breaker open and a clock outside the window are red, half-open amber', () => {
    expect(judgeExchange(null, null)).toEqual({ state: 'ok', advice: null })
    expect(ex({})).toEqual({ state: 'ok', advice: null })
    expect(ex({ state: 'open' }).state).toBe('critical')
    expect(ex({ state: 'open' }).advice).toContain('internet connection')
    expect(ex({ state: 'half-open' }).state).toBe('warning')
    const skew = ex({ clockSkew: { ...healthy.clockSkew!, withinWindow: false } })
    expect(skew.state).toBe('critical')
    expect(skew.advice).toContain('time sync')
  })
  it('an exchange score: ok at 80, amber at 79 down to 50, red at 49', () => {
    expect(ex({ score: 80 }).state).toBe('ok')
    expect(ex({ score: 79 }).state).toBe('warning')
    expect(ex({ score: 50 }).state).toBe('warning')
    expect(ex({ score: 49 }).state).toBe('critical')
    expect(ex({ score: null }).state).toBe('ok')
  })
  it('an exchange error rate: ok to 5 %, amber to 20 %, red beyond', () => {
    expect(ex({ successRate: 0.95 }).state).toBe('ok')
    expect(ex({ successRate: 0.9499 }).state).toBe('warning')
    expect(ex({ successRate: 0.8 }).state).toBe('warning')
    expect(ex({ successRate: 0.7999 }).state).toBe('critical')
  })
  it('request weight against the limit: ok to 70 %, amber to 90 %, red beyond, with its own advice', () => {
    expect(ex({}, 0.7).state).toBe('ok')
    expect(ex({}, 0.7001)).toMatchObject({
      state: 'warning',
      advice: expect.stringContaining('request limit'),
    })
    expect(ex({}, 0.9).state).toBe('warning')
    expect(ex({}, 0.9001).state).toBe('critical')
  })
  it('worst of several states', () => {
    expect(worstOf([])).toBe('ok')
    expect(worstOf(['ok', 'warning'])).toBe('warning')
    expect(worstOf(['warning', 'critical', 'ok'])).toBe('critical')
  })
})
