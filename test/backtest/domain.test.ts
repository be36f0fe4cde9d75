// The backtest domain over real parts: a migrated SQLite file, the engine's compute pool (a
// worker thread), the demo market's bars as the chart reads them.
import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBacktestDomain } from '../../src/main/backtest/domain'
import { createComputePool } from '../../src/main/compute-pool'
import { createDemoMarket } from '../../src/main/demo'
import { silentLogger } from '../../src/main/log'
import type { StreamSink } from '../../src/main/rpc/handlers'
import { marketBarSource } from '../../src/main/signals/bars'
import { migrate } from '../../src/main/storage/migrate'
import { MIGRATIONS } from '../../src/main/storage/migrations'
import type { BacktestProgress } from '../../src/shared/contract/backtest'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const NOW = Date.UTC(2025, 5, 2, 10, 0, 0)
const ctx = { transport: 'memory' as const, peer: 'test' }

function setup(file = join(tempDir(), 'engine.db'), strategiesDir?: string) {
  const db = new Database(file)
  migrate(db, MIGRATIONS)
  const pool = createComputePool({ log: silentLogger, size: 1 })
  let n = 0
  const domain = createBacktestDomain({
    db,
    clock: { now: () => NOW },
    log: silentLogger,
    compute: pool,
    bars: marketBarSource(db, createDemoMarket()),
    newId: () => `run-${++n}`,
    strategiesDir,
  })
  domain.start?.()
  cleanups.push(
    () => db.close(),
    () => pool.close(),
    () => domain.close?.(),
  )
  return { db, domain, h: domain.handlers }
}

/** Subscribes to a run's progress; resolves with every event once the stream ends. */
function follow(h: ReturnType<typeof setup>['h'], id: string): Promise<BacktestProgress[]> {
  return new Promise((resolve, reject) => {
    const events: BacktestProgress[] = []
    const sink: StreamSink<BacktestProgress> = {
      emit: (e) => void events.push(e),
      end: (err) => (err ? reject(new Error(err.message)) : resolve(events)),
    }
    h['backtest.progress']({ id }, sink, ctx)
  })
}

const RUN = {
  strategy: 'sma-cross',
  params: { fast: 10, slow: 40 },
  symbols: [{ source: 'demo', symbol: 'BTC/USDT' }],
  timeframe: '1m' as const,
  maxBars: 50_000,
  settings: { fees: { taker: 0.001 } },
}

