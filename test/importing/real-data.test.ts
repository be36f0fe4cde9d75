/**
 * Every candle history in ../shared/data imports with the right bar count, first and last
 * time and gap count. Expectations come from the data README and from reading the raw files
 * the simplest possible way (split lines, take the first field; JSON.parse), never from the
 * importer's own parser.
 */
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { databaseFile } from '../../src/main/paths'
import { isUsMarketHoliday } from '../../src/main/market/us-holidays'
import { listSeries, seriesBounds } from '../../src/main/storage/candle-store'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import type { ImportSummary } from '../../src/main/importing/summary'
import { dataFile, runImport, tempDir } from './helpers'

interface Case {
  file: string
  tf: '1m' | '5m' | '30m' | '1h' | '1d' | '1w' | '1M'
  /** Bar count as the README states it (approximate ranges for the "~4,000-5,000" files). */
  readme: number | [number, number]
  /** README's date range, as prefixes of the first and last bar's date. */
  range?: [string, string]
  /** Gap count as the README states it. */
  readmeGaps?: number
  /** A US listing: no bar on any NYSE holiday, so those are closures, not gaps. */
  usListing?: true
}

const CASES: Case[] = [
  {
    file: 'backtesting.py/GOOG.csv',
    tf: '1d',
    readme: 2148,
    range: ['2004-08-19', '2013-03-01'],
    usListing: true,
  },
  { file: 'backtesting.py/EURUSD.csv', tf: '1h', readme: 5000, range: ['2017-04', '2018-02'] },
  { file: 'backtesting.py/BTCUSD.csv', tf: '1M', readme: 156, range: ['2012', '2024'] },
  {
    file: 'freqtrade/UNITTEST_BTC-1m.json',
    tf: '1m',
    readme: 13681,
    range: ['2017-11-04', '2017-11-14'],
    readmeGaps: 538,
  },
  {
    file: 'freqtrade/ETH_BTC-5m.json',
    tf: '5m',
    readme: 5760,
    range: ['2018-01-10', '2018-01-30'],
    readmeGaps: 0,
  },
  { file: 'freqtrade/LTC_BTC-5m.json', tf: '5m', readme: 5760, range: ['2018-01-10', '2018-01-30'] },
  { file: 'freqtrade/XRP_ETH-1m.json', tf: '1m', readme: 2469, readmeGaps: 676 },
  { file: 'freqtrade/UNITTEST_BTC-30m.json', tf: '30m', readme: 1920 },
  { file: 'freqtrade/XRP_USDT_USDT-5m-futures.json', tf: '5m', readme: 1999 },
  { file: 'backtrader/2006-day-001.txt', tf: '1d', readme: 255, range: ['2006', '2006'] },
  { file: 'backtrader/2006-week-001.txt', tf: '1w', readme: 52, range: ['2006', '2006'] },
  { file: 'backtrader/orcl-1995-2014.txt', tf: '1d', readme: [4000, 5100], range: ['1995', '2014'] },
  {
    file: 'backtrader/nvda-1999-2014.txt',
    tf: '1d',
    readme: [4000, 5100],
    range: ['1999', '2014'],
    usListing: true,
  },
  { file: 'backtrader/yhoo-1996-2015.txt', tf: '1d', readme: [4000, 5100], range: ['1996', '2015'] },
]

const DAY = 86_400_000
const STEP = { '1m': 60_000, '5m': 300_000, '30m': 1_800_000, '1h': 3_600_000, '1d': DAY } as const

interface Raw {
  count: number
  /** Raw time values exactly as written, first and last. */
  firstText: string
  lastText: string
  /** Every raw time, in ms, as the file states it. */
  times: number[]
}

