import { describe, expect, it } from 'vitest'
import { demoBook, specOf } from '../../src/main/book/demo-book'
import { demoTradesBetween, recentDemoTrades } from '../../src/main/book/demo-trades'
import { createDemoMarket } from '../../src/main/demo'
import { aggregateSide, bookSteps, fromUnits, spreadOf, toUnits } from '../../src/shared/domain/book'

/** The demo market's simulated book and tape against the demo's own prices (pure functions of seed and time). */

const NOW = Date.UTC(2026, 2, 14, 9, 26, 53, 589)
const demo = createDemoMarket({ seed: 7 })

describe('the demo order book', () => {
  it('is centred on the demo price: its mid is the last price at the tick, bids below asks', () => {
    for (const { symbol, pricePrecision } of demo.symbols) {
      for (const t of [NOW, NOW + 250, NOW + 61_000, NOW + 86_400_000]) {
        const book = demoBook(demo, symbol, t, 100)
        const last = demo.quote(symbol, t).last.toFixed(pricePrecision)
        const s = spreadOf(book.bids, book.asks)!
        expect(Number(s.mid)).toBe(Number(last))
        expect(toUnits(s.spread, pricePrecision)).toBeGreaterThan(0n)
        expect(s.bps).toBeGreaterThan(0)
        expect(s.bps).toBeLessThan(5)
        // Strictly ordered away from the touch, every price on the tick, every size positive.
        const units = (l: readonly [string, string]) => toUnits(l[0], pricePrecision)
        for (let i = 1; i < book.bids.length; i++)
          expect(units(book.bids[i]!)).toBeLessThan(units(book.bids[i - 1]!))
        for (let i = 1; i < book.asks.length; i++)
          expect(units(book.asks[i]!)).toBeGreaterThan(units(book.asks[i - 1]!))
        expect(units(book.bids[0]!)).toBeLessThan(units(book.asks[0]!))
        for (const [, size] of [...book.bids, ...book.asks]) expect(Number(size)).toBeGreaterThan(0)
        expect(book.bids).toHaveLength(100)
        expect(book.asks).toHaveLength(100)
      }
    }
  })

  it('is deterministic per seed and time, and differs with the seed', () => {
    const a = demoBook(demo, 'BTC/USDT', NOW, 50)
    expect(demoBook(createDemoMarket({ seed: 7 }), 'BTC/USDT', NOW, 50)).toEqual(a)
    expect(demoBook(createDemoMarket({ seed: 8 }), 'BTC/USDT', NOW, 50)).not.toEqual(a)
  })

  it('has plausible sizes: a level near the touch holds a few percent of a minute’s volume', () => {
    const spec = specOf('BTC/USDT')!
    const book = demoBook(demo, 'BTC/USDT', NOW, 100)
    const top = book.bids.slice(0, 10).map(([, s]) => Number(s))
    for (const s of top) {
      expect(s).toBeGreaterThanOrEqual(spec.volumeStep)
      expect(s).toBeLessThan(spec.baseVolume)
    }
    // Deep enough to group: the far levels reach more than half a percent from the mid.
    const far = Number(book.bids.at(-1)![0])
    expect(far).toBeLessThan(Number(book.bids[0]![0]) * 0.995)
  })

  it('aggregates exactly in decimals at every offered step, bids down and asks up', () => {
    const book = demoBook(demo, 'BTC/USDT', NOW, 100)
    const steps = bookSteps(book.tick, Number(book.bids[0]![0]))
    expect(steps).toEqual(['0.01', '0.1', '0.5', '1', '5', '10', '50', '100'])
    const sum = (levels: readonly (readonly [string, string])[]) =>
      levels.reduce((acc, [, s]) => acc + toUnits(s, 10), 0n)
    for (const step of steps) {
      for (const side of ['bid', 'ask'] as const) {
        const levels = side === 'bid' ? book.bids : book.asks
        const grouped = aggregateSide(levels, step, side)
        // Sizes and running totals are exact: the last total is the side's whole size.
        expect(toUnits(grouped.at(-1)!.total, 10)).toBe(sum(levels))
        expect(grouped.reduce((acc, g) => acc + toUnits(g.size, 10), 0n)).toBe(sum(levels))
        // Each bucket is a multiple of the step, on the side of its orders' prices.
        for (const g of grouped) expect(toUnits(g.price, 2) % toUnits(step, 2)).toBe(0n)
        if (side === 'bid') expect(Number(grouped[0]!.price)).toBeLessThanOrEqual(Number(levels[0]![0]))
        else expect(Number(grouped[0]!.price)).toBeGreaterThanOrEqual(Number(levels[0]![0]))
      }
    }
  })

  it('groups a hand-made book to the expected buckets and totals', () => {
    const bids = [
      ['100.07', '0.1'],
      ['100.01', '0.2'],
      ['99.99', '0.3'],
    ] as const
    const asks = [
      ['100.10', '0.1'],
      ['100.11', '0.2'],
      ['100.20', '0.7'],
    ] as const
    expect(aggregateSide(bids, '0.1', 'bid')).toEqual([
      { price: '100.00', size: '0.3', total: '0.3' },
      { price: '99.90', size: '0.3', total: '0.6' },
    ])
    expect(aggregateSide(asks, '0.1', 'ask')).toEqual([
      { price: '100.10', size: '0.1', total: '0.1' },
      { price: '100.20', size: '0.9', total: '1.0' },
    ])
    expect(spreadOf(bids, asks)).toMatchObject({ mid: '100.085', spread: '0.03' })
    expect(fromUnits(-5n, 2)).toBe('-0.05')
  })
})

describe('the demo trades tape', () => {
  it('ends at the demo’s last price, and a minute’s trades add up to its bar’s volume', () => {
    const spec = specOf('ETH/USDT')!
    const recent = recentDemoTrades(demo, spec, NOW, 50)
    expect(recent.length).toBeGreaterThan(10)
    expect(recent.length).toBeLessThanOrEqual(50)
    // The last trade is at the price the demo quotes now (the tick it was made in).
    const lastTrade = recent.at(-1)!
    expect(Number(lastTrade.price)).toBe(Number(demo.quote('ETH/USDT', NOW).last.toFixed(2)))
    expect(lastTrade.time).toBeLessThanOrEqual(NOW)
    for (let i = 1; i < recent.length; i++) expect(recent[i]!.time).toBeGreaterThan(recent[i - 1]!.time)

    const minute = Math.floor(NOW / 60_000) * 60_000 - 60_000
    const trades = demoTradesBetween(demo, spec, minute, minute + 59_999)
    const bar = demo.candles('ETH/USDT', '1m', minute, 1, NOW)
    const total = trades.reduce((acc, t) => acc + toUnits(t.size, 10), 0n)
    expect(total).toBe(toUnits(bar.volume[0]!.toString(), 10))
    const prices = trades.map((t) => Number(t.price))
    expect(Math.max(...prices)).toBeLessThanOrEqual(bar.high[0]!)
    expect(Math.min(...prices)).toBeGreaterThanOrEqual(bar.low[0]!)
    expect(prices.at(-1)).toBe(bar.close[0])
  })
})
