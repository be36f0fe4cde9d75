/**
 * `backtest`: the --json shape the issue gives, a stored series (imported into a real SQLite
 * data folder first), the tearsheet, --list-strategies, and usage errors naming the flag.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { backtestCommand } from '../../src/main/cli/backtest'
import { importCandlesCommand } from '../../src/main/cli/import-candles'
import { memoryIo } from '../../src/main/cli/io'
import { sharedPath } from '../support/shared'

const GOOG = sharedPath('data/backtesting.py/GOOG.csv')
const tmp = mkdtempSync(join(tmpdir(), 'candlework-backtest-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo()
  const code = await backtestCommand(argv, io)
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') }
}

describe('backtest --json', () => {
  it('prints trades, metrics and equity; compat backtesting.py gives its published figures', async () => {
    const r = await run('--file', GOOG, '--strategy', 'sma-cross', '--compat', 'backtesting.py', '--json')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.out) as {
      trades: Record<string, number | string>[]
      metrics: Record<string, number>
      equity: { time: number[]; value: number[] }
    }
    expect(Object.keys(doc)).toEqual(['trades', 'metrics', 'equity'])
    expect(doc.trades).toHaveLength(66)
    expect(doc.trades[0]!.symbol).toBe('GOOG')
    for (const k of [
      'entryTime',
      'exitTime',
      'entryPrice',
      'exitPrice',
      'size',
      'pnl',
      'returnPct',
      'fees',
      'entryBar',
      'exitBar',
    ])
      expect(typeof doc.trades[0]![k]).toBe('number')
    expect(doc.trades.some((t) => (t.size as number) < 0)).toBe(true)
    expect(doc.equity.time).toHaveLength(2148)
    expect(doc.equity.value.at(-1)).toBeCloseTo(51_422.99, 6)
    expect(doc.metrics.sharpe).toBeCloseTo(0.5806232244485349, 9)
    expect(doc.metrics.sqn).toBeCloseTo(1.0766187356697705, 9)
  })

  it('costs, size, sides, range and params reach the engine', async () => {
    const r = await run(
      '--file', GOOG, '--strategy', 'ema-cross', '--param', 'fast=5', '--param', 'slow=20',
      '--commission', '0.002', '--slippage-bps', '5', '--size', 'percent:50', '--sides', 'both',
      '--from', '2006-01-01', '--to', '2008-12-31', '--cash', '5000', '--json',
    ) // prettier-ignore
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.out) as {
      trades: { entryTime: number; exitTime: number; fees: number; size: number }[]
      equity: { time: number[]; value: number[] }
    }
    expect(doc.equity.time[0]).toBeGreaterThanOrEqual(Date.UTC(2006, 0, 1))
    expect(doc.equity.time.at(-1)).toBeLessThanOrEqual(Date.UTC(2008, 11, 31))
    expect(doc.equity.value[0]).toBe(5000)
    expect(doc.trades.every((t) => t.fees > 0)).toBe(true)
    expect(doc.trades.some((t) => t.size < 0)).toBe(true)
  })
})

describe('backtest --intrabar', () => {
  it('resolves fills on the finer stored bars: 1h bars walked on the 1m bars they were built from', async () => {
    const dir = join(tmp, 'intrabar')
    const io = memoryIo()
    const code = await importCandlesCommand(
      [
        '--file',
        sharedPath('data/freqtrade/UNITTEST_BTC-1m.json'),
        '--symbol',
        'BTC',
        '--timeframe',
        '1m',
        '--data-dir',
        dir,
      ],
      io,
    )
    expect(code, io.stderr.join('\n')).toBe(0)
    const args = ['--symbol', 'BTC', '--timeframe', '1h', '--data-dir', dir, '--strategy', 'sma-cross']
    const exits = [
      '--param',
      'fast=2',
      '--param',
      'slow=4',
      '--param',
      'stopLoss=0.3',
      '--param',
      'takeProfit=0.3',
    ]
    const plain = await run(...args, ...exits)
    const fine = await run(...args, ...exits, '--intrabar')
    expect(plain.code, plain.err).toBe(0)
    expect(fine.code, fine.err).toBe(0)
    const count = (out: string, what: RegExp) => Number(what.exec(out)?.[1])
    const resolved = count(fine.out, /resolved on finer bars (\d+)/)
    expect(resolved).toBeGreaterThan(10)
    const ambiguous = count(plain.out, /ambiguous bars (\d+)/)
    expect(ambiguous).toBeGreaterThan(0)
    expect(count(fine.out, /ambiguous bars (\d+)/)).toBeLessThan(ambiguous)
    const usage = await run('--file', GOOG, '--strategy', 'sma-cross', '--intrabar')
    expect(usage.code).toBe(2)
    expect(usage.err).toMatch(/--intrabar-file/)
  })
})

describe('backtest over a stored series', () => {
  it('reads the series imported into the data folder', async () => {
    const io = memoryIo()
    const code = await importCandlesCommand(
      ['--file', GOOG, '--symbol', 'GOOG', '--timeframe', '1d', '--data-dir', tmp],
      io,
    )
    expect(code, io.stderr.join('\n')).toBe(0)
    const r = await run(
      '--symbol',
      'GOOG',
      '--timeframe',
      '1d',
      '--data-dir',
      tmp,
      '--strategy',
      'sma-cross',
      '--compat',
      'backtesting.py',
      '--json',
    )
    expect(r.code, r.err).toBe(0)
    const doc = JSON.parse(r.out) as { trades: unknown[]; equity: { value: number[] } }
    expect(doc.trades).toHaveLength(66)
    expect(doc.equity.value.at(-1)).toBeCloseTo(51_422.99, 6)
    const missing = await run(
      '--symbol',
      'NOPE',
      '--timeframe',
      '1d',
      '--data-dir',
      tmp,
      '--strategy',
      'sma-cross',
    )
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/No stored history for NOPE/)
  })
})

describe('backtest output and errors', () => {
  it('writes a self-contained tearsheet', async () => {
    const out = join(tmp, 'report.html')
    const r = await run('--file', GOOG, '--strategy', 'sma-cross', '--report', out)
    expect(r.code).toBe(0)
    const html = readFileSync(out, 'utf8')
    expect(html).toMatch(/<svg/)
    expect(html).toMatch(/Monthly returns/)
    expect(html).not.toMatch(/<script|src=|href=/)
  })

  it('lists the built-in strategies', async () => {
    const r = await run('--list-strategies')
    for (const id of [
      'sma-cross',
      'ema-cross',
      'macd-cross',
      'rsi-reversion',
      'bollinger-reversion',
      'bollinger-breakout',
      'donchian-breakout',
      'supertrend-follow',
      'signal-score',
    ])
      expect(r.out).toContain(id)
  })

  it('runs, and lists, a user strategy file of the data folder or given with --strategy-file', async () => {
    const dataDir = join(tmp, 'with-strategies')
    mkdirSync(join(dataDir, 'strategies'), { recursive: true })
    const mine = join(dataDir, 'strategies', 'always-long.ts')
    writeFileSync(
      mine,
      [
        "import { z } from 'zod'",
        'const params = z.object({ at: z.number().int().default(5) })',
        'export default {',
        "  id: 'always-long', title: 'Always long', params,",
        '  create: (p: z.output<typeof params>) => ({ indicators: [], exits: {},',
        "    decide: (bar: { index: number }) => (bar.index === p.at ? [{ type: 'market', side: 'buy' }] : []) }),",
        '}',
      ].join('\n'),
    )
    const list = await run('--list-strategies', '--data-dir', dataDir)
    expect(list.out).toContain('sma-cross')
    expect(list.out).toMatch(/always-long {2}Always long {2}\(file .*always-long\.ts\)/)
    expect(list.out).toContain('at = 5')
    const byName = await run(
      '--file',
      GOOG,
      '--data-dir',
      dataDir,
      '--strategy',
      'always-long',
      '--param',
      'at=10',
      '--json',
    )
    expect(byName.err).toBe('')
    const doc = JSON.parse(byName.out) as { trades: { entryBar: number }[] }
    expect(doc.trades).toHaveLength(1)
    expect(doc.trades[0]!.entryBar).toBe(11)
    const bad = join(tmp, 'bad.js')
    writeFileSync(
      bad,
      'module.exports = {\n id: "bad",\n create() { return { indicators: [], exits: {}, decide() { return undefinedThing } } } }\n',
    )
    const r = await run('--file', GOOG, '--strategy-file', bad)
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${bad}:3:`)
    expect(r.err).toContain('undefinedThing is not defined')
  }, 30_000)

  it.each([
    [['--strategy', 'sma-cross'], /give --file F/],
    [['--file', GOOG], /--strategy NAME or --strategy-file F is required/],
    [['--file', GOOG, '--strategy', 'sma-cross', '--size', 'lots:3'], /--size "lots:3"/],
    [['--file', GOOG, '--strategy', 'sma-cross', '--from', 'yesterday'], /--from "yesterday"/],
    [
      ['--file', GOOG, '--strategy', 'sma-cross', '--param', 'fast=50'],
      /params.fast: fast must be below slow/,
    ],
    [['--file', GOOG, '--strategy', 'sma-cross', '--sides', 'up'], /settings.sides/],
    [['--file', GOOG, '--strategy', 'nope'], /Unknown strategy "nope"/],
  ])('%j is refused', async (argv, message) => {
    const r = await run(...argv)
    expect(r.code).not.toBe(0)
    expect(r.err).toMatch(message)
  })
})