/** Reads a file the naive way: data lines and their first field, or JSON rows' first value. */
function readRaw(path: string): Raw {
  const text = readFileSync(path, 'utf8')
  if (path.endsWith('.json')) {
    const rows = JSON.parse(text) as number[][]
    const times = rows.map((r) => r[0]!)
    return { count: rows.length, firstText: String(times[0]), lastText: String(times.at(-1)), times }
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const dates = lines.slice(1).map((l) => l.split(',')[0]!)
  // Naive times are UTC: `2017-04-19 09:00:00` is 09:00 UTC, `2004-08-19` is midnight UTC.
  const times = dates.map((d) => Date.parse(d.length === 10 ? `${d}T00:00:00Z` : `${d.replace(' ', 'T')}Z`))
  return { count: dates.length, firstText: dates[0]!, lastText: dates.at(-1)!, times }
}

/** The bar open time the importer should store for a raw time, worked out by hand per timeframe. */
function expectedOpen(ms: number, tf: Case['tf']): number {
  const d = new Date(ms)
  if (tf === '1M') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  if (tf === '1w') {
    // backtrader dates weekly bars on the week's last trading day; the bar opens that Monday.
    const sinceMonday = (d.getUTCDay() + 6) % 7
    return ms - sinceMonday * DAY
  }
  return ms
}

/** Gaps counted the plain way: neighbouring bars further apart than one step (skipping weekends for weekday data). */
function naiveGaps(times: number[], tf: Case['tf'], weekdays: boolean, usListing: boolean): number {
  let gaps = 0
  for (let i = 1; i < times.length; i++) {
    if (tf === '1M' || tf === '1w') continue // checked separately: these files have no gaps
    const step = STEP[tf]
    let missing = 0
    for (let t = times[i - 1]! + step; t < times[i]!; t += step) {
      const day = new Date(t).getUTCDay()
      if (weekdays && (day === 0 || day === 6)) continue
      if (usListing && isUsMarketHoliday(t)) continue
      missing++
    }
    if (missing > 0) gaps++
  }
  return gaps
}

describe('importing the real data sets', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({ dir, cleanup } = tempDir()))
  afterEach(() => cleanup())

  for (const c of CASES) {
    it(`imports ${c.file} as ${c.tf}`, async () => {
      const path = dataFile(c.file)
      const raw = readRaw(path)
      if (typeof c.readme === 'number') expect(raw.count).toBe(c.readme)
      else {
        expect(raw.count).toBeGreaterThanOrEqual(c.readme[0])
        expect(raw.count).toBeLessThanOrEqual(c.readme[1])
      }

      const res = await runImport([
        '--file',
        path,
        '--symbol',
        'X',
        '--timeframe',
        c.tf,
        '--data-dir',
        dir,
        '--json',
      ])
      expect(res.err).toBe('')
      expect(res.code).toBe(0)
      const s = JSON.parse(res.out) as ImportSummary

      const first = expectedOpen(raw.times[0]!, c.tf)
      const last = expectedOpen(raw.times.at(-1)!, c.tf)
      expect(s.rowsRead).toBe(raw.count)
      expect(s.rowsWritten).toBe(raw.count)
      expect(s.issues).toEqual([])
      expect(s.first?.ms).toBe(first)
      expect(s.last?.ms).toBe(last)
      expect(s.first?.iso).toBe(new Date(first).toISOString())
      if (c.range) {
        const isJson = c.file.endsWith('.json')
        const firstText = isJson ? new Date(Number(raw.firstText)).toISOString() : raw.firstText
        const lastText = isJson ? new Date(Number(raw.lastText)).toISOString() : raw.lastText
        expect(firstText.startsWith(c.range[0])).toBe(true)
        expect(lastText.startsWith(c.range[1])).toBe(true)
      }
      expect(s.normalisedTimes).toBe(c.tf === '1M' || c.tf === '1w')

      const weekdays = raw.times.every((t) => ![0, 6].includes(new Date(t).getUTCDay())) && c.tf === '1d'
      const usListing = weekdays && c.usListing === true
      expect(s.gaps.calendar).toBe(usListing ? 'us-stocks' : weekdays ? 'weekdays' : 'always')
      expect(s.gaps.count).toBe(naiveGaps(raw.times, c.tf, weekdays, usListing))
      if (c.readmeGaps !== undefined) expect(s.gaps.count).toBe(c.readmeGaps)
      expect(s.gaps.list.length).toBe(Math.min(20, s.gaps.count))

      const db = openDatabase(databaseFile(dir))
      try {
        expect(seriesBounds(db, { source: 'import', symbol: 'X', timeframe: c.tf })).toEqual({
          count: raw.count,
          first,
          last,
        })
        const [series] = listSeries(db)
        expect(series?.label).toBe(c.file.split('/').at(-1))
        expect(series?.importedFrom).toBe(path)
      } finally {
        closeDatabase(db)
      }
    })
  }

  it('monthly and weekly files land on consecutive bars (no gaps after normalising)', async () => {
    for (const [file, tf] of [
      ['backtesting.py/BTCUSD.csv', '1M'],
      ['backtrader/2006-week-001.txt', '1w'],
    ] as const) {
      const res = await runImport([
        '--file',
        dataFile(file),
        '--symbol',
        tf,
        '--timeframe',
        tf,
        '--data-dir',
        dir,
        '--json',
      ])
      const s = JSON.parse(res.out) as ImportSummary
      expect(s.gaps.count).toBe(0)
      expect(s.normalisedRows).toBe(s.rowsWritten)
    }
  })

  it('refuses the TA-Lib dataset: it has no times', async () => {
    const path = dataFile('talib/talib_regtest_daily_ref_252.csv')
    const res = await runImport(['--file', path, '--symbol', 'T', '--timeframe', '1d', '--data-dir', dir])
    expect(res.code).toBe(1)
    expect(res.err).toContain('talib_regtest_daily_ref_252.csv')
    expect(res.err).toMatch(/no date or time column/)
    expect(res.err).toMatch(/cannot be imported as a candle history/)
    expect(res.out).toBe('')
  })

  it('refuses a file imported under the wrong timeframe, naming the right one', async () => {
    const hourly = dataFile('backtesting.py/EURUSD.csv')
    const finer = await runImport(['--file', hourly, '--symbol', 'E', '--timeframe', '1d', '--data-dir', dir])
    expect(finer.code).toBe(1)
    expect(finer.err).toMatch(/finer than the 1d timeframe.*--timeframe 1h/)
    const weekly = dataFile('backtrader/2006-week-001.txt')
    const coarser = await runImport([
      '--file',
      weekly,
      '--symbol',
      'W',
      '--timeframe',
      '1d',
      '--data-dir',
      dir,
    ])
    expect(coarser.code).toBe(1)
    expect(coarser.err).toMatch(/coarser than the 1d timeframe.*--timeframe 1w/)
  })
})
