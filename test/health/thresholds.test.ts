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
import { judgeTradingState, tradingChecks } from '../../src/main/health/trading-state'
import type { StateEntry } from '../../src/shared/contract/risk'

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
    requestWeight: null,
    websocket: { state: 'off', clients: 0, lastMessageAt: null, lastMessageAgeMs: null },
  }
  const NOW = 1_000_000
  const weighing = (share: number, at = NOW, intervalMs: number | null = 60_000) => ({
    requestWeight: { used: share * 6000, limit: 6000, share, intervalMs, at },
  })
  const ex = (patch: Partial<ExchangeHealth>, weight: number | null = null) =>
    judgeExchange({ ...healthy, ...patch, ...(weight === null ? {} : weighing(weight)) }, NOW)
  const socket = (state: ExchangeHealth['websocket']['state'], ageMs: number | null) => ({
    websocket: {
      state,
      clients: state === 'connected' ? 1 : 0,
      lastMessageAt: null,
      lastMessageAgeMs: ageMs,
    },
  })

  it('an exchange: breaker open and a clock outside the window are red, half-open amber', () => {
    expect(judgeExchange(null, NOW)).toEqual({ state: 'ok', advice: null })
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
  it('request weight counts only while its interval lasts (a minute when the exchange does not say)', () => {
    expect(judgeExchange({ ...healthy, ...weighing(0.95, NOW - 60_000) }, NOW).state).toBe('critical')
    expect(judgeExchange({ ...healthy, ...weighing(0.95, NOW - 60_001) }, NOW).state).toBe('ok')
    expect(judgeExchange({ ...healthy, ...weighing(0.95, NOW - 1_000, 1_000) }, NOW).state).toBe('critical')
    expect(judgeExchange({ ...healthy, ...weighing(0.95, NOW - 1_001, 1_000) }, NOW).state).toBe('ok')
    expect(judgeExchange({ ...healthy, ...weighing(0.95, NOW - 60_000, null) }, NOW).state).toBe('critical')
    const noLimit = {
      ...healthy,
      requestWeight: { used: 5000, limit: null, share: null, intervalMs: 60_000, at: NOW },
    }
    expect(judgeExchange(noLimit, NOW).state).toBe('ok')
  })
  it('websocket: the last message ok to 60 s old, amber to 300 s, red beyond; a dropped socket amber', () => {
    expect(THRESHOLDS.wsMessageAgeMs).toEqual({ ok: 60_000, warning: 300_000 })
    expect(ex(socket('connected', 60_000)).state).toBe('ok')
    const amber = ex(socket('connected', 60_001))
    expect(amber.state).toBe('warning')
    expect(amber.advice).toContain('live stream')
    expect(ex(socket('connected', 300_000)).state).toBe('warning')
    expect(ex(socket('connected', 300_001)).state).toBe('critical')
    expect(ex(socket('connected', null)).state).toBe('ok')
    expect(ex(socket('disconnected', null))).toMatchObject({
      state: 'warning',
      advice: expect.stringContaining('websockets'),
    })
    expect(ex(socket('idle', 999_999)).state).toBe('ok')
    expect(ex(socket('off', null)).state).toBe('ok')
    // Failing requests are the worse news: their advice wins over the stream's.
    expect(ex({ ...socket('disconnected', null), score: 49 }).advice).toContain('failing some requests')
  })
  it('worst of several states', () => {
    expect(worstOf([])).toBe('ok')
    expect(worstOf(['ok', 'warning'])).toBe('warning')
    expect(worstOf(['warning', 'critical', 'ok'])).toBe('critical')
  })
})

describe('trading state on Health', () => {
  const entry = (
    state: StateEntry['state'],
    setBy: StateEntry['setBy'],
    until: number | null = null,
  ): StateEntry => ({
    scope: 'global',
    state,
    reason: 'daily loss limit reached',
    setBy,
    since: 0,
    until,
  })
  it('ACTIVE green, REDUCING amber, HALTED by the trader amber, by a rule or the kill switch red; advice names the Risk view', () => {
    expect(judgeTradingState(entry('ACTIVE', 'rule'), 'Trading')).toEqual({ state: 'ok', advice: null })
    const reducing = judgeTradingState(entry('REDUCING', 'rule', Date.UTC(2026, 0, 2, 0, 0)), 'Trading')
    expect(reducing.state).toBe('warning')
    expect(reducing.advice).toContain('only orders that reduce exposure')
    expect(reducing.advice).toContain('until 2026-01-02 00:00 UTC')
    expect(reducing.advice).toContain('Risk view')
    expect(judgeTradingState(entry('HALTED', 'trader'), 'Trading').state).toBe('warning')
    expect(judgeTradingState(entry('HALTED', 'rule'), 'Trading').state).toBe('critical')
    const killed = judgeTradingState(entry('HALTED', 'kill_switch'), 'Paper')
    expect(killed.state).toBe('critical')
    expect(killed.advice).toMatch(/^Paper is HALTED \(daily loss limit reached, set by kill switch\)/)
  })
  it('one item for the global state, and one per account only when its own state is not ACTIVE', () => {
    const checks = tradingChecks({
      global: entry('ACTIVE', 'trader'),
      accounts: [
        { accountId: 'a', accountName: 'Alpha', state: { ...entry('ACTIVE', 'trader'), scope: 'a' } },
        { accountId: 'b', accountName: 'Beta', state: { ...entry('HALTED', 'rule'), scope: 'b' } },
      ],
    })
    expect(checks.map((c) => [c.item, c.state])).toEqual([
      ['trading.global', 'ok'],
      ['trading:b', 'critical'],
    ])
    expect(checks[1]!.label).toBe('Trading on Beta')
  })
})
