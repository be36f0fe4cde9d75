import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { byCloseTime, closeTime, SymbolBook } from '../../src/main/signals/book'
import {
  DEFAULT_PROFILE,
  signalProfileSchema,
  type Signal,
  type SignalProfile,
} from '../../src/shared/domain/signals'
import type { Timeframe } from '../../src/shared/domain/timeframes'
import { knownAt, seriesOf, T0, walk1m } from './support'

const key = (s: Signal) => `${s.timeframe}@${s.time}`

function replay(profile: SignalProfile, series: ReturnType<typeof seriesOf>): Signal[] {
  return new SymbolBook('test', 'WALK', profile).replay(series)
}

/** A quick profile (short periods) over 1m..1h, so a few hundred minutes warm every timeframe. */
const quick = signalProfileSchema.parse({
  id: 'quick',
  name: 'Quick',
  timeframes: ['1m', '5m', '15m', '1h'],
  atrPeriod: 5,
  trend: { emaFast: 3, emaSlow: 8, adxPeriod: 4 },
  momentum: {
    rsiPeriod: 5,
    macd: { fast: 3, slow: 6, signal: 3 },
    terms: { stoch: 1 },
    stoch: { period: 5 },
  },
  volatility: { bbPeriod: 5, widthAverage: 4 },
  volume: { mfiPeriod: 5, obvLookback: 5, volumeAverage: 5 },
})

describe('no look-ahead', () => {
  it('a signal at bar t is the same whether or not later bars exist (default profile, 1m to 4h)', () => {
    // 1d would need 50+ days of minutes to warm EMA50; 4h needs 8.3 days.
    const profile = signalProfileSchema.parse({
      id: 'd',
      name: 'd',
      timeframes: ['1m', '5m', '15m', '1h', '4h'],
    })
    const minutes = walk1m(10 * 1440, 42)
    const full = replay(profile, seriesOf(minutes, profile.timeframes))
    const byKey = new Map(full.map((s) => [key(s), s]))
    expect(new Set(full.map((s) => s.timeframe))).toEqual(new Set(profile.timeframes))
    for (const cutMinutes of [3000, 9 * 1440 + 17]) {
      const cut = T0 + cutMinutes * 60_000
      const prefix = replay(profile, knownAt(seriesOf(minutes, profile.timeframes), cut))
      expect(prefix.length).toBeGreaterThan(1000)
      for (const s of prefix) expect(byKey.get(key(s))).toEqual(s)
      // and the prefix run has every signal the full run had up to the cut
      expect(prefix.length).toBe(full.filter((s) => closeTime(s.timeframe, s.time) <= cut).length)
    }
  })

  it('property: any cut of any series gives the full run’s signals up to the cut', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 300, max: 900 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, n, cutAt, strength) => {
          const profile = { ...quick, mtf: { ...quick.mtf, strength } }
          const minutes = walk1m(n, seed)
          const series = seriesOf(minutes, profile.timeframes)
          const full = replay(profile, series)
          const cut = T0 + Math.floor(cutAt * n) * 60_000
          const prefix = replay(profile, knownAt(series, cut))
          const expected = full.filter((s) => closeTime(s.timeframe, s.time) <= cut)
          expect(prefix).toEqual(expected)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('property: changing bars after t never changes a signal at or before t', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 100, max: 700 }),
        (seed, cutMinute) => {
          const a = walk1m(800, seed)
          // Same history up to the cut, a different future after it.
          const b = [
            ...a.slice(0, cutMinute),
            ...walk1m(800 - cutMinute, seed ^ 0x5bd1e995, a[cutMinute]!.time, a[cutMinute - 1]!.close),
          ]
          const cut = T0 + cutMinute * 60_000
          const before = (xs: Signal[]) => xs.filter((s) => closeTime(s.timeframe, s.time) <= cut)
          const sa = before(replay(quick, seriesOf(a, quick.timeframes)))
          const sb = before(replay(quick, seriesOf(b, quick.timeframes)))
          expect(sa.length).toBeGreaterThan(0)
          expect(sb).toEqual(sa)
        },
      ),
      { numRuns: 30 },
    )
  })

  it('a lower timeframe only sees higher-timeframe bars that had closed', () => {
    // The 1m signal closing at 10:07 may use the 5m bar 10:00-10:05 but not 10:05-10:10:
    // changing the 10:05 5m bar (which closes at 10:10) must leave the 10:07 1m signal alone.
    const minutes = walk1m(600, 9)
    const series = seriesOf(minutes, quick.timeframes)
    const base = replay(quick, series)
    const five = series['5m']!
    const i = five.findIndex((b) => b.time === T0 + 305 * 60_000)
    const tweaked = {
      ...series,
      '5m': five.map((b, k) => (k === i ? { ...b, close: b.high, volume: b.volume * 9 } : b)),
    }
    const after = replay(quick, tweaked)
    const at = (xs: Signal[], tf: Timeframe, t: number) => xs.find((s) => s.timeframe === tf && s.time === t)
    const t1007 = T0 + 307 * 60_000
    expect(at(after, '1m', t1007)).toEqual(at(base, '1m', t1007))
    // ...while the 1m bar closing at 10:10, with the 5m bar, does change.
    const t1009 = T0 + 309 * 60_000
    expect(at(after, '1m', t1009)).not.toEqual(at(base, '1m', t1009))
  })
})

describe('determinism', () => {
  it('the same bars give the same signals, whatever the order timeframes are listed in', () => {
    const minutes = walk1m(3000, 1234)
    const series = seriesOf(minutes, DEFAULT_PROFILE.timeframes)
    const reversed = Object.fromEntries(Object.entries(series).reverse()) as typeof series
    const a = replay(DEFAULT_PROFILE, series)
    expect(a.length).toBeGreaterThan(2000)
    expect(replay(DEFAULT_PROFILE, reversed)).toEqual(a)
    expect(replay(DEFAULT_PROFILE, series)).toEqual(a)
  })

  it('bars fed one closing instant at a time give the same signals as a replay', () => {
    const minutes = walk1m(900, 77)
    const series = seriesOf(minutes, quick.timeframes)
    const book = new SymbolBook('test', 'WALK', quick)
    const live: Signal[] = []
    for (const group of byCloseTime(series)) live.push(...book.closeBars([...group].reverse()))
    expect(live).toEqual(replay(quick, series))
    // Re-sending bars already seen changes nothing.
    expect(book.closeBars([{ timeframe: '1m', bar: minutes.at(-1)! }])).toEqual([])
  })

  it('every score, component and confidence is in range', () => {
    const all = replay(quick, seriesOf(walk1m(2000, 99), quick.timeframes))
    for (const s of all) {
      expect(s.score).toBeGreaterThanOrEqual(0)
      expect(s.score).toBeLessThanOrEqual(100)
      expect(s.confidence).toBeGreaterThanOrEqual(0)
      expect(s.confidence).toBeLessThanOrEqual(1)
      for (const c of Object.values(s.components)) if (c !== null) expect(c >= 0 && c <= 100).toBe(true)
      expect(s.direction).toBe(s.score >= 60 ? 'buy' : s.score <= 40 ? 'sell' : 'neutral')
    }
    // Not degenerate: the walk's regimes produce buys, sells and neutrals.
    expect(new Set(all.map((s) => s.direction))).toEqual(new Set(['buy', 'sell', 'neutral']))
  })
})
