/**
 * Bad rows are reported with the right line and column and nothing is written: the store,
 * including a series imported before, is exactly as it was. --skip-bad writes the good rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportSummary } from '../../src/main/importing/summary'
import { runImport, snapshot, tempDir, writeFixture } from './helpers'

const HEADER = 'Date,Open,High,Low,Close,Volume'
const GOOD = [HEADER, '2024-01-01,10,12,9,11,100', '2024-01-02,11,13,10,12,200', '2024-01-03,12,14,11,13,300']

interface BadCase {
  name: string
  /** Rows after the header and the first good row (line 2); so the first of these is line 3. */
  rows: string[]
  line: number
  column: number
  message: RegExp
}

// Columns counted by hand: "2024-01-02," is 11 characters, so Open starts at 12; "10," then
// puts High at 15, and so on.
const CASES: BadCase[] = [
  {
    name: 'high below low',
    rows: ['2024-01-02,10,8,9,9,100'],
    line: 3,
    column: 15,
    message: /high 8 is below low 9/,
  },
  {
    name: 'open outside the range',
    rows: ['2024-01-02,20,12,9,11,100'],
    line: 3,
    column: 12,
    message: /open 20 is outside the high-low range 9\.\.12/,
  },
  {
    name: 'unparseable number',
    rows: ['2024-01-02,10,12,9,abc,100'],
    line: 3,
    column: 20,
    message: /unparseable number "abc" in Close/,
  },
  {
    name: 'negative volume',
    rows: ['2024-01-02,10,12,9,11,-5'],
    line: 3,
    column: 23,
    message: /volume -5 is negative/,
  },
  {
    name: 'bad date',
    rows: ['2024-01-02,10,12,9,11,1', '2024-13-01,10,12,9,11,1'],
    line: 4,
    column: 1,
    message: /unparseable date "2024-13-01"/,
  },
  {
    name: 'duplicate time',
    rows: ['2024-01-02,10,12,9,11,1', '2024-01-03,10,12,9,11,1', '2024-01-03,10,12,9,11,1'],
    line: 5,
    column: 1,
    message: /duplicate time 2024-01-03T00:00:00.000Z \(also on line 4\)/,
  },
  {
    name: 'time out of order',
    rows: [
      '2024-01-02,10,12,9,11,1',
      '2024-01-04,10,12,9,11,1',
      '2024-01-03,10,12,9,11,1',
      '2024-01-05,10,12,9,11,1',
    ],
    line: 5,
    column: 1,
    message: /time out of order: 2024-01-03T00:00:00.000Z comes after 2024-01-04T00:00:00.000Z \(line 4\)/,
  },
  {
    name: 'wrong column count',
    rows: ['2024-01-02,10,12,9,11,1', '2024-01-03,10,12,9'],
    line: 4,
    column: 19,
    message: /expected 6 fields as in the header \(line 1\), found 4/,
  },
  {
    name: 'unclosed quote',
    rows: ['2024-01-02,10,"12,9,11,1'],
    line: 3,
    column: 15,
    message: /quoted field is not closed/,
  },
]