describe('backtest domain', () => {
  it('runs on the pool with progress, stores the run and reopens it', async () => {
    const { h } = setup()
    const started = await h['backtest.run'](RUN, ctx)
    expect(started).toMatchObject({
      id: 'run-1',
      status: 'running',
      strategy: 'sma-cross',
      totalReturn: null,
    })
    const events = await follow(h, started.id)
    expect(events.at(-1)).toMatchObject({ status: 'done', error: null })
    expect(events.some((e) => e.status === 'running')).toBe(true)
    const run = await h['backtest.get']({ id: started.id }, ctx)
    expect(run.status).toBe('done')
    expect(run.equity.time).toHaveLength(50_000)
    expect(run.trades.length).toBeGreaterThan(10)
    expect(run.strategyHash).toMatch(/^[0-9a-f]{64}$/)
    expect(run.dataFingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(run.metrics?.trades).toBe(run.trades.length)
    expect(run.params).toMatchObject({ fast: 10, slow: 40, stopLoss: 0 })
    expect(run.drawdown).toHaveLength(50_000)
    const list = await h['backtest.list']({}, ctx)
    expect(list[0]).toMatchObject({ id: started.id, status: 'done', trades: run.trades.length })
    expect(list[0]!.totalReturn).toBeCloseTo(run.equity.value.at(-1)! / 10_000 - 1, 9)

    // the same request again: the same data and results, bit for bit
    const again = await h['backtest.run'](RUN, ctx)
    await follow(h, again.id)
    const second = await h['backtest.get']({ id: again.id }, ctx)
    expect(second.dataFingerprint).toBe(run.dataFingerprint)
    expect(second.equity.value).toEqual(run.equity.value)

    expect(await h['backtest.rename']({ id: started.id, name: 'first try' }, ctx)).toMatchObject({
      name: 'first try',
    })
    expect(await h['backtest.delete']({ id: again.id }, ctx)).toEqual({ deleted: true })
    expect((await h['backtest.list']({}, ctx)).map((r) => r.id)).toEqual([started.id])
    await expect(Promise.resolve().then(() => h['backtest.get']({ id: again.id }, ctx))).rejects.toThrow(
      /No backtest run/,
    )
  })

  it('intrabar: an hourly run on the demo market resolves its exits on the 1m bars, and stores the count', async () => {
    const { h } = setup()
    const base = {
      ...RUN,
      params: { fast: 3, slow: 8, stopLoss: 0.4, takeProfit: 0.4 },
      timeframe: '1h' as const,
      maxBars: 300,
    }
    const plain = await h['backtest.run'](base, ctx)
    await follow(h, plain.id)
    const started = await h['backtest.run']({ ...base, settings: { ...base.settings, intrabar: true } }, ctx)
    const events = await follow(h, started.id)
    expect(events.at(-1)?.status, events.at(-1)?.error ?? '').toBe('done')
    const without = await h['backtest.get']({ id: plain.id }, ctx)
    const run = await h['backtest.get']({ id: started.id }, ctx)
    expect(run.settings.intrabar).toBe(true)
    expect(without.intrabarBars).toBe(0)
    expect(run.intrabarBars).toBeGreaterThan(10)
    expect(without.ambiguousBars).toBeGreaterThan(0)
    expect(run.ambiguousBars).toBeLessThan(without.ambiguousBars!)
    expect(run.dataFingerprint).not.toBe(without.dataFingerprint)
  })

  it('cancel stops a running backtest and stores it as cancelled', async () => {
    const { h } = setup()
    const started = await h['backtest.run'](
      { ...RUN, maxBars: 2_000_000, params: { fast: 5, slow: 20, trailing: 0.5 } },
      ctx,
    )
    const done = follow(h, started.id)
    expect(await h['backtest.cancel']({ id: started.id }, ctx)).toEqual({ cancelled: true })
    const events = await done
    expect(events.at(-1)).toMatchObject({ status: 'cancelled' })
    expect((await h['backtest.get']({ id: started.id }, ctx)).status).toBe('cancelled')
    expect(await h['backtest.cancel']({ id: started.id }, ctx)).toEqual({ cancelled: false })
  })

  it('refuses bad parameters and settings before storing anything, naming the field', async () => {
    const { h } = setup()
    expect(() => h['backtest.run']({ ...RUN, params: { fast: 50, slow: 40 } }, ctx)).toThrow(/params.fast/)
    expect(() => h['backtest.run']({ ...RUN, settings: { fees: { taker: -1 } } }, ctx)).toThrow(
      /settings.fees.taker/,
    )
    expect(() => h['backtest.run']({ ...RUN, strategy: 'nope' }, ctx)).toThrow(/Unknown strategy/)
    expect(await h['backtest.list']({}, ctx)).toEqual([])
  })

  it('an unknown symbol fails the run with the reason', async () => {
    const { h } = setup()
    const started = await h['backtest.run'](
      { ...RUN, symbols: [{ source: 'demo', symbol: 'NOPE/USDT' }] },
      ctx,
    )
    const events = await follow(h, started.id)
    expect(events.at(-1)).toMatchObject({ status: 'failed' })
    expect(events.at(-1)!.error).toMatch(/Unknown demo symbol/)
  })

  it('lists the strategies with their parameters for a form', async () => {
    const { h } = setup()
    const list = await h['backtest.strategies']({}, ctx)
    const sma = list.find((s) => s.id === 'sma-cross')!
    expect(sma.params.find((p) => p.name === 'fast')).toMatchObject({
      kind: 'integer',
      default: 10,
      min: 1,
      range: { min: 2, max: 100, step: 1 },
    })
    expect(sma.params.find((p) => p.name === 'exitUnit')).toMatchObject({
      kind: 'choice',
      choices: ['percent', 'atr'],
    })
  })

  it('lists and runs the data folder’s strategy files in their own worker; a loop fails only its run', async () => {
    const dir = tempDir()
    writeFileSync(
      join(dir, 'my-cross.ts'),
      [
        "import { z } from 'zod'",
        "import { NO_ORDERS, crossedAbove, crossedBelow } from 'candlework/strategy'",
        'const params = z.object({ fast: z.number().int().min(1).default(10), slow: z.number().int().default(40) })',
        'export default {',
        "  id: 'my-cross', title: 'My cross', description: 'long on the cross', params,",
        '  create: (p: z.output<typeof params>) => ({',
        "    indicators: [{ id: 'sma', params: { period: p.fast } }, { id: 'sma', params: { period: p.slow } }],",
        '    exits: {},',
        '    decide(b: { prev: Float64Array; now: Float64Array; position: number }) {',
        "      if (crossedAbove(b.prev[0]!, b.prev[1]!, b.now[0]!, b.now[1]!)) return [{ type: 'market', side: 'buy' }]",
        "      if (crossedBelow(b.prev[0]!, b.prev[1]!, b.now[0]!, b.now[1]!)) return [{ type: 'close', reason: 'signal' }]",
        '      return NO_ORDERS',
        '    },',
        '  }),',
        '}',
      ].join('\n'),
    )
    writeFileSync(
      join(dir, 'spins.js'),
      'module.exports = { id: "spins", create: () => ({ indicators: [], exits: {}, decide(b) { while (b.index === 3) {} return [] } }) }\n',
    )
    const { h } = setup(join(tempDir(), 'engine.db'), dir)
    const list = await h['backtest.strategies']({}, ctx)
    const mine = list.find((s) => s.id === 'my-cross')!
    expect(mine.title).toBe('My cross')
    expect(mine.params.find((p) => p.name === 'fast')).toMatchObject({ kind: 'integer', default: 10, min: 1 })
    expect(list.some((s) => s.id === 'sma-cross')).toBe(true)

    const builtIn = await h['backtest.run']({ ...RUN, maxBars: 10_000 }, ctx)
    await follow(h, builtIn.id)
    const started = await h['backtest.run']({ ...RUN, maxBars: 10_000, strategy: 'my-cross' }, ctx)
    const events = await follow(h, started.id)
    expect(events.at(-1)).toMatchObject({ status: 'done', error: null })
    expect(events.some((e) => e.total > 0)).toBe(true)
    const a = await h['backtest.get']({ id: builtIn.id }, ctx)
    const b = await h['backtest.get']({ id: started.id }, ctx)
    // sma-cross long only closes the long on the cross below, as my-cross does.
    expect(b.trades.length).toBeGreaterThan(3)
    expect(b.trades.map((t) => [t.entryTime, t.exitTime, t.pnl])).toEqual(
      a.trades.map((t) => [t.entryTime, t.exitTime, t.pnl]),
    )
    expect(b.strategy).toBe('my-cross')

    const spin = await h['backtest.run']({ ...RUN, strategy: 'spins', maxBars: 100 }, ctx)
    const spun = await follow(h, spin.id)
    expect(spun.at(-1)).toMatchObject({ status: 'failed' })
    expect(spun.at(-1)!.error).toMatch(/spins\.js: the decision on bar 3 took longer than 1000 ms/)
  }, 60_000)

  it('a run left running by a stopped app is marked failed at start', () => {
    const file = join(tempDir(), 'engine.db')
    const first = setup(file)
    first.db
      .prepare(
        `INSERT INTO backtest_runs (id, name, strategy, params, symbols, timeframe, settings, strategy_hash, status, created_at)
         VALUES ('old', 'old', 'sma-cross', '{}', '[]', '1m', '{}', 'x', 'running', 1)`,
      )
      .run()
    const second = setup(file)
    expect(second.db.prepare(`SELECT status, error FROM backtest_runs WHERE id = 'old'`).get()).toEqual({
      status: 'failed',
      error: 'interrupted: the app stopped during the run',
    })
  })
})
