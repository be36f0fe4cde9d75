import { describe, expect, it } from 'vitest'
import { formatSpan, measure } from './measure'

describe('measure', () => {
  it('reads the price change, percent, bars and time between two points', () => {
    const m = measure(
      { time: 0, price: 40000, logical: 10 },
      { time: 5 * 3_600_000, price: 41000.5, logical: 30 },
      2,
    )
    expect(m).toEqual({ change: 1000.5, percent: 2.50125, bars: 20, spanMs: 18_000_000 })
    const back = measure({ time: 0, price: 0.3, logical: 5 }, { time: -60_000, price: 0.1, logical: 4 }, 2)
    expect(back.change).toBe(-0.2)
    expect(back.percent).toBeCloseTo(-66.6667, 3)
    expect(back.bars).toBe(-1)
  })

  it('says a span in its two largest units', () => {
    expect(formatSpan(45 * 60_000)).toBe('45m')
    expect(formatSpan(2 * 3_600_000)).toBe('2h')
    expect(formatSpan(2 * 3_600_000 + 5 * 60_000)).toBe('2h 5m')
    expect(formatSpan(3 * 86_400_000 + 4 * 3_600_000 + 7 * 60_000)).toBe('3d 4h')
    expect(formatSpan(-86_400_000)).toBe('−1d')
    expect(formatSpan(0)).toBe('0m')
  })
})
