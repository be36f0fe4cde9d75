/** The file formats traders have: header variants, separators, quoting, time forms, JSON shapes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CandleFileError,
  parseCandleFile,
  parseCandleText,
  type RowIssue,
} from '../../src/main/importing/parse'
import { tempDir, writeFixture } from './helpers'

const T0 = Date.UTC(2024, 0, 2) // 2024-01-02, a Tuesday
const DAY = 86_400_000

const times = (text: string, name = 'f.csv') => parseCandleText(text, name).candles.map((c) => c.time)

function fileError(fn: () => unknown): CandleFileError {
  try {
    fn()
  } catch (err) {
    if (err instanceof CandleFileError) return err
    throw err
  }
  throw new Error('expected a CandleFileError')
}

describe('CSV layouts', () => {
  it('reads the unnamed first date column of pandas exports', () => {
    const r = parseCandleText(',Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,1.5,10\n', 'goog.csv')
    expect(r).toEqual({
      candles: [{ time: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }],
      issues: [],
      rowsRead: 1,
      timeless: false,
    })
  })

  it('accepts header names in any case and short forms, ignoring Adj Close and OpenInterest', () => {
    const a = 'DATE,OPEN,HIGH,LOW,CLOSE,ADJ CLOSE,VOLUME,OpenInterest\n2024-01-02,1,2,0.5,1.5,99,10,7\n'
    const b = 'timestamp,o,h,l,c,v\n2024-01-02,1,2,0.5,1.5,10\n'
    const c = 'Open time,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n'
    const d = '<DATE>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>\n2024-01-02,1,2,0.5,1.5,10\n'
    for (const text of [a, b, c, d]) {
      expect(parseCandleText(text, 'x.csv').candles).toEqual([
        { time: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
      ])
    }
  })

  it('reads semicolons with decimal commas, tabs, quoted fields and a BOM', () => {
    const semi = 'Date;Open;High;Low;Close;Volume\r\n2024-01-02;1,5;2,25;0,5;1;10\r\n'
    expect(parseCandleText(semi, 'eu.csv').candles[0]).toEqual({
      time: T0,
      open: 1.5,
      high: 2.25,
      low: 0.5,
      close: 1,
      volume: 10,
    })
    const tab = 'Date\tOpen\tHigh\tLow\tClose\tVolume\n2024-01-02\t1\t2\t0.5\t1.5\t10\n'
    expect(parseCandleText(tab, 't.tsv').candles[0]?.high).toBe(2)
    const quoted =
      '\uFEFF"Date","Open","High","Low","Close","Volume"\n"2024-01-02","1","2","0.5","1.5","10"\n'
    expect(parseCandleText(quoted, 'q.csv').candles[0]).toEqual({
      time: T0,
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 10,
    })
  })

  it('reads Date and Time columns together, and files without a volume column', () => {
    const r = parseCandleText('Date,Time,Open,High,Low,Close\n2024-01-02,09:30,1,2,0.5,1.5\n', 'dt.csv')
    expect(r.candles).toEqual([
      { time: T0 + 9.5 * 3_600_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 0 },
    ])
  })

  it('reads headerless time,open,high,low,close,volume rows', () => {
    const r = parseCandleText('2024.01.02,1,2,0.5,1.5,10\n2024.01.03,1,2,0.5,1.5,11\n', 'mt.csv')
    expect(r.candles.map((c) => [c.time, c.volume])).toEqual([
      [T0, 10],
      [T0 + DAY, 11],
    ])
    expect(r.rowsRead).toBe(2)
  })

  it('reads a newest-first file backwards', () => {
    const text = 'Date,Open,High,Low,Close\n2024-01-04,1,2,0,1\n2024-01-03,1,2,0,1\n2024-01-02,1,2,0,1\n'
    expect(times(text)).toEqual([T0, T0 + DAY, T0 + 2 * DAY])
  })

  it('skips blank lines without counting them as rows', () => {
    const r = parseCandleText(
      'Date,Open,High,Low,Close\n\n2024-01-02,1,2,0,1\n  \n2024-01-03,1,2,0,1\n\n',
      'b.csv',
    )
    expect(r.rowsRead).toBe(2)
    expect(r.candles).toHaveLength(2)
  })
})

describe('times', () => {
  const row = (t: string) => `Date,Open,High,Low,Close\n${t},1,2,0,1\n`
  it.each([
    ['2024-01-02', T0],
    ['20240102', T0],
    ['2024/01/02', T0],
    ['2024-01-02 09:00:00', T0 + 9 * 3_600_000],
    ['2024-01-02T09:00:00', T0 + 9 * 3_600_000],
    ['2024-01-02T09:00:00Z', T0 + 9 * 3_600_000],
    ['2024-01-02T09:00:00.250Z', T0 + 9 * 3_600_000 + 250],
    ['2024-01-02T09:00:00+02:00', T0 + 7 * 3_600_000],
    ['2024-01-02 09:00-0130', T0 + 10.5 * 3_600_000],
    [String(T0 / 1000), T0],
    [String(T0), T0],
    [String(T0 * 1000), T0],
  ])('reads %s', (text, expected) => {
    expect(times(row(text))).toEqual([expected])
  })

  it.each(['02/01/2024', '2024-02-30', '2024-01-02 25:00', '12345', 'yesterday', ''])(
    'refuses %j',
    (text) => {
      const r = parseCandleText(row(text), 'bad.csv')
      expect(r.candles).toEqual([])
      expect(r.issues[0]).toMatchObject({
        line: 2,
        column: 1,
        message: expect.stringMatching(/unparseable date/),
      })
    },
  )
})

describe('JSON', () => {
  it('reads ccxt rows, with line and column for a bad row', () => {
    const text = `[[${T0}, 1, 2, 0.5, 1.5, 10],\n [${T0 + DAY}, 1, 2, 0.5, 1.5]]`
    expect(parseCandleText(text, 'c.json').candles.map((c) => c.volume)).toEqual([10, 0])
    // Line 3: "[" + 13-digit time + ", 1, " puts high at column 20.
    const bad = `[\n[${T0}, 1, 2, 0.5, 1.5, 10],\n[${T0 + DAY}, 1, 2, 3, 1.5, 10]\n]`
    const r = parseCandleText(bad, 'c.json')
    expect(r.candles).toEqual([])
    expect(r.issues).toEqual<RowIssue[]>([
      { file: 'c.json', line: 3, column: 20, field: 'high', message: 'high 2 is below low 3' },
    ])
  })

  it('reads arrays of objects with named members and string numbers', () => {
    const text = JSON.stringify([
      { timestamp: '2024-01-02T00:00:00Z', open: '1', high: '2', low: '0.5', close: '1.5', volume: '10' },
      { timestamp: '2024-01-03T00:00:00Z', open: 1, high: 2, low: 0.5, close: 1.5, volume: 11 },
    ])
    expect(parseCandleText(text, 'o.json').candles).toEqual([
      { time: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
      { time: T0 + DAY, open: 1, high: 2, low: 0.5, close: 1.5, volume: 11 },
    ])
    const short = JSON.stringify([{ t: T0 / 1000, o: 1, h: 2, l: 0.5, c: 1.5, v: 1 }])
    expect(parseCandleText(short, 's.json').candles[0]?.time).toBe(T0)
  })

  it('points at a missing member and at a JSON syntax error', () => {
    const text = `[\n  {"time": ${T0}, "open": 1, "high": 2, "low": 0.5, "close": 1.5},\n  {"time": ${T0 + DAY}, "open": 1, "low": 0.5, "close": 1.5}\n]`
    const r = parseCandleText(text, 'm.json')
    expect(r.issues).toEqual([
      { file: 'm.json', line: 3, column: 3, field: 'high', message: 'missing "high"' },
    ])
    const err = fileError(() => parseCandleText('[\n  [1, 2,\n  3 4]\n]', 'broken.json'))
    expect([err.line, err.column]).toEqual([3, 5])
    expect(err.message).toMatch(/not valid JSON/)
  })
})

describe('files that cannot be used', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({ dir, cleanup } = tempDir()))
  afterEach(() => cleanup())

  it('refuses empty files, unknown formats and files without recognisable columns', () => {
    expect(fileError(() => parseCandleFile(writeFixture(dir, 'empty.csv', ''))).message).toMatch(
      /empty\.csv is empty/,
    )
    expect(fileError(() => parseCandleFile(writeFixture(dir, 'blank.csv', '\n \n'))).message).toMatch(
      /is empty/,
    )
    expect(fileError(() => parseCandleFile(writeFixture(dir, 'e.json', '[]'))).message).toMatch(/no candles/)
    const zip = writeFixture(dir, 'book.xlsx', 'PK\u0003\u0004rest')
    expect(fileError(() => parseCandleFile(zip)).message).toMatch(
      /unknown format: book\.xlsx is an Excel workbook/,
    )
    const binary = writeFixture(dir, 'data.bin', 'PAR1\u0000\u0000')
    expect(fileError(() => parseCandleFile(binary)).message).toMatch(/Parquet/)
    const cols = fileError(() => parseCandleFile(writeFixture(dir, 'c.csv', 'x,y,z\n1,2,3\n')))
    expect(cols.message).toMatch(/no recognisable columns.*found: x, y, z/)
    expect([cols.line, cols.column]).toEqual([1, 1])
    const some = fileError(() =>
      parseCandleFile(writeFixture(dir, 's.csv', 'Date,Open,Close\n2024-01-02,1,2\n')),
    )
    expect(some.message).toMatch(/missing column\(s\) high, low/)
    expect(fileError(() => parseCandleFile(`${dir}/nope.csv`)).message).toMatch(/no such file/)
  })

  it('refuses a file without times unless allowMissingTime, which numbers the rows', () => {
    const text = 'index,open,high,low,close,volume\n0,1,2,0.5,1.5,10\n1,1,2,0.5,1.5,11\n'
    const err = fileError(() => parseCandleText(text, 'ref.csv'))
    expect(err.message).toMatch(
      /ref\.csv has no date or time column .* cannot be imported as a candle history/,
    )
    const r = parseCandleText(text, 'ref.csv', { allowMissingTime: true })
    expect(r.timeless).toBe(true)
    expect(r.candles.map((c) => [c.time, c.volume])).toEqual([
      [0, 10],
      [1, 11],
    ])
  })

  it('keeps the good rows only with skipBad', () => {
    const text = 'Date,Open,High,Low,Close\n2024-01-02,1,2,0,1\n2024-01-03,1,x,0,1\n2024-01-04,1,2,0,1\n'
    expect(parseCandleText(text, 'k.csv').candles).toEqual([])
    const r = parseCandleText(text, 'k.csv', { skipBad: true })
    expect(r.candles.map((c) => c.time)).toEqual([T0, T0 + 2 * DAY])
    expect(r.issues).toEqual([
      { file: 'k.csv', line: 3, column: 14, field: 'High', message: 'unparseable number "x" in High' },
    ])
    expect(r.rowsRead).toBe(3)
  })
})
