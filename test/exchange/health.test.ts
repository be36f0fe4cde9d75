import { describe, expect, it } from 'vitest'
import { CircuitBreaker, type BreakerState } from '../../src/main/exchange/breaker'
import {
  healthScore,
  latencyPercentiles,
  percentile,
  RollingWindow,
  windowStats,
} from '../../src/main/exchange/health'
import { AppError } from '../../src/shared/contract/errors'
import { useTempDirs } from '../support/temp-dir'
import { expectOk, until, useRig } from './support'

const newDir = useTempDirs()
const rig = useRig(newDir)

function fakeClock(t = 1_000_000) {
  return {
    t,
    now() {
      return this.t
    },
  }
}

const options = {
  failureThreshold: 3,
  baseOpenMs: 1_000,
  maxOpenMs: 8_000,
  stormCount: 3,
  stormWindowMs: 10_000,
}
const outage = { rateLimited: false, banned: false }
/** Every request "takes" 10 ms: the scores below do not depend on how busy the machine is. */
function steadyLatency() {
  let t = 0
  return () => (t += 10)
}

describe('circuit breaker', () => {
  it('opens after N consecutive failures, lets one probe through when half-open, and closes on its success', () => {
    const clock = fakeClock()
    const changes: BreakerState[] = []
    const b = new CircuitBreaker(clock, options, (s) => changes.push(s))
    b.failure(outage)
    b.failure(outage)
    b.success() // a success in between resets the count
    b.failure(outage)
    b.failure(outage)
    expect(b.current()).toBe('closed')
    b.failure(outage)
    expect(b.snapshot()).toMatchObject({ state: 'open', openUntil: clock.t + 1_000, consecutiveFailures: 3 })
    expect(() => b.acquire('binance')).toThrow(AppError)
    try {
      b.acquire('binance')
    } catch (e) {
      expect(e).toMatchObject({ kind: 'unavailable', retryAfter: 1 })
    }
    clock.t += 1_000
    expect(b.current()).toBe('half-open')
    b.acquire('binance') // the probe
    expect(() => b.acquire('binance')).toThrow(/half-open/)
    b.success()
    expect(b.current()).toBe('closed')
    expect(changes).toEqual(['open', 'half-open', 'closed'])
  })

  it('doubles the open time on each failed probe, up to the cap, and resets after a success', () => {
    const clock = fakeClock()
    const b = new CircuitBreaker(clock, options)
    for (let i = 0; i < 3; i++) b.failure(outage)
    const durations: number[] = []
    for (let i = 0; i < 6; i++) {
      const s = b.snapshot()
      expect(s.state).toBe('open')
      durations.push(s.openUntil! - clock.t)
      clock.t = s.openUntil!
      b.acquire('x')
      b.failure(outage)
    }
    expect(durations).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000])
    clock.t = b.snapshot().openUntil!
    b.acquire('x')
    b.success()
    for (let i = 0; i < 3; i++) b.failure(outage)
    expect(b.snapshot().openUntil! - clock.t).toBe(1_000)
  })

  it('opens at once on a 418 ban, for as long as the exchange asks, and refuses as rate_limited', () => {
    const clock = fakeClock()
    const b = new CircuitBreaker(clock, options)
    b.failure({ rateLimited: true, banned: true, retryAfterMs: 120_000 })
    expect(b.snapshot()).toMatchObject({ state: 'open', openUntil: clock.t + 120_000 })
    expect(() => b.acquire('binance')).toThrow(
      expect.objectContaining({ kind: 'rate_limited', retryAfter: 120 }),
    )
  })

  it('opens on a 429 storm even with successes in between', () => {
    const clock = fakeClock()
    const b = new CircuitBreaker(clock, options)
    b.failure({ rateLimited: true, banned: false })
    b.success()
    clock.t += 2_000
    b.failure({ rateLimited: true, banned: false })
    b.success()
    expect(b.current()).toBe('closed')
    clock.t += 2_000
    b.failure({ rateLimited: true, banned: false })
    expect(b.current()).toBe('open')
  })

  it('does not count 429s outside the storm window', () => {
    const clock = fakeClock()
    const b = new CircuitBreaker(clock, options)
    for (let i = 0; i < 5; i++) {
      b.failure({ rateLimited: true, banned: false })
      b.success()
      clock.t += 6_000
    }
    expect(b.current()).toBe('closed')
  })
})

describe('latency percentiles and the health score (hand-computed)', () => {
  it('nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull()
    expect(percentile([40, 10, 30, 20], 50)).toBe(20)
    expect(percentile([40, 10, 30, 20], 95)).toBe(40)
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1) // 1..100
    expect(latencyPercentiles(hundred.map((ms) => ({ at: 0, ok: true, latencyMs: ms })))).toEqual({
      p50: 50,
      p95: 95,
      p99: 99,
    })
  })

  it('score = round(100 * s * (0.6 + 0.4 * L)), capped by the breaker', () => {
    expect(healthScore(1, 100, 'closed')).toBe(100)
    expect(healthScore(1, 250, 'closed')).toBe(100)
    // L = (2500 - 1375) / 2250 = 0.5 -> 100 * 0.9 * 0.8 = 72
    expect(healthScore(0.9, 1375, 'closed')).toBe(72)
    // L = 0 -> 100 * 0.5 * 0.6 = 30
    expect(healthScore(0.5, 3000, 'closed')).toBe(30)
    // L = (2500 - 700) / 2250 = 0.8 -> 100 * 0.75 * 0.92 = 69
    expect(healthScore(0.75, 700, 'closed')).toBe(69)
    expect(healthScore(1, 100, 'open')).toBe(0)
    expect(healthScore(1, 100, 'half-open')).toBe(50)
    expect(healthScore(0.4, 100, 'half-open')).toBe(40)
    expect(healthScore(null, null, 'closed')).toBeNull()
  })

  it('the rolling window keeps the last N requests no older than its age limit', () => {
    const w = new RollingWindow({ maxSamples: 4, maxAgeMs: 1_000 })
    for (let i = 0; i < 6; i++)
      w.record({ at: i * 100, ok: i % 2 === 0, latencyMs: i % 2 === 0 ? 10 * i : null })
    // Kept: i = 2..5 -> ok, fail, ok, fail
    expect(windowStats(w.recent(600))).toEqual({
      samples: 4,
      successRate: 0.5,
      latency: { p50: 20, p95: 40, p99: 40 },
    })
    expect(windowStats(w.recent(1_350)).samples).toBe(2) // i = 4, 5 are within 1 s
  })
})

