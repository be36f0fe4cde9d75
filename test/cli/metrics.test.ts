/**
 * `metrics`: statistics of a candle file or a two-column time,value file, against the
 * returns functions (checked against empyrical in test/backtest/stats) and backtesting.py's
 * published buy-and-hold figure for GOOG; benchmark alignment; errors with file:line:column.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as R from '../../src/main/backtest/stats/returns'
import { memoryIo } from '../../src/main/cli/io'
import { metricsCommand } from '../../src/main/cli/metrics'
import { readShared, sharedPath } from '../support/shared'

const GOOG = sharedPath('data/backtesting.py/GOOG.csv')
const tmp = mkdtempSync(join(tmpdir(), 'candlework-metrics-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo()
  const code = await metricsCommand(argv, io)
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') }
}

const googRows = readShared('data/backtesting.py/GOOG.csv')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
const googClose = googRows.map((f) => Number(f[4]))
const googDates = googRows.map((f) => f[0]!)
const returnsOf = (v: number[]): number[] => v.slice(1).map((x, i) => x / v[i]! - 1)

function write(name: string, text: string): string {
  const p = join(tmp, name)
  writeFileSync(p, text)
  return p
}

describe('metrics command', () => {
  it('--json on a candle file: closes, empyrical statistics, names as the backtest', async () => {
    const r = await run('--file', GOOG, '--json')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const m = JSON.parse(r.out).metrics
    const ret = returnsOf(googClose)
    expect(m.bars).toBe(googClose.length)
    expect(m.periodsPerYear).toBe(252)
    // backtesting.py's docstring: "Buy & Hold Return [%] 703.45824" over the same closes
    expect(m.totalReturn * 100).toBeCloseTo(703.45824, 4)
    expect(m.sharpe).toBeCloseTo(R.sharpeRatio(ret, 0, 252), 10)
    expect(m.sortino).toBeCloseTo(R.sortinoRatio(ret, 0, 252), 10)
    expect(m.annualVolatility).toBeCloseTo(R.annualVolatility(ret, 252), 12)
    expect(m.maxDrawdown).toBeCloseTo(R.maxDrawdown(ret), 12)
    expect(m.stability).toBeCloseTo(R.stability(ret), 10)
    expect(m.valueAtRisk95).toBeCloseTo(R.valueAtRisk(ret, 0.05), 14)
    expect(m.conditionalValueAtRisk99).toBeCloseTo(R.conditionalValueAtRisk(ret, 0.01), 14)
    expect(m.trades).toBe(0)
    expect(m.winRate).toBeNull()
    expect(m.alpha).toBeNull()
    expect(m.monthlyReturns[0]).toEqual({ year: 2004, month: 8, return: expect.any(Number) })
  })

  it('a two-column file with a header, a benchmark aligned on common dates, --risk-free, --periods-per-year', async () => {
    // equity: every other GOOG close doubled in return; benchmark: GOOG without its first 10 and last 5 days
    const equity = [10_000]
    for (let i = 1; i < googClose.length; i++)
      equity.push(equity[i - 1]! * (1 + 2 * (googClose[i]! / googClose[i - 1]! - 1)))
    const eqFile = write(
      'equity.csv',
      ['time,equity', ...googDates.map((d, i) => `${d},${equity[i]}`)].join('\n'),
    )
    const benchFile = write(
      'bench.csv',
      ['Date,Close', ...googDates.slice(10, -5).map((d, i) => `${d},${googClose[i + 10]}`)].join('\n'),
    )
    const r = await run(
      '--file',
      eqFile,
      '--benchmark',
      benchFile,
      '--risk-free',
      '0.03',
      '--periods-per-year',
      '260',
      '--json',
    )
    expect(r.err).toBe('')
    const m = JSON.parse(r.out).metrics
    const eq = equity.slice(10, -5)
    const b = googClose.slice(10, -5)
    expect(m.bars).toBe(eq.length)
    expect(m.periodsPerYear).toBe(260)
    expect(m.beta).toBeCloseTo(2, 10)
    expect(m.buyHoldReturn).toBeCloseTo(b[b.length - 1]! / b[0]! - 1, 12)
    const rf = Math.pow(1.03, 1 / 260) - 1
    expect(m.sharpe).toBeCloseTo(R.sharpeRatio(returnsOf(eq), rf, 260), 10)
    expect(m.alpha).toBeCloseTo(R.alpha(returnsOf(eq), returnsOf(b), rf, 260), 10)
    expect(m.totalReturn).toBeCloseTo(eq[eq.length - 1]! / eq[0]! - 1, 10)
  })

  it('a headerless two-column file and the text report', async () => {
    const f = write('plain.csv', '2024-01-05,100\n2024-01-06,110\n2024-01-07,99\n2024-01-08,120\n')
    const r = await run('--file', f)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^Total return +20\.00 %$/m)
    expect(r.out).toMatch(/^Max drawdown +-10\.00 %$/m)
    expect(r.out).toMatch(/^Periods per year +365$/m) // Friday to Monday: weekend bars
    expect(r.out).toMatch(/^2024 +20\.00/m)
  })

  it('bad rows are reported with file:line:column, nothing measured', async () => {
    const f = write('bad.csv', 'time,value\n2024-01-01,100\n2024-01-02,abc\n2024-13-03,99\n2024-01-01,98\n')
    const r = await run('--file', f)
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${f} has 3 bad row(s); nothing measured`)
    expect(r.err).toContain(`${f}:3:12: "abc" is not a number`)
    expect(r.err).toContain(`${f}:4:1: "2024-13-03" is not a time`)
    expect(r.err).toContain(`${f}:5:1: time 2024-01-01 is not after the previous row's (line 2)`)
  })

  it('a file that is neither a candle file nor two columns, and files without common dates', async () => {
    const f = write('three.csv', 'a,b,c\n1,2,3\n')
    const r = await run('--file', f)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(
      new RegExp(`metrics: ${f.replace(/[.]/g, '\\.')}:1:1: .*two-column time,value file`),
    )
    const a = write('a.csv', '2024-01-01,1\n2024-01-02,2\n')
    const b = write('b.csv', '2024-02-01,1\n2024-02-02,2\n')
    const r2 = await run('--file', a, '--benchmark', b)
    expect(r2.code).toBe(1)
    expect(r2.err).toContain('share 0 time(s)')
    const missing = await run('--file', join(tmp, 'nope.csv'))
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('cannot be read (ENOENT)')
  })

  it('usage errors', async () => {
    expect((await run()).code).toBe(2)
    const p = await run('--file', GOOG, '--periods-per-year', 'x')
    expect(p.code).toBe(2)
    expect(p.err).toContain('--periods-per-year must be a positive number (got "x")')
    const rf = await run('--file', GOOG, '--risk-free=-2')
    expect(rf.code).toBe(2)
    expect(rf.err).toContain('--risk-free must be a yearly rate')
  })
})
