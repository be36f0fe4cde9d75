import { describe, expect, it } from 'vitest'
import { applyTicker, barsOf, rank, type Mover } from './movers'

const m = (symbol: string, change24h: number | null): Mover => ({
  source: 'demo',
  symbol,
  simulated: true,
  last: 1,
  change24h,
  pricePrecision: 2,
})

describe('dashboard movers', () => {
  it('gainers largest first, losers most negative first; no change and zero are in neither', () => {
    const all = [m('A', 2), m('B', -5), m('C', 7), m('D', null), m('E', 0), m('F', -1), m('G', 2)]
    const { gainers, losers } = rank(all, 2)
    expect(gainers.map((x) => x.symbol)).toEqual(['C', 'A'])
    expect(losers.map((x) => x.symbol)).toEqual(['B', 'F'])
  })

  it('a ticker updates its own symbol only', () => {
    const all = [m('A', 2), m('B', -5)]
    const next = applyTicker(all, { source: 'demo', symbol: 'B', time: 1, last: 9, change24h: 3 })
    expect(next[1]).toMatchObject({ last: 9, change24h: 3 })
    expect(next[0]).toBe(all[0])
    expect(applyTicker(all, { source: 'x', symbol: 'B', time: 1, last: 9, change24h: 3 })).toBe(all)
  })

  it('sparkline of the last 24 closes, and the last bar judged against the ones before', () => {
    // 30 calm bars (returns +1, 0, -1 %, volume 100/120/110) then a +10 % bar on volume 200.
    const close = [100]
    for (let i = 0; i < 30; i++) close.push(close.at(-1)! * (1 + [1, 0, -1][i % 3]! / 100))
    close.push(close.at(-1)! * 1.1)
    const volume = close.map((_, i) => (i === close.length - 1 ? 200 : [100, 120, 110][i % 3]!))
    const time = close.map((_, i) => i * 3_600_000)
    const bars = barsOf({ time, open: close, high: close, low: close, close, volume })
    expect(bars.spark).toEqual(close.slice(-24))
    expect(bars.barTime).toBe(31 * 3_600_000)
    expect(bars.flags.map((f) => f.measure)).toEqual(['bar-return', 'bar-volume'])
  })
})
