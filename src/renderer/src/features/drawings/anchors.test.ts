import { describe, expect, it } from 'vitest'
import { logicalAtX, logicalOf, roundPrice, timeOf, xOfLogical } from './anchors'

const H = 3_600_000
const M15 = 15 * 60_000
// Hourly bars with a gap: 00:00, 01:00, 02:00, then 06:00, 07:00.
const hourly = [0, 1, 2, 6, 7].map((h) => h * H)

describe('anchors: time <-> logical index', () => {
  it('is a bar index on a bar, interpolated between bars (across a gap too)', () => {
    expect(logicalOf(hourly, H, 2 * H)).toBe(2)
    expect(logicalOf(hourly, H, 1.5 * H)).toBe(1.5)
    // 04:00 is halfway across the 02:00 -> 06:00 gap.
    expect(logicalOf(hourly, H, 4 * H)).toBe(2.5)
    expect(timeOf(hourly, H, 2.5)).toBe(4 * H)
  })

  it('extrapolates by the timeframe before the first bar and after the last', () => {
    expect(logicalOf(hourly, H, -2 * H)).toBe(-2)
    expect(logicalOf(hourly, H, 10 * H)).toBe(7)
    expect(timeOf(hourly, H, -2)).toBe(-2 * H)
    expect(timeOf(hourly, H, 7)).toBe(10 * H)
  })

  it('round-trips, so a drawing made on 15m sits at the same instant on 1h', () => {
    const quarter = Array.from({ length: 40 }, (_, i) => i * M15)
    const t = 3 * H + 20 * 60_000 // 03:20
    const onQuarter = logicalOf(quarter, M15, t)!
    expect(timeOf(quarter, M15, onQuarter)).toBe(t)
    const hours = Array.from({ length: 10 }, (_, i) => i * H)
    // On 1h it falls a third of the way into the 03:00 bar.
    expect(logicalOf(hours, H, t)).toBeCloseTo(3 + 1 / 3, 10)
    for (const l of [-3.25, 0, 0.4, 5.5, 9, 12.75])
      expect(logicalOf(hours, H, timeOf(hours, H, l)!)).toBeCloseTo(l, 6)
  })

  it('answers null without bars', () => {
    expect(logicalOf([], H, 0)).toBeNull()
    expect(timeOf([], H, 0)).toBeNull()
  })

  it('rounds prices to the market precision', () => {
    expect(roundPrice(43250.123456, 2)).toBe(43250.12)
    expect(roundPrice(0.000123456, 6)).toBe(0.000123)
  })
})

describe('anchors: logical index <-> x', () => {
  // As lightweight-charts: whole indices only, 8 px a bar, index 0 at x = 100; indexAt rounds up.
  const axis = {
    xOf: (i: number) => (Number.isInteger(i) ? 100 + i * 8 : 0),
    indexAt: (x: number) => Math.ceil((x - 100) / 8),
  }

  it('places fractional indices between whole ones, and reads them back', () => {
    expect(xOfLogical(axis, 2.5)).toBe(120)
    expect(xOfLogical(axis, -1.25)).toBe(90)
    expect(logicalAtX(axis, 121)).toBeCloseTo(2.625, 10)
    expect(logicalAtX(axis, 90)).toBeCloseTo(-1.25, 10)
    for (const l of [-10.5, 0, 3.3, 999.9]) expect(logicalAtX(axis, xOfLogical(axis, l)!)).toBeCloseTo(l, 9)
  })
})