describe('breaker and health against the simulator', () => {
  it('opens after consecutive 5xx, refuses without touching the network, and recovers through a probe', async () => {
    const { invoke, sim, clock } = await rig({
      deps: {
        connectionOptions: {
          rateLimitMs: 1,
          breaker: { ...options, failureThreshold: 3 },
          monotonic: steadyLatency(),
        },
      },
    })
    const ticker = () => invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })
    expect((await ticker()).ok).toBe(true)
    let h = expectOk(await invoke('exchange.health', { exchange: 'binance' }))[0]!
    expect(h).toMatchObject({
      state: 'closed',
      score: 100,
      successRate: 1,
      samples: 2,
      latencyMs: { p50: 10, p95: 10, p99: 10 },
    })
    sim.faults.next('ticker24hr', '500', 3)
    for (let i = 0; i < 3; i++)
      expect(await ticker()).toMatchObject({ ok: false, error: { kind: 'unavailable' } })
    h = expectOk(await invoke('exchange.health', { exchange: 'binance' }))[0]!
    expect(h).toMatchObject({
      state: 'open',
      score: 0,
      consecutiveFailures: 3,
      lastError: { kind: 'unavailable' },
    })
    expect(h.successRate).toBeCloseTo(2 / 5)
    const sent = sim.state.requests().length
    const refused = await ticker()
    expect(refused).toMatchObject({
      ok: false,
      error: { kind: 'unavailable', message: expect.stringMatching(/circuit open/), retryAfter: 1 },
    })
    expect(sim.state.requests()).toHaveLength(sent)
    clock.offsetMs += 1_000
    h = expectOk(await invoke('exchange.health', { exchange: 'binance' }))[0]!
    expect(h.state).toBe('half-open')
    expect((await ticker()).ok).toBe(true)
    h = expectOk(await invoke('exchange.health', { exchange: 'binance' }))[0]!
    expect(h).toMatchObject({ state: 'closed', consecutiveFailures: 0, successRate: 0.5 })
    // 3 of 6 requests succeeded, each in 10 ms (under 250 ms, so L = 1): 100 * 0.5 * 1.0.
    expect(h.score).toBe(50)
  })

  it('opens on a storm of 429s and refuses as rate_limited', async () => {
    const { invoke, sim } = await rig({ deps: { connectionOptions: { rateLimitMs: 1, breaker: options } } })
    expectOk(await invoke('exchange.markets', { exchange: 'binance' }))
    sim.faults.next('ticker24hr', '429', 3, { retryAfterS: 2 })
    for (let i = 0; i < 3; i++) {
      expect(await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })).toMatchObject({
        ok: false,
        error: { kind: 'rate_limited' },
      })
    }
    const h = expectOk(await invoke('exchange.health', { exchange: 'binance' }))[0]!
    expect(h.state).toBe('open')
    // Open for the 2 s the exchange asked, longer than the 1 s first backoff.
    expect(h.lastError).toMatchObject({ kind: 'rate_limited', retryAfter: 2 })
    expect(h.openUntil! - h.lastErrorAt!).toBeGreaterThanOrEqual(2_000)
    expect(h.openUntil! - h.lastErrorAt!).toBeLessThan(2_100)
    const n = sim.state.requests().length
    expect(await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })).toMatchObject({
      ok: false,
      error: { kind: 'rate_limited', message: expect.stringMatching(/rate limiting/) },
    })
    expect(sim.state.requests()).toHaveLength(n)
  })

  it('streams health: the state at once, then breaker changes', async () => {
    const { invoke, sim, subscribe } = await rig({
      deps: {
        connectionOptions: { rateLimitMs: 1, breaker: options, monotonic: steadyLatency() },
        healthThrottleMs: 10,
      },
    })
    const s = subscribe('exchange.healthUpdates', { exchange: 'binance' })
    await until(() => s.events.length > 0, 'the first health event')
    expect(s.events[0]).toMatchObject({ exchange: 'binance', state: 'closed', score: null, samples: 0 })
    expect((await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })).ok).toBe(true)
    await until(() => s.events.some((e) => e.score === 100), 'a scored event')
    sim.faults.next('ticker24hr', '503', 3)
    for (let i = 0; i < 3; i++) await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })
    await until(() => s.events.some((e) => e.state === 'open'), 'the open breaker')
    expect(s.events.find((e) => e.state === 'open')).toMatchObject({ score: 0, consecutiveFailures: 3 })
    s.dispose()
  })
})
