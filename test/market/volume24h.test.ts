/**
 * The demo market's 24 h volume (the watchlist's Vol column, `market.tickers`): the volumes of
 * the 1,439 closed 1m bars before the current minute plus the forming minute's so far, exactly
 * as `market.candles` returns those bars.
 */
import { describe, expect, it } from 'vitest'
import { createDemoMarket } from '../../src/main/demo'

const MIN = 60_000

describe('demo 24h volume', () => {
  it('is the sum of the last 24 hours of 1m bars, the forming one included', () => {
    const demo = createDemoMarket({ seed: 7 })
    // Inside a minute, a day boundary among the 24 hours (the window spans two generated days).
    const now = Date.UTC(2025, 2, 10, 6, 30, 20)
    for (const { symbol } of demo.symbols) {
      const closed = demo.candles(symbol, '1m', now, 1439, now)
      expect(closed.time).toHaveLength(1439)
      expect(closed.time[0]).toBe(Math.floor(now / MIN) * MIN - 1439 * MIN)
      let sum = 0
      for (const v of closed.volume) sum += v
      const forming = demo.formingCandle(symbol, '1m', now)
      expect(demo.quote(symbol, now).volume24h, symbol).toBeCloseTo(sum + forming.volume, 6)
    }
  })

  it('moves with the minute: the next minute drops the oldest bar and adds the one that closed', () => {
    const demo = createDemoMarket({ seed: 7 })
    const t = Date.UTC(2025, 2, 10, 23, 59, 0)
    const a = demo.quote('BTC/USDT', t + 59_000).volume24h
    const b = demo.quote('BTC/USDT', t + MIN + 59_000).volume24h
    const bars = demo.candles('BTC/USDT', '1m', t + MIN, 1441, t + 2 * MIN)
    const vol = (time: number): number => bars.volume[bars.time.indexOf(time)]!
    const formingA = demo.formingCandle('BTC/USDT', '1m', t + 59_000).volume
    const formingB = demo.formingCandle('BTC/USDT', '1m', t + MIN + 59_000).volume
    // b - a = (closed minute t) - (minute t - 1439 min) + formingB - formingA
    expect(b - a).toBeCloseTo(vol(t) - vol(t - 1439 * MIN) + formingB - formingA, 6)
  })
})
