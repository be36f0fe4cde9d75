import { describe, expect, it } from 'vitest'
import type { BookEvent } from '../../../../shared/contract/book'
import { atTickDecimals, bookView, depthCurves, shortSize } from './view'

const book: BookEvent = {
  source: 'demo',
  symbol: 'X/USDT',
  time: 0,
  tick: '0.01',
  bids: [
    ['99.99', '1.5'],
    ['99.95', '0.25'],
    ['99.80', '2'],
  ],
  asks: [
    ['100.01', '0.5'],
    ['100.04', '1'],
    ['100.30', '3'],
  ],
  transport: 'simulated',
}

describe('the order book panel’s model', () => {
  it('groups at the chosen step, falls back to the tick for a step not offered, and caps the rows', () => {
    const at = bookView(book, '0.1', 2)
    expect(at.step).toBe('0.1')
    expect(at.bids.map((l) => [l.price, l.total])).toEqual([
      ['99.90', '1.75'],
      ['99.80', '3.75'],
    ])
    expect(at.asks.map((l) => [l.price, l.total])).toEqual([
      ['100.10', '1.5'],
      ['100.30', '4.5'],
    ])
    expect(at.maxTotal).toBe(4.5)
    expect(at.spread).toMatchObject({ mid: '100', spread: '0.02' })
    // A step kept from another market that this one does not offer.
    expect(bookView(book, '50', 8).step).toBe('0.01')
    expect(bookView(book, undefined, 1).bids).toHaveLength(1)
  })

  it('draws cumulative depth from the touch outwards', () => {
    expect(depthCurves(book).bids).toEqual([
      [99.99, 1.5],
      [99.95, 1.75],
      [99.8, 3.75],
    ])
  })

  it('shows the mid at the tick’s decimals and sizes shorter the larger they are', () => {
    expect(atTickDecimals('100', '0.01')).toBe('100.00')
    expect(atTickDecimals('76621.9', '0.01')).toBe('76621.90')
    expect(atTickDecimals('1.035005', '0.00001')).toBe('1.035005')
    expect(shortSize('0.0029296875')).toBe('0.00293')
    // In the page's locale (grouping varies).
    expect(shortSize('12345.5')).toMatch(/^12\D?346$/)
  })
})
