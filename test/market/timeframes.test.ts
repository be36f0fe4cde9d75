/**
 * Every timeframe from 1m to 1M: bucket boundaries by hand (UTC; weeks from Monday 00:00 as on
 * Binance and TradingView; months by the calendar), aggregation by hand-computed OHLCV, and a
 * real weekly history (backtrader's 2006 index, dated at each week's Friday) rebuilt exactly
 * from its daily file.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { aggregateCandles } from '../../src/main/market/aggregate'
import type { Candle } from '../../src/shared/domain/candles'
import {
  barsBack,
  bucketStart,
  maxBarsIn,
  nextBucket,
  TIMEFRAMES,
  timeframeMs,
  type Timeframe,
} from '../../src/shared/domain/timeframes'
import { sharedPath } from '../support/shared'

const MIN = 60_000
const DAY = 1440 * MIN
const iso = (t: number): string => new Date(t).toISOString()
const at = (s: string): number => Date.parse(s)
const bar = (time: number, o: number, h: number, l: number, c: number, v: number): Candle => ({
  time,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: v,
})

describe('bucket boundaries', () => {
  it('put a Thursday afternoon of a leap February in the hand-computed bar of each timeframe', () => {
    const t = at('2024-02-29T13:47:30Z')
    const want: Record<Timeframe, string> = {
      '1m': '2024-02-29T13:47:00.000Z',
      '3m': '2024-02-29T13:45:00.000Z',
      '5m': '2024-02-29T13:45:00.000Z',
      '15m': '2024-02-29T13:45:00.000Z',
      '30m': '2024-02-29T13:30:00.000Z',
      '1h': '2024-02-29T13:00:00.000Z',
      '2h': '2024-02-29T12:00:00.000Z',
      '4h': '2024-02-29T12:00:00.000Z',
      '6h': '2024-02-29T12:00:00.000Z',
      '12h': '2024-02-29T12:00:00.000Z',
      '1d': '2024-02-29T00:00:00.000Z',
      '1w': '2024-02-26T00:00:00.000Z',
      '1M': '2024-02-01T00:00:00.000Z',
    }
    for (const tf of TIMEFRAMES) expect(iso(bucketStart(t, tf)), tf).toBe(want[tf])
    expect(iso(nextBucket(bucketStart(t, '1w'), '1w'))).toBe('2024-03-04T00:00:00.000Z')
    expect(iso(nextBucket(bucketStart(t, '1M'), '1M'))).toBe('2024-03-01T00:00:00.000Z')
  })

  it('open a week on Monday 00:00 UTC, across a year boundary and at the last Sunday minute', () => {
    expect(iso(bucketStart(at('2024-12-31T10:00:00Z'), '1w'))).toBe('2024-12-30T00:00:00.000Z')
    expect(iso(bucketStart(at('2025-01-05T23:59:59Z'), '1w'))).toBe('2024-12-30T00:00:00.000Z')
    expect(iso(bucketStart(at('2025-01-06T00:00:00Z'), '1w'))).toBe('2025-01-06T00:00:00.000Z')
    // The first week of 1970 opened on Monday 29 December 1969.
    expect(iso(bucketStart(0, '1w'))).toBe('1969-12-29T00:00:00.000Z')
  })

  it('step back by whole calendar months, and never undercount the months in a span', () => {
    const march = at('2024-03-01T00:00:00Z')
    expect(iso(barsBack(march, 1, '1M'))).toBe('2024-02-01T00:00:00.000Z')
    expect(iso(barsBack(march, 13, '1M'))).toBe('2023-02-01T00:00:00.000Z')
    expect(iso(barsBack(march, 0, '1M'))).toBe('2024-03-01T00:00:00.000Z')
    expect(barsBack(march, 3, '4h')).toBe(march - 12 * 60 * MIN)
    let opens = 0
    const from = at('2023-01-01T00:00:00Z')
    const to = at('2024-12-31T00:00:00Z')
    for (let m = from; m < to; m = nextBucket(m, '1M')) opens++
    expect(opens).toBe(24)
    expect(maxBarsIn(to - from, '1M')).toBeGreaterThanOrEqual(24)
    expect(Math.ceil((to - from) / timeframeMs('1M'))).toBe(25)
    // February 1 and March 1 open within 28 days and a millisecond: a 30-day month counted one.
    const feb = at('2023-02-01T00:00:00Z')
    expect(Math.ceil((28 * DAY + 1) / timeframeMs('1M'))).toBe(1)
    expect(maxBarsIn(28 * DAY + 1, '1M')).toBe(2)
    expect(nextBucket(feb, '1M')).toBe(feb + 28 * DAY)
    expect(maxBarsIn(0, '1w')).toBe(0)
    expect(maxBarsIn(7 * DAY + 1, '1w')).toBe(2)
  })
})

describe('aggregation to every timeframe', () => {
  it('folds 13 hours of 1m bars into the hand-computed buckets of 3m to 12h', () => {
    // Bar i: open i, high i + 0.5, low i - 0.5, close i + 0.25, volume 1.
    const start = at('2024-01-01T05:00:00Z')
    const ones = Array.from({ length: 13 * 60 }, (_, i) =>
      bar(start + i * MIN, i, i + 0.5, i - 0.5, i + 0.25, 1),
    )
    // [first minute index, last minute index] of each bucket, worked out from the clock.
    const expected: Partial<Record<Timeframe, [string, number, number][]>> = {
      '3m': [
        ['2024-01-01T05:00:00.000Z', 0, 2],
        ['2024-01-01T05:03:00.000Z', 3, 5],
      ],
      '30m': [
        ['2024-01-01T05:00:00.000Z', 0, 29],
        ['2024-01-01T05:30:00.000Z', 30, 59],
      ],
      // 2h, 6h and 12h open at UTC hours divisible by 2, 6 and 12: 05:00 is inside 04:00, 00:00, 00:00.
      '2h': [
        ['2024-01-01T04:00:00.000Z', 0, 59],
        ['2024-01-01T06:00:00.000Z', 60, 179],
      ],
      '6h': [
        ['2024-01-01T00:00:00.000Z', 0, 59],
        ['2024-01-01T06:00:00.000Z', 60, 419],
        ['2024-01-01T12:00:00.000Z', 420, 779],
      ],
      '12h': [
        ['2024-01-01T00:00:00.000Z', 0, 419],
        ['2024-01-01T12:00:00.000Z', 420, 779],
      ],
    }
    for (const [tf, buckets] of Object.entries(expected) as [Timeframe, [string, number, number][]][]) {
      const got = aggregateCandles(ones, tf)
      for (const [k, [open, a, b]] of buckets.entries()) {
        expect(iso(got[k]!.time), tf).toBe(open)
        expect(got[k], `${tf} ${open}`).toEqual(bar(got[k]!.time, a, b + 0.5, a - 0.5, b + 0.25, b - a + 1))
      }
    }
    expect(aggregateCandles(ones, '3m')).toHaveLength(260)
    expect(aggregateCandles(ones, '2h')).toHaveLength(7)
  })

  it('folds daily bars into Monday weeks and calendar months (a leap February is 29 days)', () => {
    const d = (s: string, o: number, h: number, l: number, c: number, v: number): Candle =>
      bar(at(`${s}T00:00:00Z`), o, h, l, c, v)
    const days = [
      d('2024-01-27', 10, 11, 9, 10.5, 1), // Saturday
      d('2024-01-28', 10.5, 12, 10, 11, 2), // Sunday
      d('2024-01-29', 11, 11.5, 8, 9, 3), // Monday
      d('2024-01-31', 9, 10, 8.5, 9.5, 4), // Wednesday, last of January
      d('2024-02-01', 9.5, 13, 9.5, 12, 5), // Thursday, first of February
      d('2024-02-29', 12, 12.5, 7, 7.5, 6), // leap day
      d('2024-03-01', 7.5, 8, 7, 7.75, 7),
    ]
    expect(
      aggregateCandles(days, '1w').map((b) => [iso(b.time), b.open, b.high, b.low, b.close, b.volume]),
    ).toEqual([
      ['2024-01-22T00:00:00.000Z', 10, 12, 9, 11, 3],
      ['2024-01-29T00:00:00.000Z', 11, 13, 8, 12, 12],
      ['2024-02-26T00:00:00.000Z', 12, 12.5, 7, 7.75, 13],
    ])
    expect(
      aggregateCandles(days, '1M').map((b) => [iso(b.time), b.open, b.high, b.low, b.close, b.volume]),
    ).toEqual([
      ['2024-01-01T00:00:00.000Z', 10, 12, 8, 9.5, 10],
      ['2024-02-01T00:00:00.000Z', 9.5, 13, 7, 7.5, 11],
      ['2024-03-01T00:00:00.000Z', 7.5, 8, 7, 7.75, 7],
    ])
  })

  it("rebuild backtrader's 2006 weekly index file exactly from its daily file", () => {
    const read = (name: string): { date: string; bar: Candle }[] =>
      readFileSync(sharedPath(`data/backtrader/${name}`), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => {
          const [date, o, h, l, c, v] = line.split(',')
          return { date: date!, bar: bar(at(`${date}T00:00:00Z`), +o!, +h!, +l!, +c!, +v!) }
        })
    const daily = read('2006-day-001.txt').map((r) => r.bar)
    const weekly = read('2006-week-001.txt')
    const rebuilt = aggregateCandles(daily, '1w')
    expect(rebuilt).toHaveLength(weekly.length)
    for (const [i, w] of weekly.entries()) {
      // The file dates a week at its last trading day; its bar opens on that week's Monday.
      expect(rebuilt[i], w.date).toEqual({ ...w.bar, time: bucketStart(w.bar.time, '1w') })
      expect(new Date(rebuilt[i]!.time).getUTCDay()).toBe(1)
    }
  })
})