describe('bad rows', () => {
  let dir: string
  let cleanup: () => void
  let before: unknown
  beforeEach(async () => {
    ;({ dir, cleanup } = tempDir())
    // A series already in the store, under the same key the bad files target.
    const good = writeFixture(dir, 'good.csv', GOOD.join('\n'))
    const res = await runImport(['--file', good, '--symbol', 'ACME', '--timeframe', '1d', '--data-dir', dir])
    expect(res.code).toBe(0)
    before = snapshot(dir)
  })
  afterEach(() => cleanup())

  for (const c of CASES) {
    it(`reports ${c.name} with line and column and writes nothing`, async () => {
      // The first data row overwrites a stored bar with new prices: it must not land either.
      const file = writeFixture(
        dir,
        'bad.csv',
        [HEADER, '2024-01-01,50,52,49,51,9', ...c.rows].join('\n') + '\n',
      )
      const res = await runImport([
        '--file',
        file,
        '--symbol',
        'ACME',
        '--timeframe',
        '1d',
        '--data-dir',
        dir,
      ])
      expect(res.code).toBe(1)
      const lines = res.err.split('\n')
      const hit = lines.find((l) => l.startsWith(`${file}:${c.line}:${c.column}: `))
      expect(hit, res.err).toBeDefined()
      expect(hit).toMatch(c.message)
      expect(res.err).toMatch(/nothing was imported/)
      expect(snapshot(dir)).toEqual(before)

      const json = await runImport([
        '--file',
        file,
        '--symbol',
        'ACME',
        '--timeframe',
        '1d',
        '--data-dir',
        dir,
        '--json',
      ])
      expect(json.code).toBe(1)
      const s = JSON.parse(json.out) as ImportSummary
      expect(s.rowsWritten).toBe(0)
      expect(s.first).toBeNull()
      expect(s.issues[0]).toMatchObject({ file, line: c.line, column: c.column })
      expect(s.issues[0]?.message).toMatch(c.message)
      expect(snapshot(dir)).toEqual(before)
    })
  }

  it('--skip-bad writes the good rows and lists the bad ones', async () => {
    const file = writeFixture(
      dir,
      'mixed.csv',
      [
        HEADER,
        '2024-01-04,10,12,9,11,1',
        '2024-01-05,10,8,9,9,1',
        '2024-01-08,10,12,9,x,1',
        '2024-01-09,10,12,9,11,1',
      ].join('\n'),
    )
    const res = await runImport([
      '--file',
      file,
      '--symbol',
      'ACME',
      '--timeframe',
      '1d',
      '--data-dir',
      dir,
      '--skip-bad',
      '--json',
    ])
    expect(res.code).toBe(0)
    const s = JSON.parse(res.out) as ImportSummary
    expect(s.rowsRead).toBe(4)
    expect(s.rowsWritten).toBe(2)
    expect(s.issues.map((i) => [i.line, i.column])).toEqual([
      [3, 15],
      [4, 20],
    ])
    const after = snapshot(dir) as { bars: { time: number }[] }[]
    expect(after[0]?.bars.map((b) => new Date(b.time).toISOString().slice(0, 10))).toEqual([
      '2024-01-01',
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-09',
    ])
  })

  it('--skip-bad with no good rows writes nothing, not even an empty series', async () => {
    const file = writeFixture(
      dir,
      'allbad.csv',
      [HEADER, '2024-01-04,10,8,9,9,1', '2024-01-05,x,12,9,11,1'].join('\n'),
    )
    const res = await runImport([
      '--file',
      file,
      '--symbol',
      'NEW',
      '--timeframe',
      '1d',
      '--data-dir',
      dir,
      '--skip-bad',
    ])
    expect(res.code).toBe(1)
    expect(res.err).toMatch(/None of the rows can be used/)
    expect(snapshot(dir)).toEqual(before)
  })

  it('refuses a header without data rows', async () => {
    const file = writeFixture(dir, 'header.csv', `${HEADER}\n\n`)
    const res = await runImport(['--file', file, '--symbol', 'NEW', '--timeframe', '1d', '--data-dir', dir])
    expect(res.code).toBe(1)
    expect(res.err).toBe(`${file}:1:1: header.csv has no data rows after the header (line 1)`)
    expect(snapshot(dir)).toEqual(before)
  })

  it('lists at most 50 issues and counts the rest', async () => {
    const rows = Array.from(
      { length: 70 },
      (_, i) => `2024-02-${String((i % 28) + 1).padStart(2, '0')},1,0,2,1,1`,
    )
    const file = writeFixture(dir, 'many.csv', [HEADER, ...rows].join('\n'))
    const res = await runImport(['--file', file, '--symbol', 'M', '--timeframe', '1d', '--data-dir', dir])
    expect(res.code).toBe(1)
    const issueLines = res.err.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l))
    expect(issueLines).toHaveLength(50)
    expect(res.err).toMatch(/\.\.\. and 20 more issues/)
    const json = JSON.parse(
      (await runImport(['--file', file, '--symbol', 'M', '--timeframe', '1d', '--data-dir', dir, '--json']))
        .out,
    )
    expect(json.issues).toHaveLength(50)
    expect(json.issueCount).toBe(70)
  })

  it('reports two rows in the same weekly bar as a duplicate', async () => {
    const file = writeFixture(
      dir,
      'weekly.csv',
      [
        HEADER,
        '2024-01-05,10,12,9,11,1',
        '2024-01-11,10,12,9,11,1',
        '2024-01-12,10,12,9,11,1',
        '2024-01-19,10,12,9,11,1',
      ].join('\n'),
    )
    // 2024-01-11 (Thursday) and 2024-01-12 (Friday) share the week opening Monday 2024-01-08.
    const res = await runImport(['--file', file, '--symbol', 'W', '--timeframe', '1w', '--data-dir', dir])
    expect(res.code).toBe(1)
    expect(res.err).toContain(
      `${file}:4:1: falls in the same 1w bar (opening 2024-01-08T00:00:00.000Z) as line 3`,
    )
    expect(snapshot(dir)).toEqual(before)
  })

  it('refuses a JSON row with a bad value, pointing at the value', async () => {
    const text = '[\n  [1704067200000, 1, 2, 0.5, 1.5, 10],\n  [1704153600000, 1, "two", 0.5, 1.5, 10]\n]\n'
    const file = writeFixture(dir, 'bad.json', text)
    const res = await runImport(['--file', file, '--symbol', 'ACME', '--timeframe', '1d', '--data-dir', dir])
    expect(res.code).toBe(1)
    expect(res.err).toContain(`${file}:3:22: unparseable number "two" in high`)
    expect(snapshot(dir)).toEqual(before)
  })
})
