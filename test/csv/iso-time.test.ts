/** isoTimeFormatter writes exactly what Date#toISOString writes, without a Date per cell. */
import { describe, expect, it } from 'vitest'
import { isoTimeFormatter } from '../../src/main/export/iso-time'

describe('isoTimeFormatter', () => {
  it('matches toISOString at the edges: epoch, before 1970, day and year bounds, beyond 9999', () => {
    const iso = isoTimeFormatter()
    const edges = [
      0,
      -1,
      1,
      999,
      1000,
      86_399_999,
      86_400_000,
      -86_400_000,
      -86_400_001,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2024, 2, 1),
      Date.UTC(1969, 11, 31, 23, 59, 59, 1),
      -62_167_219_200_000,
      -62_167_219_200_001,
      253_402_300_799_999,
      253_402_300_800_000,
      8.64e15,
      -8.64e15,
      1.5,
    ]
    for (const ms of edges) expect(iso(ms)).toBe(new Date(ms).toISOString())
  })

  it('matches toISOString over times in order and at random, with the day cached between them', () => {
    const iso = isoTimeFormatter()
    const misses: number[] = []
    for (let ms = Date.UTC(2024, 2, 1) - 3_000; ms < Date.UTC(2024, 2, 1) + 3_000; ms += 7) {
      if (iso(ms) !== new Date(ms).toISOString()) misses.push(ms)
    }
    let seed = 42
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      const ms = Math.round((seed / 2 ** 31 - 0.5) * 5e14)
      if (iso(ms) !== new Date(ms).toISOString()) misses.push(ms)
    }
    expect(misses).toEqual([])
  })
})
