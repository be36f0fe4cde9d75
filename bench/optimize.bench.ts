/**
 * `backtest.optimize.grid`: sma-cross over a grid of 1,000 parameter sets (fast 2..41 x slow
 * 50..290 step 10) on 100,000 1m bars with fees, on the compute pool (one worker per core), no
 * walk-forward (the grid alone, as the issue states the goal: under 10 s on this 2-core machine).
 * Meanwhile the main thread's event-loop delay is sampled (perf_hooks): its p99 is the goal's
 * second figure (under 20 ms), since a search must not make the app stutter.
 * Run alone: `npx tsx bench/run.ts optimize`.
 */
import { cpus, loadavg } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { optimize } from '../src/main/backtest/optimize/optimize'
import { gridSets } from '../src/main/backtest/optimize/space'
import { createComputePool } from '../src/main/compute-pool'
import { silentLogger } from '../src/main/log'
import { walkSeries } from './backtest-data'
import { report } from './harness'

export async function run(): Promise<void> {
  const series = walkSeries(100_000, 7)
  const sets = gridSets([
    { name: 'fast', from: 2, to: 41, step: 1 },
    { name: 'slow', from: 50, to: 290, step: 10 },
  ])
  const pool = createComputePool({ log: silentLogger })
  const settings = { fees: { maker: 0.001, taker: 0.001 } }
  const data = [{ symbol: 'WALK', series }]
  try {
    // Warm the workers (their first start compiles the engine) so the figure is the search's.
    await optimize(pool, {
      strategy: 'sma-cross',
      sets: sets.slice(0, 4),
      settings,
      data,
      objective: 'sharpe',
    })
    const delay = monitorEventLoopDelay({ resolution: 5 })
    delay.enable()
    const t0 = performance.now()
    const res = await optimize(pool, { strategy: 'sma-cross', sets, settings, data, objective: 'sharpe' })
    const ms = performance.now() - t0
    delay.disable()
    report({
      name: 'backtest.optimize.grid_1000x100k',
      value: Math.round(ms),
      unit: 'ms',
      sets: res.rows.length,
      bars: series.time.length,
      cores: cpus().length,
      goalMs: 10_000,
      eventLoopDelayP99Ms: Math.round((delay.percentile(99) / 1e6) * 10) / 10,
      eventLoopDelayMaxMs: Math.round((delay.max / 1e6) * 10) / 10,
      eventLoopGoalMs: 20,
      loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    })
  } finally {
    await pool.close()
  }
}
