/**
 * The blocked recurrences of EMA and ATR (core/blocked-recurrence.ts): on long series of
 * market-like prices, where rounding differs from bar to bar (short random series of round
 * numbers rarely show it), batch and streaming give the same bits, block boundaries and a partial
 * last block included, and both stay within rounding of the bar-by-bar recurrence.
 */
import { describe, expect, it } from 'vitest'
import { Atr, atr } from './atr'
import { Ema, SerialEma, ema } from './ema'
import { randomWalk } from '../../../test/support/indicators/random-walk'

const walk = randomWalk(5_000, 99)
const PERIODS = [1, 2, 3, 9, 20, 50]

/** Lengths around the first block boundaries after a warm-up of `warm` bars, and long ones. */
const lengths = (warm: number): number[] => [warm + 7, warm + 8, warm + 9, 1_237, 5_000]

/** Feeds the stream bar by bar (preview, then update) and compares every bar with the batch. */
function expectSameBits(
  label: string,
  batch: Float64Array,
  feed: (i: number, commit: boolean) => number,
): void {
  for (let i = 0; i < batch.length; i++) {
    const seen = feed(i, false)
    const got = feed(i, true)
    if (!Object.is(seen, got)) throw new Error(`${label}, bar ${i}: preview ${seen}, update ${got}`)
    if (!Object.is(got, batch[i])) throw new Error(`${label}, bar ${i}: stream ${got}, batch ${batch[i]}`)
  }
}

/** The largest relative difference from bar `from` on. */
function worstFrom(from: number, got: Float64Array, want: Float64Array): number {
  let worst = 0
  for (let i = from; i < got.length; i++)
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.abs(want[i]!))
  return worst
}

describe('blocked EMA', () => {
  it.each(PERIODS)('period %i: batch = streaming bit for bit, any length', (period) => {
    for (const n of lengths(period - 1)) {
      const values = walk.close.subarray(0, n)
      const stream = new Ema(period)
      expectSameBits(`period ${period}`, ema(values, period), (i, commit) =>
        commit ? stream.update(values[i]!) : stream.preview(values[i]!),
      )
    }
  })

  it('stays within rounding of the bar-by-bar recurrence', () => {
    for (const period of [2, 12, 26, 200]) {
      const serial = new SerialEma(period)
      const want = walk.close.map((x) => serial.step(x, true))
      expect(worstFrom(period - 1, ema(walk.close, period), want)).toBeLessThan(1e-14)
    }
  })
})

describe('blocked ATR', () => {
  it.each(PERIODS)('period %i: batch = streaming bit for bit, any length', (period) => {
    for (const n of lengths(period)) {
      const [high, low, close] = [walk.high, walk.low, walk.close].map((c) => c.subarray(0, n)) as [
        Float64Array,
        Float64Array,
        Float64Array,
      ]
      const stream = new Atr(period)
      expectSameBits(`period ${period}`, atr(high, low, close, period), (i, commit) => {
        const bar = { high: high[i]!, low: low[i]!, close: close[i]! }
        return commit ? stream.update(bar) : stream.preview(bar)
      })
    }
  })

  it("stays within rounding of Wilder's bar-by-bar smoothing", () => {
    const { high, low, close } = walk
    for (const period of [1, 2, 14, 200]) {
      // Written out here as TA-Lib runs it: (atr*(p-1) + tr)/p after the mean of TR[1..p].
      const want = new Float64Array(high.length).fill(NaN)
      let acc = 0
      for (let i = 1; i < high.length; i++) {
        const tr = Math.max(high[i]!, close[i - 1]!) - Math.min(low[i]!, close[i - 1]!)
        acc = i <= period ? acc + tr : (acc * (period - 1) + tr) / period
        if (i === period) acc /= period
        if (i >= period) want[i] = acc
      }
      expect(worstFrom(period, atr(high, low, close, period), want)).toBeLessThan(1e-14)
    }
  })
})
