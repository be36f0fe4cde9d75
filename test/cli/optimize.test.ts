/**
 * `optimize`: a grid on GOOG through the compute pool (each row equal to the same backtest run
 * alone), walk-forward folds in the JSON, and usage errors naming the flag. Seconds of CPU: it
 * starts worker threads.
 */
import { describe, expect, it } from 'vitest'
import { backtestCommand } from '../../src/main/cli/backtest'
import { memoryIo } from '../../src/main/cli/io'
import { optimizeCommand } from '../../src/main/cli/optimize'
import { sharedPath } from '../support/shared'

const GOOG = sharedPath('data/backtesting.py/GOOG.csv')

async function run(cmd: typeof optimizeCommand, ...argv: string[]) {
  const io = memoryIo()
  const code = await cmd(argv, io)
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') }
}

describe('optimize', () => {
  it('grids fast < slow, each row as the backtest command gives it, with walk-forward folds', async () => {
    const r = await run(
      optimizeCommand,
      ...['--file', GOOG, '--strategy', 'sma-cross', '--range', 'fast=5..15:5', '--range', 'slow=10..20:10'],
      ...['--objective', 'totalReturn', '--walk-forward', '2', '--workers', '2', '--json'],
    )
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.out) as {
      rows: { params: Record<string, number>; metrics: Record<string, number> }[]
      walkForward: { folds: unknown[]; ratio: number; equity: { value: number[] } }
    }
    // fast < slow by default: (5,10) (5,20) (10,20) (15,20).
    expect(doc.rows.map((x) => x.params).sort((a, b) => a.fast! - b.fast! || a.slow! - b.slow!)).toEqual([
      { fast: 5, slow: 10 },
      { fast: 5, slow: 20 },
      { fast: 10, slow: 20 },
      { fast: 15, slow: 20 },
    ])
    expect(doc.walkForward.folds).toHaveLength(2)
    expect(doc.walkForward.equity.value[0]).toBe(10_000)

    const once = await run(
      optimizeCommand,
      ...['--file', GOOG, '--strategy', 'sma-cross', '--range', 'fast=5..10:5', '--param', 'slow=20'],
      ...['--walk-forward', '0', '--workers', '1', '--json'],
    )
    const rows = (
      JSON.parse(once.out) as { rows: { params: { fast: number }; metrics: { sharpe: number } }[] }
    ).rows
    for (const row of rows) {
      const single = await run(
        backtestCommand,
        ...[
          '--file',
          GOOG,
          '--strategy',
          'sma-cross',
          '--param',
          `fast=${row.params.fast}`,
          '--param',
          'slow=20',
          '--json',
        ],
      )
      expect(row.metrics.sharpe).toBe(
        (JSON.parse(single.out) as { metrics: { sharpe: number } }).metrics.sharpe,
      )
    }
  })

  it('--method tpe: the trials asked for, distinct and fast < slow, the same for the same seed', async () => {
    const args = [
      ...['--file', GOOG, '--strategy', 'sma-cross', '--range', 'fast=2..30:2', '--range', 'slow=10..100:5'],
      ...[
        '--method',
        'tpe',
        '--trials',
        '14',
        '--seed',
        '5',
        '--walk-forward',
        '0',
        '--workers',
        '1',
        '--json',
      ],
    ]
    const a = await run(optimizeCommand, ...args)
    expect(a.code, a.err).toBe(0)
    const rows = (JSON.parse(a.out) as { rows: { params: Record<string, number> }[] }).rows
    expect(rows).toHaveLength(14)
    expect(new Set(rows.map((r) => `${r.params.fast},${r.params.slow}`)).size).toBe(14)
    expect(rows.every((r) => r.params.fast! < r.params.slow!)).toBe(true)
    expect((await run(optimizeCommand, ...args)).out).toBe(a.out)
    const bad = await run(optimizeCommand, ...args.slice(0, 8), '--method', 'bayes')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('grid, random or tpe')
  })

  it('names the flag that is wrong', async () => {
    const bad = await run(optimizeCommand, '--file', GOOG, '--strategy', 'sma-cross', '--range', 'fast=5')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('--range fast=5')
    const none = await run(optimizeCommand, '--file', GOOG, '--strategy', 'sma-cross')
    expect(none.code).toBe(2)
    expect(none.err).toContain('--range')
  })
})
