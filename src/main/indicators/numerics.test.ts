/**
 * Numerical behaviour on long and awkward series, against straightforward reference code
 * written here (two-pass statistics, brute-force windows).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bbands } from './bbands'
import { mfi } from './mfi'
import { stddev } from './stddev'
import { RollingMax, RollingMin } from './core/rolling-extremes'
import { rng } from '../../../test/support/indicators/random-walk'

function twoPassStd(x: Float64Array, end: number, p: number): number {
  let s = 0
  for (let i = end - p + 1; i <= end; i++) s += x[i]!
  const m = s / p
  let q = 0
  for (let i = end - p + 1; i <= end; i++) q += (x[i]! - m) ** 2
  return Math.sqrt(q / p)
}

describe('rolling standard deviation', () => {
  it('stays accurate over 300,000 bars of a large price with tiny moves', () => {
    const r = rng(11)
    const n = 300_000
    const x = new Float64Array(n)
    for (let i = 0; i < n; i++) x[i] = 1_000_000 + Math.round((r() - 0.5) * 200) / 100
    const ours = stddev(x, 20)
    for (const end of [19, 1000, 123_457, n - 7, n - 1]) {
      const ref = twoPassStd(x, end, 20)
      expect(Math.abs(ours[end]! - ref) / ref, `bar ${end}`).toBeLessThan(1e-6)
    }
  })

  it('is exactly 0 on a flat window after a volatile stretch; %B is then 0.5', () => {
    const x = Float64Array.from([
      ...Array.from({ length: 50 }, (_, i) => 100 + ((i * 37) % 11)),
      ...Array(30).fill(101.7),
    ])
    const sd = stddev(x, 10)
    const bb = bbands(x, 10, 2)
    for (let i = 59; i < 80; i++) {
      expect(sd[i]).toBe(0)
      expect(bb.middle[i]).toBe(101.7)
      expect(bb.percentB[i]).toBe(0.5)
      expect(bb.bandwidth[i]).toBe(0)
    }
    expect(sd[58]).toBeGreaterThan(0)
  })
})

describe('money flow index', () => {
  it('is exactly 0 once the window holds no money flow, whatever the rounding of earlier sums', () => {
    const n = 60
    const high = new Float64Array(n)
    const low = new Float64Array(n)
    const close = new Float64Array(n)
    const volume = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const p = i < 30 ? 100 + 0.1 * ((i * 7) % 5) + 0.01 * i : 100
      high[i] = p + 0.3
      low[i] = p - 0.3
      close[i] = p
      volume[i] = i < 30 ? 1234.567 * (1 + (i % 3)) : 0
    }
    const out = mfi(high, low, close, volume, 14)
    for (let i = 45; i < n; i++) expect(out[i]).toBe(0)
    expect(out[29]).toBeGreaterThan(0)
  })
})

describe('rolling extremes', () => {
  it('equal brute force, including the index of the latest extreme on ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 12 }),
        (xs, p) => {
          const hi = new RollingMax(p)
          const lo = new RollingMin(p)
          xs.forEach((x, t) => {
            const w = xs.slice(Math.max(0, t - p + 1), t + 1)
            const max = Math.max(...w)
            const min = Math.min(...w)
            const peekMax = hi.step(x, false)
            const peekAt = hi.at
            expect(hi.step(x, true)).toBe(max)
            expect(hi.at).toBe(t - (w.length - 1 - w.lastIndexOf(max)))
            expect([peekMax, peekAt]).toEqual([max, hi.at])
            expect(lo.step(x, true)).toBe(min)
            expect(lo.at).toBe(t - (w.length - 1 - w.lastIndexOf(min)))
          })
        },
      ),
      { numRuns: 200 },
    )
  })
})
