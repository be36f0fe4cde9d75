/**
 * The blocked EMA (see `Ema`): on long series of market-like prices, where rounding differs from
 * bar to bar (short random series of round numbers rarely show it), batch and streaming give the
 * same bits, block boundaries and a partial last block included, and both stay within rounding
 * of the bar-by-bar recurrence.
 */
import { describe, expect, it } from 'vitest'
import { Ema, SerialEma, ema } from './ema'
import { randomWalk } from './test-support/random-walk'

const walk = randomWalk(5_000, 99)

describe('blocked EMA', () => {
  it.each([1, 2, 3, 9, 20, 50])('period %i: batch = streaming bit for bit, any length', (period) => {
    for (const n of [period + 7, period + 8, period + 9, 1_237, 5_000]) {
      const values = walk.close.subarray(0, n)
      const batch = ema(values, period)
      const stream = new Ema(period)
      for (let i = 0; i < n; i++) {
        const seen = stream.preview(values[i]!)
        const got = stream.update(values[i]!)
        expect(Object.is(seen, got)).toBe(true)
        if (!Object.is(got, batch[i]))
          throw new Error(`period ${period}, bar ${i}: stream ${got}, batch ${batch[i]}`)
      }
    }
  })

  it('stays within rounding of the bar-by-bar recurrence', () => {
    for (const period of [2, 12, 26, 200]) {
      const batch = ema(walk.close, period)
      const serial = new SerialEma(period)
      let worst = 0
      walk.close.forEach((x, i) => {
        const s = serial.step(x, true)
        if (i >= period - 1) worst = Math.max(worst, Math.abs(batch[i]! - s) / Math.abs(s))
      })
      expect(worst).toBeLessThan(1e-14)
    }
  })
})
