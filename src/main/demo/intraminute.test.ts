import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildMinutePath, newMinutePath, TICKS_PER_MINUTE, type ClosedMinute } from './intraminute'

const SCALE = 100
const STEP = 1 / 1024
const round = (x: number): number => Math.round(x * SCALE) / SCALE

/** Random valid bars: low <= open, close <= high, all on the price grid; volume on its grid. */
const barArb = fc
  .record({
    base: fc.integer({ min: 100, max: 10_000_000 }),
    a: fc.integer({ min: -500, max: 500 }),
    b: fc.integer({ min: -500, max: 500 }),
    up: fc.integer({ min: 0, max: 300 }),
    down: fc.integer({ min: 0, max: 300 }),
    units: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map(({ base, a, b, up, down, units }): ClosedMinute => {
    const open = round((base + a) / SCALE)
    const close = round((base + b) / SCALE)
    return {
      open,
      close,
      high: round((Math.max(base + a, base + b) + up) / SCALE),
      low: round((Math.min(base + a, base + b) - down) / SCALE),
      volume: units * STEP,
    }
  })

describe('intra-minute path', () => {
  it('opens at the open, closes at the close, touches exactly the high and low, and accrues the volume', () => {
    fc.assert(
      fc.property(barArb, fc.integer(), (bar, key) => {
        const p = newMinutePath()
        buildMinutePath(bar, SCALE, STEP, key, p)
        const last = TICKS_PER_MINUTE - 1
        expect(p.price[0]).toBe(bar.open)
        expect(p.price[last]).toBe(bar.close)
        expect(p.high[last]).toBe(bar.high)
        expect(p.low[last]).toBe(bar.low)
        expect(p.volume[last]).toBe(bar.volume)
        const bad: string[] = []
        for (let k = 0; k < TICKS_PER_MINUTE; k++) {
          const x = p.price[k]!
          if (x < bar.low || x > bar.high) bad.push(`tick ${k} outside the bar`)
          if (round(x) !== x) bad.push(`tick ${k} off the price grid`)
          if (k > 0 && p.high[k]! < p.high[k - 1]!) bad.push(`high fell at ${k}`)
          if (k > 0 && p.low[k]! > p.low[k - 1]!) bad.push(`low rose at ${k}`)
          if (k > 0 && p.volume[k]! < p.volume[k - 1]!) bad.push(`volume fell at ${k}`)
        }
        expect(bad).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('is a pure function of the bar and the key', () => {
    const bar: ClosedMinute = { open: 100, high: 101.5, low: 99.25, close: 100.75, volume: 3 }
    const a = newMinutePath()
    const b = newMinutePath()
    const c = newMinutePath()
    buildMinutePath(bar, SCALE, STEP, 1, a)
    buildMinutePath(bar, SCALE, STEP, 1, b)
    buildMinutePath(bar, SCALE, STEP, 2, c)
    expect(Array.from(b.price)).toEqual(Array.from(a.price))
    expect(Array.from(c.price)).not.toEqual(Array.from(a.price))
  })

  it('moves within the minute rather than jumping to the close', () => {
    const bar: ClosedMinute = { open: 100, high: 101, low: 99, close: 100.5, volume: 3 }
    const p = newMinutePath()
    buildMinutePath(bar, SCALE, STEP, 3, p)
    const distinct = new Set(Array.from(p.price)).size
    expect(distinct).toBeGreaterThan(20)
  })
})
