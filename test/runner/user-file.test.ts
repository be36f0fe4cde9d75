/**
 * Strategy runs of user strategy files (the data folder's `strategies/`): the file decides in its
 * own thread with its state kept between bars and trades through the order path; an exception in
 * a live decision pauses that run with the file and line; a file that does not load is refused at
 * start naming where.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { candleSeries } from '../../src/main/indicators'
import { UserDecider } from '../../src/main/runner/user-decider'
import type { RunStart } from '../../src/shared/contract/runner'
import { useTempDirs } from '../support/temp-dir'
import { bars, runnerRig } from './support'

const tempDir = useTempDirs()

// sma 2/3: the warm-up ends with the fast line under the slow one; the next bar crosses above.
const warmup = bars([100, 100, 100, 100, 99, 98])
const [crossBar, next, after] = bars([102, 103, 104], 6)

// No imports and no blank lines: under Vitest a worker's stack traces are not always source-mapped
// (under Node and tsx they are), and such a file keeps its lines in esbuild's output, so the line is
// exact either way.
const CROSS = `const crossed = (a: number, b: number, c: number, d: number): boolean => a <= b && c > d
module.exports = {
  id: 'my-cross',
  params: require('zod').z.object({
    fast: require('zod').z.number().int().default(2),
    slow: require('zod').z.number().int().default(3),
  }),
  create: (p: { fast: number; slow: number }) => {
    let bars = 0
    return {
      indicators: [{ id: 'sma', params: { period: p.fast } }, { id: 'sma', params: { period: p.slow } }],
      exits: {},
      decide(bar) {
        bars++
        if (bars === 2) throw new Error('second bar: ' + bar.close)
        if (crossed(bar.prev[0], bar.prev[1], bar.now[0], bar.now[1])) return [{ type: 'market', side: 'buy' }]
        return []
      },
    }
  },
}
`

function strategies(files: Record<string, string>): string {
  const dir = join(tempDir(), 'strategies')
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const start = (strategyId: string, params: Record<string, unknown> = {}): RunStart => ({
  strategyId,
  params,
  accountId: 'demo-paper',
  source: 'demo',
  symbol: 'BTC/USDT',
  timeframe: '1m',
  allocation: '500',
  protections: [],
})

describe('strategy runs of user strategy files', () => {
  it('decides in the file’s thread and trades; its exception pauses the run with the file and line', async () => {
    const dir = strategies({ 'my-cross.ts': CROSS })
    const rig = runnerRig(tempDir(), warmup, { strategiesDir: dir })
    try {
      const run = await rig.runner.startRun(start('my-cross', { fast: 2 }))
      expect(run).toMatchObject({ strategyId: 'my-cross', params: { fast: 2, slow: 3 }, state: 'running' })
      await rig.closeBar(crossBar!)
      const ours = () =>
        rig.setup.trading
          .orders('demo-paper', { limit: 100 })
          .filter((o) => o.clientOrderId.startsWith(`sr-${run.id}-`))
      expect(ours()).toHaveLength(1)
      expect(ours()[0]).toMatchObject({ side: 'buy', status: 'filled' })

      // Its second decision throws (the instance kept count across bars): paused, file and line named.
      await rig.closeBar(next!)
      const paused = rig.runner.view(run.id)
      expect(paused.state).toBe('paused')
      expect(paused.reason).toContain(join(dir, 'my-cross.ts'))
      expect(paused.reason).toContain('Error: second bar: 103')
      expect(paused.reason).toMatch(/my-cross\.ts:15:\d+\)$/)
      // Paused, the next bar decides nothing; resumed, the file is loaded afresh and decides again.
      await rig.closeBar(after!)
      expect(rig.runner.view(run.id).lastBarTime).toBe(after!.time)
      expect(rig.runner.resume(run.id).state).toBe('running')
      await rig.closeBar(bars([105], 9)[0]!)
      expect(rig.runner.view(run.id)).toMatchObject({
        state: 'running',
        lastBarTime: bars([105], 9)[0]!.time,
      })
      expect(ours()).toHaveLength(1)
    } finally {
      await rig.runner.close()
      rig.setup.risk.close()
      rig.setup.db.close()
    }
  })

  it('refuses to start a file that does not load, naming the file and line; bad parameters name theirs', async () => {
    const dir = strategies({
      'broken.ts': 'export default {\n  id: "broken",\n  create: () => ({ decide( }),\n}\n',
      'my-cross.ts': CROSS,
    })
    const rig = runnerRig(tempDir(), warmup, { strategiesDir: dir })
    try {
      await expect(rig.runner.startRun(start('broken'))).rejects.toMatchObject({
        kind: 'validation',
        message: expect.stringMatching(/broken\.ts:3:\d+: syntax error/),
      })
      await expect(rig.runner.startRun(start('my-cross', { fast: 'x' }))).rejects.toMatchObject({
        kind: 'validation',
        message: expect.stringContaining('my-cross.ts'),
      })
      await expect(rig.runner.startRun(start('nope'))).rejects.toMatchObject({
        message: expect.stringContaining('Unknown strategy "nope"'),
      })
      expect(rig.runner.list()).toEqual([])
    } finally {
      await rig.runner.close()
      rig.setup.risk.close()
      rig.setup.db.close()
    }
  })
})

describe('UserDecider', () => {
  it('stops a decision that does not return (a loop), naming the file and the bar, and closes', async () => {
    const dir = strategies({
      'loops.js':
        'module.exports = { id: "loops", create: () => ({ indicators: [], exits: {}, decide() { for (;;) {} } }) }\n',
    })
    const d = await UserDecider.open(join(dir, 'loops.js'), {}, { barTimeoutMs: 200 })
    const series = candleSeries(bars([1, 2]))
    const account = { position: 0, entryPrice: NaN, equity: 1, cash: 1 }
    await expect(d.decide('BTC/USDT', series, account)).rejects.toMatchObject({
      kind: 'validation',
      message: `${join(dir, 'loops.js')}: the decision on the bar of ${new Date(bars([1, 2])[1]!.time).toISOString()} took longer than 200 ms (a loop?); stopped`,
    })
    expect(d.isClosed).toBe(true)
  })
})
