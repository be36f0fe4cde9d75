import { describe, expect, it } from 'vitest'
import { FIB_LEVELS, fibLevels } from './fib'

describe('Fibonacci retracement', () => {
  it('has the usual levels, 1 at the first point and 0 at the second', () => {
    expect(FIB_LEVELS).toEqual([0, 0.236, 0.382, 0.5, 0.618, 0.786, 1])
    // A move up from 100 to 200: the retracements counted down from 200.
    expect(fibLevels(100, 200, 2).map((l) => l.price)).toEqual([200, 176.4, 161.8, 150, 138.2, 121.4, 100])
  })

  it('rounds each price to the market precision, without float tails', () => {
    // 43,000.10 -> 43,250.35 at 2 decimals (a hand count in cents: 25,025 cents of move).
    const levels = fibLevels(43000.1, 43250.35, 2)
    expect(levels.map((l) => l.price)).toEqual([
      43250.35, 43191.29, 43154.75, 43125.23, 43095.7, 43053.65, 43000.1,
    ])
    // Half of an odd number of ticks rounds away from zero.
    expect(fibLevels(0.001, 0.002, 3)[3]!.price).toBe(0.002)
    for (const l of fibLevels(1.2345, 1.1111, 4)) expect(String(l.price)).toMatch(/^\d+(\.\d{1,4})?$/)
  })
})
