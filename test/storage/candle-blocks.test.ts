import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { toColumns, type Candle } from '../../src/shared/domain/candles'
import {
  listSeries,
  readCandleRange,
  readLatestCandles,
  seriesBounds,
  upsertCandles,
  type SeriesKey,
} from '../../src/main/storage/candle-store'
import { closeDatabase, openDatabase, type Db } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const MIN = 60_000
const DAY = 24 * 60 * MIN
const WEEK = 7 * DAY
/** A 1m block covers 2048 minutes. */
const BLOCK_1M = 2048 * MIN
const key: SeriesKey = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' }

/** Bar at minute m, every column different so a mixed-up column shows. */
const at = (m: number, shift = 0): Candle => ({
  time: m * MIN,
  open: m + 0.25 + shift,
  high: m + 0.5 + shift,
  low: m - 0.5 + shift,
  close: m + 0.125 + shift,
  volume: 1000 + m + shift,
})
const minutes = (from: number, count: number, shift = 0) =>
  Array.from({ length: count }, (_, i) => at(from + i, shift))

function open(): Db {
  return openDatabase(join(tempDir(), 'c.db'))
}

interface BlockRow {
  start: number
  count: number
  first: number
  last: number
}

function blocks(db: Db): BlockRow[] {
  return db
    .prepare(
      'SELECT block_start AS start, count, first, last FROM candle_blocks ORDER BY series_id, block_start',
    )
    .all() as BlockRow[]
}

/** Everything stored, byte for byte, to prove a failed write left no trace. */
function snapshot(db: Db) {
  return {
    series: db.prepare('SELECT * FROM candle_series ORDER BY id').all(),
    blocks: db
      .prepare('SELECT series_id, block_start, count, first, last, hex(data) AS data FROM candle_blocks')
      .all(),
  }
}

