import { describe, expect, it } from 'vitest'
import { heikinAshi } from './chart-style'

describe('Heikin Ashi', () => {
  it('matches bars computed by hand', () => {
    const bars = [
      { open: 10, high: 14, low: 8, close: 12 },
      { open: 12, high: 16, low: 11, close: 15 },
      { open: 15, high: 15, low: 9, close: 10 },
    ]
    // 1: close (10+14+8+12)/4 = 11, open (10+12)/2 = 11, high max(14,11,11) = 14, low 8.
    // 2: close (12+16+11+15)/4 = 13.5, open (11+11)/2 = 11, high 16, low min(11,11,13.5) = 11.
    // 3: close (15+15+9+10)/4 = 12.25, open (11+13.5)/2 = 12.25, high 15, low 9.
    expect(heikinAshi(bars)).toEqual([
      { open: 11, high: 14, low: 8, close: 11 },
      { open: 11, high: 16, low: 11, close: 13.5 },
      { open: 12.25, high: 15, low: 9, close: 12.25 },
    ])
  })

  it('widens high and low to take in the HA open and close', () => {
    // A gap down: the HA open (from the previous HA bar) sits above this bar's high.
    const [, second] = heikinAshi([
      { open: 100, high: 100, low: 100, close: 100 },
      { open: 50, high: 52, low: 48, close: 51 },
    ])
    expect(second).toEqual({ open: 100, high: 100, low: 48, close: 50.25 })
  })

  it('has no bars for no bars', () => {
    expect(heikinAshi([])).toEqual([])
  })
})
