/**
 * `backtest.optimize` through the domain on a real compute pool over the demo market: progress
 * to the end and the result on the last event, each row equal to the same backtest run alone,
 * fast < slow kept, a parameter the strategy lacks refused naming the field, and cancel.
 * Seconds of CPU: it starts worker threads.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBacktestDomain } from '../../src/main/backtest/domain'
import { runSpec } from '../../src/main/backtest/run'
import { createComputePool } from '../../src/main/compute-pool'
import { createDemoMarket } from '../../src/main/demo'
import { candleSeries } from '../../src/main/indicators'
import { silentLogger } from '../../src/main/log'
import type { StreamSink } from '../../src/main/rpc/handlers'
import { marketBarSource } from '../../src/main/signals/bars'
import { migrate } from '../../src/main/storage/migrate'
import { MIGRATIONS } from '../../src/main/storage/migrations'
import type { OptimizeProgress } from '../../src/shared/contract/backtest'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const NOW = Date.UTC(2025, 5, 2, 10, 0, 0)
const ctx = { transport: 'memory' as const, peer: 'test' }

function setup() {
  const db = new Database(join(tempDir(), 'engine.db'))
  migrate(db, MIGRATIONS)
  const pool = createComputePool({ log: silentLogger, size: 2 })
  const bars = marketBarSource(db, createDemoMarket())
  const domain = createBacktestDomain({
    db,
    clock: { now: () => NOW },
    log: silentLogger,
    compute: pool,
    bars,
  })
  cleanups.push(
    () => db.close(),
    () => pool.close(),
    () => domain.close?.(),
  )
  return { h: domain.handlers, bars }
}

function follow(h: ReturnType<typeof setup>['h'], id: string): Promise<OptimizeProgress[]> {
  return new Promise((resolve, reject) => {
    const events: OptimizeProgress[] = []
    const sink: StreamSink<OptimizeProgress> = {
      emit: (e) => void events.push(e),
      end: (err) => (err ? reject(new Error(err.message)) : resolve(events)),
    }
    h['backtest.optimizeProgress']({ id }, sink, ctx)
  })
}

/** Parameters as the contract's schema leaves them (defaults applied), since handlers are called directly. */
const SEARCH = {
  strategy: 'sma-cross',
  params: {},
  method: 'grid' as const,
  trials: 100,
  seed: 1,
  minTrades: 0,
  settings: {},
  ranges: [
    { name: 'fast', from: 5, to: 15, step: 5 },
    { name: 'slow', from: 10, to: 30, step: 10 },
  ],
  symbols: [{ source: 'demo', symbol: 'BTC/USDT' }],
  timeframe: '1h' as const,
  maxBars: 3000,
  walkForward: 0,
  objective: 'totalReturn',
}

describe('backtest.optimize', () => {
  it('searches on the pool with progress; the last event carries rows equal to single runs', async () => {
    const { h, bars } = setup()
    const { id, total } = await h['backtest.optimize'](SEARCH, ctx)
    // fast < slow: (5,10) (5,20) (5,30) (10,20) (10,30) (15,20) (15,30).
    expect(total).toBe(7)
    const events = await follow(h, id)
    const last = events.at(-1)!
    expect(last.status).toBe('done')
    expect(last.done).toBe(last.total)
    const res = last.result!
    expect(res.rows).toHaveLength(7)
    const data = [
      { symbol: 'BTC/USDT', series: candleSeries(bars.closedBars('demo', 'BTC/USDT', '1h', 3000, NOW)) },
    ]
    for (const row of res.rows) {
      expect(row.params.fast!).toBeLessThan(row.params.slow!)
      const single = runSpec({ strategy: 'sma-cross', params: row.params }, data)
      expect(row.metrics.totalReturn).toBe(single.metrics.totalReturn)
    }
    const returns = res.rows.map((r) => r.metrics.totalReturn!)
    expect(returns).toEqual([...returns].sort((a, b) => b - a))
  })

  it('tpe: proposes sets as it learns, the same search for the same seed, each row a single run', async () => {
    const { h, bars } = setup()
    const search = {
      ...SEARCH,
      method: 'tpe' as const,
      trials: 12,
      ranges: [
        { name: 'fast', from: 2, to: 20, step: 2 },
        { name: 'slow', from: 10, to: 60, step: 5 },
      ],
    }
    const first = await h['backtest.optimize'](search, ctx)
    expect(first.total).toBe(12)
    const a = (await follow(h, first.id)).at(-1)!
    expect(a.status, a.error ?? '').toBe('done')
    expect(a.done).toBe(12)
    const rows = a.result!.rows
    expect(rows).toHaveLength(12)
    expect(new Set(rows.map((r) => `${r.params.fast},${r.params.slow}`)).size).toBe(12)
    const data = [
      { symbol: 'BTC/USDT', series: candleSeries(bars.closedBars('demo', 'BTC/USDT', '1h', 3000, NOW)) },
    ]
    for (const row of rows) {
      expect(row.params.fast!).toBeLessThan(row.params.slow!)
      expect(row.params.fast! % 2).toBe(0)
      expect(row.params.slow! % 5).toBe(0)
    }
    const single = runSpec({ strategy: 'sma-cross', params: rows[0]!.params }, data)
    expect(rows[0]!.metrics.totalReturn).toBe(single.metrics.totalReturn)
    const again = await h['backtest.optimize'](search, ctx)
    expect((await follow(h, again.id)).at(-1)!.result!.rows).toEqual(rows)
  })

  it('walks forward by default and reports in-sample vs out-of-sample', async () => {
    const { h } = setup()
    const { id } = await h['backtest.optimize']({ ...SEARCH, walkForward: 2 }, ctx)
    const res = (await follow(h, id)).at(-1)!.result!
    expect(res.walkForward!.folds).toHaveLength(2)
    expect(res.walkForward!.equity.value.length).toBeGreaterThan(0)
  })

  it('refuses a parameter the strategy lacks, and cancels', async () => {
    const { h } = setup()
    expect(() =>
      h['backtest.optimize'](
        { ...SEARCH, ranges: [{ name: 'nope', from: 1, to: 2, step: 1 }] } as never,
        ctx,
      ),
    ).toThrow(/ranges: sma-cross has no parameter nope/)
    const { id } = await h['backtest.optimize'](
      { ...SEARCH, ranges: [{ name: 'fast', from: 2, to: 60, step: 1 }], maxBars: 20_000 } as never,
      ctx,
    )
    const events = follow(h, id)
    expect(h['backtest.cancel']({ id }, ctx)).toEqual({ cancelled: true })
    expect((await events).at(-1)!.status).toBe('cancelled')
  })
})
