import { describe, expect, it } from 'vitest'
import {
  WeightTracker,
  weightFromHeaders,
  weightLimitsFromBody,
} from '../../src/main/exchange/request-weight'

describe('request weight from what an exchange answers', () => {
  it("reads Binance's used weight in any letter case, the shortest interval first", () => {
    // ccxt capitalises header names (X-Mbx-Used-Weight-1m); the exchange sends them lower case.
    expect(weightFromHeaders({ 'X-Mbx-Used-Weight-1m': '123', 'X-Mbx-Used-Weight': '123' })).toEqual({
      used: 123,
      limit: null,
      intervalMs: 60_000,
    })
    expect(weightFromHeaders({ 'x-mbx-used-weight-1d': '900', 'x-mbx-used-weight-10s': '7' })).toEqual({
      used: 7,
      limit: null,
      intervalMs: 10_000,
    })
    expect(weightFromHeaders({ 'X-Sapi-Used-Ip-Weight-1m': '40' })).toMatchObject({ used: 40 })
  })
  it("reads Bybit's limit and what is left, and the common X-RateLimit headers", () => {
    expect(weightFromHeaders({ 'X-Bapi-Limit': '120', 'X-Bapi-Limit-Status': '100' })).toEqual({
      used: 20,
      limit: 120,
      intervalMs: null,
    })
    expect(weightFromHeaders({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '15' })).toMatchObject({
      used: 45,
      limit: 60,
    })
    expect(weightFromHeaders({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Used': '9' })).toMatchObject({
      used: 9,
      limit: 60,
    })
  })
  it('says nothing rather than guess: no headers, other headers, or figures that are not counts', () => {
    expect(weightFromHeaders(undefined)).toBeNull()
    expect(weightFromHeaders({ 'Content-Type': 'application/json' })).toBeNull()
    expect(weightFromHeaders({ 'x-mbx-used-weight-1m': 'lots' })).toBeNull()
    expect(weightFromHeaders({ 'x-mbx-used-weight-1m': '-3' })).toBeNull()
    expect(weightFromHeaders({ 'x-ratelimit-limit': '60' })).toBeNull()
  })
  it("takes the REQUEST_WEIGHT limits of Binance's exchangeInfo, not its order limits", () => {
    const body = {
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 10, limit: 1000 },
      ],
    }
    expect(weightLimitsFromBody(body)).toEqual([
      { limit: 6000, intervalMs: 60_000 },
      { limit: 1000, intervalMs: 10_000 },
    ])
    expect(weightLimitsFromBody([1, 2])).toEqual([])
    expect(weightLimitsFromBody('text')).toEqual([])
  })
  it('matches a reading with the limit of its own interval and keeps the last limits listed', () => {
    const t = new WeightTracker()
    expect(t.current()).toBeNull()
    t.note({ 'x-mbx-used-weight-1m': '30' }, null, 5)
    expect(t.current()).toEqual({ used: 30, limit: null, share: null, intervalMs: 60_000, at: 5 })
    t.note(
      { 'x-mbx-used-weight-1m': '60' },
      { rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }] },
      6,
    )
    // A later answer without a weight header (an error page) keeps the last reading.
    t.note({}, { code: -1 }, 7)
    expect(t.current()).toEqual({ used: 60, limit: 6000, share: 0.01, intervalMs: 60_000, at: 6 })
    // A reading over another interval has no limit to compare with.
    t.note({ 'x-mbx-used-weight-10s': '3' }, null, 8)
    expect(t.current()).toMatchObject({ used: 3, limit: null, share: null })
  })
})
