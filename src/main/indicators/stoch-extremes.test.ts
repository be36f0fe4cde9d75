/**
 * The batch Stoch finds each window's highest high and lowest low with blocks of `period` bars
 * (see stochInto); the streaming one with RollingMax/RollingMin. Both must give, for any
 * period, exactly what a naive scan of the window gives, so the outputs agree to the bit.
 */
import { describe, expect, it } from 'vitest'
import { RingMean, Stoch, rawK, stoch } from './stoch'
import { randomWalk } from '../../../test/support/indicators/random-walk'

/** Stoch with the window extremes from a plain scan of the last `period` bars. */
function naiveStoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  kSmooth: number,
  dPeriod: number,
): { k: Float64Array; d: Float64Array } {
  const n = high.length
  const k = new Float64Array(n).fill(NaN)
  const d = new Float64Array(n).fill(NaN)
  const kSma = new RingMean(kSmooth)
  const dSma = new RingMean(dPeriod)
  const lookback = period - 1 + kSmooth - 1 + dPeriod - 1
  for (let i = period - 1; i < n; i++) {
    let hh = -Infinity
    let ll = Infinity
    for (let j = i - period + 1; j <= i; j++) {
      hh = Math.max(hh, high[j]!)
      ll = Math.min(ll, low[j]!)
    }
    const kv = kSma.step(rawK(hh, ll, close[i]!), true)
    const dv = kv === kv ? dSma.step(kv, true) : NaN
    if (i >= lookback) {
      k[i] = kv
      d[i] = dv
    }
  }
  return { k, d }
}

const PERIODS = [1, 2, 3, 4, 5, 7, 8, 9, 13, 14, 15, 16, 17, 31, 32, 33, 100]

describe('stoch window extremes, any period', () => {
  // Lengths around multiples of the period exercise the last, partial block.
  it.each(PERIODS)('period %i: batch == streaming == naive scan, bit for bit', (period) => {
    for (const n of [1, period - 1, period, period + 1, 2 * period + 3, 257]) {
      if (n < 1) continue
      const walk = randomWalk(n, 1000 + period)
      const { high, low, close } = walk
      for (const [kSmooth, dPeriod] of [
        [1, 1],
        [3, 3],
        [2, 5],
      ] as const) {
        const want = naiveStoch(high, low, close, period, kSmooth, dPeriod)
        const got = stoch(high, low, close, period, kSmooth, dPeriod)
        const s = new Stoch(period, kSmooth, dPeriod)
        const sk = new Float64Array(n)
        const sd = new Float64Array(n)
        for (let i = 0; i < n; i++) {
          s.step(high[i]!, low[i]!, close[i]!, true)
          sk[i] = s.out.k
          sd[i] = s.out.d
        }
        expect(Array.from(got.k)).toEqual(Array.from(want.k))
        expect(Array.from(got.d)).toEqual(Array.from(want.d))
        expect(Array.from(sk)).toEqual(Array.from(want.k))
        expect(Array.from(sd)).toEqual(Array.from(want.d))
      }
    }
  })

  it('flat stretches and repeated values (ties) give the same extremes', () => {
    const n = 200
    const high = new Float64Array(n)
    const low = new Float64Array(n)
    const close = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const v = Math.floor(i / 7) % 3 === 0 ? 5 : 5 + ((i * 37) % 11) - 5
      high[i] = v + 1
      low[i] = v - 1
      close[i] = v
    }
    for (const period of PERIODS) {
      const want = naiveStoch(high, low, close, period, 3, 3)
      const got = stoch(high, low, close, period, 3, 3)
      expect(Array.from(got.k)).toEqual(Array.from(want.k))
      expect(Array.from(got.d)).toEqual(Array.from(want.d))
    }
  })
})
