import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { aggregateCandles, findGaps, guessCalendar } from '../../src/main/market/aggregate'
import {
  listSeries,
  readCandleRange,
  readLatestCandles,
  upsertCandles,
} from '../../src/main/storage/candle-store'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const MIN = 60_000
const H = 60 * MIN
const bar = (time: number, o: number, h: number, l: number, c: number, v: number) => ({
  time,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: v,
})

describe('candle store', () => {
  it('keys bars by source, symbol, timeframe and open time; a rewrite replaces the bar', () => {
    const db = openDatabase(join(tempDir(), 'c.db'))
    const btc = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' as const }
    upsertCandles(db, btc, [bar(0, 1, 2, 0, 1, 5), bar(MIN, 1, 3, 1, 2, 6)])
    upsertCandles(db, { ...btc, timeframe: '5m' }, [bar(0, 9, 9, 9, 9, 9)])
    upsertCandles(db, { ...btc, source: 'binance' }, [bar(0, 7, 7, 7, 7, 7)])
    upsertCandles(db, btc, [bar(MIN, 1, 4, 1, 3, 8)])
    expect(readCandleRange(db, btc, 0, MIN)).toEqual([bar(0, 1, 2, 0, 1, 5), bar(MIN, 1, 4, 1, 3, 8)])
    expect(readLatestCandles(db, { ...btc, timeframe: '5m' }, 10 * MIN, 10).close).toEqual([9])
    expect(listSeries(db).map((s) => `${s.source}/${s.timeframe}:${s.count}`)).toEqual([
      'binance/1m:1',
      'demo/1m:2',
      'demo/5m:1',
    ])
    closeDatabase(db)
  })

  it('reads the newest bars at or before a time, oldest first', () => {
    const db = openDatabase(join(tempDir(), 'c.db'))
    const k = { source: 's', symbol: 'X', timeframe: '1m' as const }
    upsertCandles(
      db,
      k,
      Array.from({ length: 10 }, (_, i) => bar(i * MIN, i, i, i, i, i)),
    )
    expect(readLatestCandles(db, k, 6 * MIN, 3).time).toEqual([4 * MIN, 5 * MIN, 6 * MIN])
    closeDatabase(db)
  })
})

describe('aggregation', () => {
  it('folds 1m bars into 5m by hand-computed OHLCV', () => {
    const ones = [
      bar(0, 10, 12, 9, 11, 1),
      bar(MIN, 11, 15, 10, 14, 2),
      bar(2 * MIN, 14, 14, 8, 9, 3),
      bar(3 * MIN, 9, 10, 9, 10, 4),
      bar(4 * MIN, 10, 11, 10, 10.5, 5),
      bar(5 * MIN, 10.5, 13, 10, 12, 6),
    ]
    expect(aggregateCandles(ones, '5m')).toEqual([
      bar(0, 10, 15, 8, 10.5, 15),
      bar(5 * MIN, 10.5, 13, 10, 12, 6),
    ])
  })

  it('forms 1h, 4h and 1d buckets on UTC boundaries', () => {
    const start = Date.UTC(2024, 0, 1, 22, 30)
    const ones = Array.from({ length: 180 }, (_, i) => bar(start + i * MIN, i, i + 1, i - 1, i, 1))
    const hours = aggregateCandles(ones, '1h')
    expect(hours.map((b) => new Date(b.time).toISOString())).toEqual([
      '2024-01-01T22:00:00.000Z',
      '2024-01-01T23:00:00.000Z',
      '2024-01-02T00:00:00.000Z',
      '2024-01-02T01:00:00.000Z',
    ])
    expect(hours.map((b) => b.volume)).toEqual([30, 60, 60, 30])
    expect(aggregateCandles(ones, '4h').map((b) => new Date(b.time).getUTCHours())).toEqual([20, 0])
    const days = aggregateCandles(ones, '1d')
    expect(days.map((b) => [b.open, b.close, b.volume])).toEqual([
      [0, 89, 90],
      [90, 179, 90],
    ])
  })

  it('leaves a missing bucket missing instead of inventing a bar', () => {
    const ones = [bar(0, 1, 1, 1, 1, 1), bar(10 * MIN, 2, 2, 2, 2, 1)]
    expect(aggregateCandles(ones, '5m').map((b) => b.time)).toEqual([0, 10 * MIN])
  })
})

describe('gaps', () => {
  it('reports each run of missing bars with its first and last open time', () => {
    const times = [0, MIN, 4 * MIN, 5 * MIN, 7 * MIN]
    expect(findGaps(times, '1m')).toEqual([
      { from: 2 * MIN, to: 3 * MIN, missing: 2 },
      { from: 6 * MIN, to: 6 * MIN, missing: 1 },
    ])
  })

  it('reports nothing for a continuous series', () => {
    expect(findGaps([0, H, 2 * H], '1h')).toEqual([])
  })

  it('does not count weekends as gaps for a weekday market', () => {
    const fri = Date.UTC(2024, 0, 5)
    const mon = Date.UTC(2024, 0, 8)
    const wed = Date.UTC(2024, 0, 10)
    expect(findGaps([fri, mon], '1d', 'weekdays')).toEqual([])
    expect(findGaps([fri, mon], '1d', 'always')).toEqual([
      { from: fri + 24 * H, to: fri + 48 * H, missing: 2 },
    ])
    expect(findGaps([fri, mon, wed], '1d', 'weekdays')).toEqual([
      { from: mon + 24 * H, to: mon + 24 * H, missing: 1 },
    ])
  })

  it('guesses a weekday calendar only for daily data without weekend bars', () => {
    const weekdays = Array.from({ length: 30 }, (_, i) => Date.UTC(2024, 0, 1 + i)).filter(
      (t) => new Date(t).getUTCDay() % 6 !== 0,
    )
    expect(guessCalendar(weekdays, '1d')).toBe('weekdays')
    expect(
      guessCalendar(
        Array.from({ length: 30 }, (_, i) => Date.UTC(2024, 0, 1 + i)),
        '1d',
      ),
    ).toBe('always')
    expect(guessCalendar(weekdays, '1m')).toBe('always')
  })

  it('steps calendar months for 1M', () => {
    const jan = Date.UTC(2024, 0, 1)
    const apr = Date.UTC(2024, 3, 1)
    expect(findGaps([jan, apr], '1M')).toEqual([
      { from: Date.UTC(2024, 1, 1), to: Date.UTC(2024, 2, 1), missing: 2 },
    ])
  })
})