describe('candle blocks', () => {
  it('cuts a series into blocks of 2048 minutes and reads it back whole', () => {
    const db = open()
    const all = minutes(0, 5000)
    expect(upsertCandles(db, key, all)).toBe(5000)
    // 5000 = 2048 + 2048 + 904.
    expect(blocks(db)).toEqual([
      { start: 0, count: 2048, first: 0, last: 2047 * MIN },
      { start: BLOCK_1M, count: 2048, first: 2048 * MIN, last: 4095 * MIN },
      { start: 2 * BLOCK_1M, count: 904, first: 4096 * MIN, last: 4999 * MIN },
    ])
    expect(readCandleRange(db, key, 0, Number.MAX_SAFE_INTEGER)).toEqual(all)
    expect(readLatestCandles(db, key, Number.MAX_SAFE_INTEGER, 5000)).toEqual(toColumns(all))
    closeDatabase(db)
  })

  it('splits bars on either side of a block boundary into two blocks', () => {
    const db = open()
    upsertCandles(db, key, minutes(2046, 4))
    expect(blocks(db)).toEqual([
      { start: 0, count: 2, first: 2046 * MIN, last: 2047 * MIN },
      { start: BLOCK_1M, count: 2, first: 2048 * MIN, last: 2049 * MIN },
    ])
    expect(readCandleRange(db, key, 0, 3000 * MIN)).toEqual(minutes(2046, 4))
    closeDatabase(db)
  })

  it('replaces bars in the middle of a block and slots new ones in between', () => {
    const db = open()
    upsertCandles(db, key, minutes(0, 100))
    const between = { time: 41 * MIN + 30_000, open: 7, high: 8, low: 6, close: 7.5, volume: 3 }
    upsertCandles(db, key, [at(40, 100), between, at(42, 100)])
    expect(readCandleRange(db, key, 39 * MIN, 43 * MIN)).toEqual([
      at(39),
      at(40, 100),
      at(41),
      between,
      at(42, 100),
      at(43),
    ])
    expect(blocks(db)).toEqual([{ start: 0, count: 101, first: 0, last: 99 * MIN }])
    expect(seriesBounds(db, key)).toEqual({ count: 101, first: 0, last: 99 * MIN })
    closeDatabase(db)
  })

  it('sorts out-of-order input across blocks; of two bars with one time the later wins', () => {
    const db = open()
    upsertCandles(db, key, [at(2050), at(5), at(2049, 9), at(4100), at(2049), at(0), at(5, 1)])
    expect(readCandleRange(db, key, 0, Number.MAX_SAFE_INTEGER)).toEqual([
      at(0),
      at(5, 1),
      at(2049),
      at(2050),
      at(4100),
    ])
    expect(blocks(db).map((b) => b.count)).toEqual([2, 2, 1])
    expect(seriesBounds(db, key)).toEqual({ count: 5, first: 0, last: 4100 * MIN })
    closeDatabase(db)
  })

  it('rejects a bad bar with a clear error and leaves the store as it was', () => {
    const db = open()
    upsertCandles(db, key, minutes(0, 3000), { label: 'old' })
    const before = snapshot(db)
    // The good bars span two blocks, so a half-done write would show.
    const good = [at(10, 5), at(2100, 5)]
    expect(() => upsertCandles(db, key, [...good, { ...at(11), time: NaN }], { label: 'new' })).toThrow(
      /bar 2 of demo BTC\/USDT 1m: its time NaN is not a whole number/,
    )
    expect(() => upsertCandles(db, key, [...good, { ...at(11), time: 11 * MIN + 0.5 }])).toThrow(
      /time 660000.5 is not/,
    )
    expect(() => upsertCandles(db, key, [...good, { ...at(11), close: Infinity }])).toThrow(
      /bar 2 .*its close Infinity is not a finite number/,
    )
    expect(() => upsertCandles(db, key, [at(12), { ...at(11), volume: NaN }])).toThrow(
      /bar 1 .*its volume NaN/,
    )
    expect(() => upsertCandles(db, { ...key, symbol: 'NEW' }, [{ ...at(1), open: NaN }])).toThrow(/open NaN/)
    expect(snapshot(db)).toEqual(before)
    expect(listSeries(db).map((s) => [s.symbol, s.label, s.count])).toEqual([['BTC/USDT', 'old', 3000]])
    expect(readCandleRange(db, key, 10 * MIN, 10 * MIN)).toEqual([at(10)])
    closeDatabase(db)
  })

  it('rolls back every block when one fails halfway through, and names the damaged series', () => {
    const db = open()
    upsertCandles(db, key, minutes(0, 3000))
    // Damage the second block so merging into it throws after the first block was rewritten.
    db.prepare('UPDATE candle_blocks SET data = ? WHERE block_start = ?').run(
      Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]),
      BLOCK_1M,
    )
    const before = snapshot(db)
    expect(() => upsertCandles(db, key, [at(10, 5), at(2100, 5)])).toThrow(
      /stored bars of demo BTC\/USDT 1m are damaged: .*format version 2/,
    )
    expect(snapshot(db)).toEqual(before)
    expect(readCandleRange(db, key, 10 * MIN, 10 * MIN)).toEqual([at(10)])
    expect(() => readLatestCandles(db, key, Number.MAX_SAFE_INTEGER, 10)).toThrow(/are damaged/)
    closeDatabase(db)
  })

  it('reads the newest bars up to `to` across blocks, however `to` and `limit` fall', () => {
    const db = open()
    upsertCandles(db, key, minutes(0, 5000))
    const times = (to: number, limit: number) =>
      readLatestCandles(db, key, to, limit).time.map((t) => t / MIN)
    // `to` on the first bar of block 1, then one ms before it.
    expect(times(2048 * MIN, 3)).toEqual([2046, 2047, 2048])
    expect(times(2048 * MIN - 1, 3)).toEqual([2045, 2046, 2047])
    // 3000 bars ending at 4500 start at 1501 and span all three blocks.
    const long = readLatestCandles(db, key, 4500 * MIN, 3000)
    expect(long.time.length).toBe(3000)
    expect(long.time[0]).toBe(1501 * MIN)
    expect(long.close[0]).toBe(1501.125)
    expect(long.volume.at(-1)).toBe(5500)
    expect(long.time.every((t, i) => i === 0 || t - long.time[i - 1]! === MIN)).toBe(true)
    // Fewer bars than asked for; none before the first; a limit of 0.
    expect(times(10 * MIN, 100)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(times(-1, 10)).toEqual([])
    expect(times(Number.MAX_SAFE_INTEGER, 0)).toEqual([])
    expect(times(Number.MAX_SAFE_INTEGER, 2)).toEqual([4998, 4999])
    expect(readLatestCandles(db, { ...key, symbol: 'NONE' }, Number.MAX_SAFE_INTEGER, 10).time).toEqual([])
    closeDatabase(db)
  })

  it('reads the newest bars across a gap of empty blocks', () => {
    const db = open()
    // Minute 10,000 is in block 4; blocks 1 to 3 hold nothing.
    upsertCandles(db, key, [at(2046), at(2047), at(10_000)])
    expect(blocks(db).map((b) => b.start)).toEqual([0, 4 * BLOCK_1M])
    expect(readLatestCandles(db, key, 7000 * MIN, 5).time).toEqual([2046 * MIN, 2047 * MIN])
    expect(readLatestCandles(db, key, 10_000 * MIN, 2).time).toEqual([2047 * MIN, 10_000 * MIN])
    closeDatabase(db)
  })

  it('reads a time range across blocks, inclusive at both ends', () => {
    const db = open()
    upsertCandles(db, key, [...minutes(0, 5000), at(10_000)])
    const range = readCandleRange(db, key, 2040 * MIN + 1, 4100 * MIN)
    expect(range.length).toBe(2060) // minutes 2041 to 4100
    expect(range[0]).toEqual(at(2041))
    expect(range.at(-1)).toEqual(at(4100))
    expect(readCandleRange(db, key, 2047 * MIN, 2048 * MIN)).toEqual([at(2047), at(2048)])
    // The last bar before a gap is found from a `from` a whole block later only if it is in range.
    expect(readCandleRange(db, key, 4999 * MIN, 9999 * MIN)).toEqual([at(4999)])
    expect(readCandleRange(db, key, 4999 * MIN + 1, 9999 * MIN)).toEqual([])
    expect(readCandleRange(db, key, 6000 * MIN, 20_000 * MIN)).toEqual([at(10_000)])
    expect(readCandleRange(db, key, 20 * MIN, 10 * MIN)).toEqual([])
    closeDatabase(db)
  })

  it('keeps bounds and metadata right over several upserts', () => {
    const db = open()
    expect(seriesBounds(db, key)).toEqual({ count: 0, first: null, last: null })
    upsertCandles(db, key, minutes(100, 100)) // 100..199
    upsertCandles(db, key, minutes(0, 50), { label: 'Binance' }) // 0..49
    upsertCandles(db, key, minutes(150, 101, 1), { importedFrom: 'btc.csv' }) // 150..250, 51 of them new
    upsertCandles(db, { ...key, timeframe: '1h' }, [])
    expect(seriesBounds(db, key)).toEqual({ count: 201, first: 0, last: 250 * MIN })
    expect(listSeries(db)).toEqual([
      { ...key, timeframe: '1h', label: null, importedFrom: null, count: 0, first: null, last: null },
      { ...key, label: 'Binance', importedFrom: 'btc.csv', count: 201, first: 0, last: 250 * MIN },
    ])
    expect(readCandleRange(db, key, 149 * MIN, 150 * MIN)).toEqual([at(149), at(150, 1)])
    closeDatabase(db)
  })

  it('keeps times before 1970 and up to the largest safe integer exact', () => {
    const db = open()
    const edge = [
      { ...at(0), time: -1 },
      { ...at(1), time: Number.MAX_SAFE_INTEGER - 1 },
      { ...at(2), time: Number.MAX_SAFE_INTEGER },
    ]
    upsertCandles(db, key, edge)
    // 2^53 - 1 = 73,300,775 blocks of 122,880,000 ms, and 22,740,991 ms more.
    expect(blocks(db).map((b) => b.start)).toEqual([-BLOCK_1M, 9_007_199_232_000_000])
    expect(readLatestCandles(db, key, Number.MAX_SAFE_INTEGER, 10)).toEqual(toColumns(edge))
    expect(readCandleRange(db, key, -1, -1)).toEqual([edge[0]])
    closeDatabase(db)
  })

  it('stores monthly bars from 1900 on, across the block boundary at 1970', () => {
    const db = open()
    const monthly: SeriesKey = { ...key, timeframe: '1M' }
    // 131 years of months; a 1M block spans 2048 × 30 days, so 1970-01-01 (time 0) is a boundary.
    const bars = Array.from({ length: 131 * 12 }, (_, i) => ({ ...at(i), time: Date.UTC(1900, i, 1) }))
    upsertCandles(db, monthly, bars)
    expect(blocks(db)).toEqual([
      { start: -2048 * 30 * DAY, count: 70 * 12, first: Date.UTC(1900, 0, 1), last: Date.UTC(1969, 11, 1) },
      { start: 0, count: 61 * 12, first: 0, last: Date.UTC(2030, 11, 1) },
    ])
    expect(readLatestCandles(db, monthly, 0, 3).time).toEqual([
      Date.UTC(1969, 10, 1),
      Date.UTC(1969, 11, 1),
      0,
    ])
    expect(readCandleRange(db, monthly, Date.UTC(1900, 0, 1), Date.UTC(2030, 11, 1))).toEqual(bars)
    expect(seriesBounds(db, monthly)).toEqual({
      count: 1572,
      first: Date.UTC(1900, 0, 1),
      last: Date.UTC(2030, 11, 1),
    })
    closeDatabase(db)
  })

  it('stores weekly bars across the block boundary in 2009', () => {
    const db = open()
    const weekly: SeriesKey = { ...key, timeframe: '1w' }
    // Mondays from 2000-01-03 to 2019-12-30: 1044 bars. A 1w block spans 2048 weeks, so the
    // second block starts 2009-04-02 (a Thursday); the last Monday before it is 2009-03-30.
    const bars = Array.from({ length: 1044 }, (_, i) => ({ ...at(i), time: Date.UTC(2000, 0, 3) + i * WEEK }))
    upsertCandles(db, weekly, bars)
    expect(blocks(db)).toEqual([
      { start: 0, count: 483, first: Date.UTC(2000, 0, 3), last: Date.UTC(2009, 2, 30) },
      { start: 2048 * WEEK, count: 561, first: Date.UTC(2009, 3, 6), last: Date.UTC(2019, 11, 30) },
    ])
    expect(2048 * WEEK).toBe(Date.UTC(2009, 3, 2))
    expect(readLatestCandles(db, weekly, Date.UTC(2009, 3, 6), 2).time).toEqual([
      Date.UTC(2009, 2, 30),
      Date.UTC(2009, 3, 6),
    ])
    expect(readCandleRange(db, weekly, 0, Date.UTC(2020, 0, 1))).toEqual(bars)
    closeDatabase(db)
  })
})
