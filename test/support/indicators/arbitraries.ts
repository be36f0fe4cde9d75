import fc from 'fast-check'
import type { Candle } from '../../../src/shared/domain/candles'

/**
 * Random valid candles for property tests. Prices move in quarter steps so that ties, flat
 * windows and equal highs are frequent; volumes include 0; bars are 1-14 hours apart so
 * sessions (days, weeks) change now and then.
 */
const step = fc.record({
  move: fc.integer({ min: -4, max: 4 }),
  up: fc.integer({ min: 0, max: 3 }),
  down: fc.integer({ min: 0, max: 3 }),
  volume: fc.integer({ min: 0, max: 5 }),
  gapHours: fc.integer({ min: 1, max: 14 }),
})

export function candlesArb(maxLength = 120): fc.Arbitrary<Candle[]> {
  return fc.array(step, { minLength: 0, maxLength }).map((steps) => {
    let close = 100
    let time = Date.UTC(2024, 0, 1)
    return steps.map((s) => {
      const open = close
      close = open + s.move * 0.25
      time += s.gapHours * 3_600_000
      return {
        time,
        open,
        high: Math.max(open, close) + s.up * 0.25,
        low: Math.min(open, close) - s.down * 0.25,
        close,
        volume: s.volume * 100,
      }
    })
  })
}
