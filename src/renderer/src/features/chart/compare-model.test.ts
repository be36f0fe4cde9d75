import { describe, expect, it } from 'vitest'
import {
  alignToChart,
  COMPARE_COLORS,
  MAX_COMPARES,
  nextCompareColor,
  percentFrom,
  withCompare,
  type CompareItem,
} from './compare-model'

const H = 3_600_000

describe('compare lines', () => {
  it("keep only the chart's own bar times (a weekend of the other symbol adds no slot)", () => {
    // The chart: a weekday series (Friday 0h, 1h, then Monday 0h); the other symbol trades on Saturday too.
    const fri = Date.UTC(2024, 0, 5)
    const mon = Date.UTC(2024, 0, 8)
    const chart = [fri, fri + H, mon]
    const times = [fri - H, fri, fri + H, fri + 24 * H, mon, mon + H]
    const closes = [1, 2, 3, 4, 5, 6]
    expect(alignToChart(chart, times, closes)).toEqual([
      { time: fri, value: 2 },
      { time: fri + H, value: 3 },
      { time: mon, value: 5 },
    ])
    // The other symbol's history starts later: its line starts there.
    expect(alignToChart(chart, [mon], [9])).toEqual([{ time: mon, value: 9 }])
    expect(alignToChart([], times, closes)).toEqual([])
  })

  it('read 0% at the first bar in view and the change from it elsewhere, as the line is drawn', () => {
    const points = [
      { time: 0, value: 50 },
      { time: H, value: 40 },
      { time: 2 * H, value: 44 },
      { time: 3 * H, value: 60 },
    ]
    // In view from the second bar: 40 is 0%; 44 is +10%, 60 is +50%.
    expect(percentFrom(points, H, H)).toBe(0)
    expect(percentFrom(points, H, 2 * H)).toBeCloseTo(10, 12)
    expect(percentFrom(points, H, 3 * H)).toBeCloseTo(50, 12)
    // The view starting between bars takes the next bar; a bar before the view or missing has no value.
    expect(percentFrom(points, H / 2, 2 * H)).toBeCloseTo(10, 12)
    expect(percentFrom(points, 2 * H, H)).toBeNull()
    expect(percentFrom(points, 0, 5 * H)).toBeNull()
  })

  it("refuse the chart's own symbol, a symbol twice, and more than the maximum; colours differ", () => {
    const chart = { source: 'demo', symbol: 'BTC/USDT' }
    expect(withCompare([], chart, chart)).toMatch(/chart's own symbol/)
    let items: CompareItem[] = []
    const symbols = ['ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'ADA/USDT', 'DOGE/USDT']
    for (const symbol of symbols) {
      const next = withCompare(items, { source: 'demo', symbol }, chart)
      if (typeof next === 'string') throw new Error(next)
      items = next
    }
    expect(items).toHaveLength(MAX_COMPARES)
    expect(new Set(items.map((i) => i.color)).size).toBe(MAX_COMPARES)
    expect(withCompare(items.slice(0, 2), { source: 'demo', symbol: 'ETH/USDT' }, chart)).toMatch(/already/)
    expect(withCompare(items, { source: 'demo', symbol: 'BNB/USDT' }, chart)).toMatch(/At most 5/)
    // A removed line's colour is the next one given.
    expect(nextCompareColor(items.filter((i) => i.color !== COMPARE_COLORS[1]))).toBe(COMPARE_COLORS[1])
  })
})
