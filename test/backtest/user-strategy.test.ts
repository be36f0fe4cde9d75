/**
 * User strategy files: loaded in a worker thread (TypeScript through esbuild), the same results
 * as the built-in for the same strategy, errors reported with file and line, a loop stopped by
 * the per-bar time limit with the bar named. Each case starts one worker (about half a second
 * of CPU under tsx's loader), hence the longer timeout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runSpec } from '../../src/main/backtest/run'
import { describeStrategyFile, runStrategyFile, strategyFiles } from '../../src/main/backtest/user/run'
import { bars } from './support'

const dir = mkdtempSync(join(tmpdir(), 'cw-strategies-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const f = join(dir, name)
  writeFileSync(f, text)
  return f
}

// A zig-zag close so the 3/6 SMAs cross several times.
const rows = Array.from({ length: 120 }, (_, i) => {
  const c = 100 + 10 * Math.sin(i / 5) + (i % 7)
  return [c - 0.5, c + 1, c - 1, c]
})
const data = [{ symbol: 'ZIG', series: bars(rows) }]

const SMA_TS = `import { z } from 'zod'
import { NO_ORDERS, crossedAbove, crossedBelow } from 'candlework/strategy'

interface Bar { prev: Float64Array; now: Float64Array; position: number }
const params = z.object({ fast: z.number().int().default(3), slow: z.number().int().default(6) })

export default {
  id: 'my-sma',
  title: 'My SMA cross',
  params,
  ranges: { fast: { min: 2, max: 10, step: 1 } },
  create(p: z.output<typeof params>) {
    return {
      indicators: [{ id: 'sma', params: { period: p.fast } }, { id: 'sma', params: { period: p.slow } }],
      exits: {},
      decide(bar: Bar) {
        const [a, b] = [bar.prev, bar.now]
        if (crossedAbove(a[0]!, a[1]!, b[0]!, b[1]!))
          return bar.position < 0 ? [{ type: 'close' }, { type: 'market', side: 'buy' }] : [{ type: 'market', side: 'buy' }]
        if (crossedBelow(a[0]!, a[1]!, b[0]!, b[1]!))
          return bar.position > 0 ? [{ type: 'close', reason: 'signal' }, { type: 'market', side: 'sell' }] : [{ type: 'market', side: 'sell' }]
        return NO_ORDERS
      },
    }
  },
}
`

describe('user strategy files', { timeout: 30_000 }, () => {
  it('runs a TypeScript file in a worker with the same trades as the built-in sma-cross', async () => {
    const f = file('my-sma.ts', SMA_TS)
    const mine = await runStrategyFile(f, { params: { fast: 3, slow: 6 } }, data)
    const builtIn = runSpec({ strategy: 'sma-cross', params: { fast: 3, slow: 6 } }, data)
    expect(mine.result.trades.length).toBeGreaterThan(3)
    expect(mine.result.trades).toEqual(builtIn.result.trades)
    expect(mine.metrics).toEqual(builtIn.metrics)
    expect(mine.strategy).toBe('my-sma')
    expect(mine.strategyHash).not.toBe(builtIn.strategyHash)
    const described = await describeStrategyFile(f)
    expect(described.info.params.map((p) => [p.name, p.default])).toEqual([
      ['fast', 3],
      ['slow', 6],
    ])
    expect(described).toMatchObject({
      id: 'my-sma',
      title: 'My SMA cross',
      description: `User strategy from ${f}`,
      defaults: { fast: 3, slow: 6 },
      ranges: { fast: { min: 2, max: 10, step: 1 } },
    })
  })

  it('reports a syntax error with its file, line and column', async () => {
    const f = file('broken.ts', 'export default {\n  id: "x",\n  create() { return { = } },\n}\n')
    await expect(runStrategyFile(f, {}, data)).rejects.toThrow(`${f}:3:`)
  })

  it('reports a runtime error with its file, the line in the TypeScript source and the bar', async () => {
    const f = file(
      'throws.ts',
      [
        'type T = { index: number }',
        'export const strategy = {',
        '  id: "throws",',
        '  create() {',
        '    return { indicators: [], exits: {}, decide(bar: T) {',
        '      if (bar.index === 7) throw new Error("boom at seven")',
        '      return []',
        '    } }',
        '  },',
        '}',
      ].join('\n'),
    )
    const err = await runStrategyFile(f, {}, data).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toContain('failed on bar 7')
    expect((err as Error).message).toContain('boom at seven')
    expect((err as Error).message).toContain(`(at ${f}:6:`)
  })

  it('stops a decision that loops, naming the bar, and the next run still works', async () => {
    const f = file(
      'loops.js',
      'module.exports = { id: "loops", create() { return { indicators: [], exits: {}, decide(bar) { while (bar.index === 11) {} return [] } } } }\n',
    )
    const t0 = Date.now()
    await expect(runStrategyFile(f, {}, data, { barTimeoutMs: 200 })).rejects.toThrow(
      /decision on bar 11 took longer than 200 ms/,
    )
    expect(Date.now() - t0).toBeLessThan(10_000)
    const ok = await runStrategyFile(file('ok.ts', SMA_TS), { params: { fast: 3, slow: 6 } }, data)
    expect(ok.result.trades.length).toBeGreaterThan(3)
  })

  it('rejects a file that does not export a strategy, naming the field', async () => {
    const f = file('nothing.js', 'module.exports = { strategy: { id: "Bad Id", create() {} } }\n')
    await expect(runStrategyFile(f, {}, data)).rejects.toThrow(`${f}: strategy.id:`)
  })

  it('lists the strategy files of a folder and none for a missing folder', () => {
    file('types.d.ts', 'export {}\n')
    file('notes.txt', 'x')
    expect(strategyFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(
      expect.arrayContaining(['my-sma.ts', 'loops.js', 'broken.ts']),
    )
    expect(strategyFiles(dir).some((f) => f.endsWith('.d.ts') || f.endsWith('.txt'))).toBe(false)
    expect(strategyFiles(join(dir, 'missing'))).toEqual([])
  })
})
