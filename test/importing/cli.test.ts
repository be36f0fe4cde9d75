/** The import-candles command: usage errors, the --json shape, and a real process end to end. */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { databaseFile } from '../../src/main/paths'
import { dataFile, runImport, tempDir, writeFixture } from './helpers'

describe('import-candles', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({ dir, cleanup } = tempDir()))
  afterEach(() => cleanup())

  const goog = dataFile('backtesting.py/GOOG.csv')

  it.each([
    [['--symbol', 'G', '--timeframe', '1d'], /--file is required/],
    [['--file', goog, '--timeframe', '1d'], /--symbol is required/],
    [['--file', goog, '--symbol', 'G'], /--timeframe is required/],
    [['--file', goog, '--symbol', 'G', '--timeframe', '1D'], /--timeframe "1D" is not one of/],
    [['--file', goog, '--symbol', 'G', '--timeframe', '1d', '--bogus'], /Unknown option '--bogus'/],
    [['--file', goog, '--symbol', 'G G', '--timeframe', '1d'], /--symbol "G G" must be/],
    [['--file', goog, '--symbol', 'G', '--timeframe', '1d', 'extra'], /Unexpected argument 'extra'/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const res = await runImport([...args, '--data-dir', dir])
    expect(res.code).toBe(2)
    expect(res.err).toMatch(message)
    expect(res.err).toMatch(/Usage: npm run cli -- import-candles/)
    expect(existsSync(databaseFile(dir))).toBe(false)
  })

  it('prints one summary object with --json', async () => {
    const res = await runImport([
      '--file',
      goog,
      '--symbol',
      'GOOG',
      '--timeframe',
      '1d',
      '--data-dir',
      dir,
      '--json',
    ])
    expect(res.code).toBe(0)
    const s = JSON.parse(res.out)
    expect(Object.keys(s).sort()).toEqual(
      [
        'file',
        'source',
        'symbol',
        'timeframe',
        'rowsRead',
        'rowsValid',
        'rowsWritten',
        'first',
        'last',
        'gaps',
        'issues',
        'issueCount',
        'normalisedTimes',
        'normalisedRows',
      ].sort(),
    )
    expect(s).toMatchObject({
      file: goog,
      source: 'import',
      symbol: 'GOOG',
      timeframe: '1d',
      rowsRead: 2148,
      rowsWritten: 2148,
      first: { ms: Date.UTC(2004, 7, 19), iso: '2004-08-19T00:00:00.000Z' },
      last: { ms: Date.UTC(2013, 2, 1), iso: '2013-03-01T00:00:00.000Z' },
      issues: [],
      normalisedTimes: false,
    })
    // A US listing: its weekdays without a bar are all NYSE holidays (test/market/calendar.test.ts).
    expect(s.gaps).toEqual({ calendar: 'us-stocks', count: 0, missingBars: 0, list: [] })
  })

  it('prints a readable summary and honours --source', async () => {
    const btc = dataFile('backtesting.py/BTCUSD.csv')
    const res = await runImport([
      '--file',
      btc,
      '--symbol',
      'BTC/USD',
      '--timeframe',
      '1M',
      '--source',
      'bt',
      '--data-dir',
      dir,
    ])
    expect(res.code).toBe(0)
    expect(res.out).toMatch(/Imported 156 1M bars of BTC\/USD \(source bt\)/)
    expect(res.out).toMatch(/first 2012-01-01T00:00:00.000Z, last 2024-12-01T00:00:00.000Z/)
    expect(res.out).toMatch(/156 times moved to their bar's open time/)
  })

  it('answers a file error as JSON with --json', async () => {
    const file = writeFixture(dir, 'cols.csv', 'x,y\n1,2\n')
    const res = await runImport([
      '--file',
      file,
      '--symbol',
      'X',
      '--timeframe',
      '1d',
      '--data-dir',
      dir,
      '--json',
    ])
    expect(res.code).toBe(1)
    expect(JSON.parse(res.out)).toMatchObject({ file, error: { kind: 'validation', line: 1, column: 1 } })
  })

  it('runs as a real process: exit codes 0, 1 and 2', () => {
    const bad = writeFixture(
      dir,
      'bad.csv',
      'Date,Open,High,Low,Close\n2024-01-02,1,2,0,1\n2024-01-03,1,0,2,1\n',
    )
    const run = (...args: string[]) =>
      spawnSync(
        join('node_modules', '.bin', 'tsx'),
        ['src/main/cli/main.ts', 'import-candles', ...args, '--data-dir', dir],
        {
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        },
      )
    const ok = run('--file', goog, '--symbol', 'GOOG', '--timeframe', '1d')
    expect(ok.status, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/Imported 2,148 1d bars of GOOG/)
    const refused = run('--file', bad, '--symbol', 'GOOG', '--timeframe', '1d')
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain(`${bad}:3:14: high 0 is below low 2`)
    const usage = run('--file', goog, '--timeframe', '1d')
    expect(usage.status).toBe(2)
    expect(usage.stderr).toMatch(/--symbol is required/)
  }, 60_000)
})
