import { describe, expect, it } from 'vitest'
import { sameBar, type Candle } from './candles'

describe('sameBar', () => {
  const bar: Candle = { time: 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }

  it('is true only when the open time and all five values are equal', () => {
    expect(sameBar(bar, { ...bar })).toBe(true)
    for (const field of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(sameBar(bar, { ...bar, [field]: bar[field] + 1 }), field).toBe(false)
    }
  })

  it('compares exactly: a forming bar whose volume moved by a hair has changed', () => {
    expect(sameBar(bar, { ...bar, volume: 10 + 1e-12 })).toBe(false)
  })
})
