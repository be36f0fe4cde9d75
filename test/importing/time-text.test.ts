import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { epochToMs, parseTimeText } from '../../src/main/importing/time-text'

// 1973-03-04 (1e11 ms) .. 2200-01-01: where epoch seconds and milliseconds are told apart.
const instant = fc.integer({ min: 100_000_000_000, max: Date.UTC(2200, 0, 1) })

describe('parseTimeText', () => {
  it('reads back any ISO instant, and naive forms as UTC', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const s = new Date(ms).toISOString() // 2024-01-02T09:00:00.123Z
        expect(parseTimeText(s)).toBe(ms)
        expect(parseTimeText(s.slice(0, -1))).toBe(ms)
        expect(parseTimeText(s.slice(0, -1).replace('T', ' '))).toBe(ms)
        expect(parseTimeText(s.slice(0, 10))).toBe(ms - (ms % 86_400_000))
      }),
    )
  })

  it('tells epoch seconds, milliseconds and microseconds apart by magnitude', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const seconds = Math.floor(ms / 1000)
        expect(parseTimeText(String(seconds))).toBe(seconds * 1000)
        expect(parseTimeText(String(ms))).toBe(ms)
        expect(parseTimeText(String(ms * 1000))).toBe(ms)
      }),
    )
  })

  it('applies offsets the way Date.parse does', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -14 * 60, max: 14 * 60 }), (ms, offset) => {
        const sign = offset < 0 ? '-' : '+'
        const abs = Math.abs(offset)
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
        const s = new Date(ms).toISOString().slice(0, -1) + zone
        expect(parseTimeText(s)).toBe(Date.parse(s))
      }),
    )
  })

  it('refuses small numbers that are indexes, not times', () => {
    expect(epochToMs(251)).toBeUndefined()
    expect(parseTimeText('99999999')).toBeUndefined()
    expect(parseTimeText('19991231')).toBe(Date.UTC(1999, 11, 31))
  })
})
