import { afterEach, describe, expect, it } from 'vitest'
import { optimize, overfitWarning, rank } from '../../src/main/backtest/optimize/optimize'
import {
  gridSets,
  parseConstraint,
  parseRange,
  randomSets,
  rangeValues,
} from '../../src/main/backtest/optimize/space'
import { stitchEquity, walkForwardWindows } from '../../src/main/backtest/optimize/walk-forward'
import { runSpec } from '../../src/main/backtest/run'
import { createComputePool } from '../../src/main/compute-pool'
import { silentLogger } from '../../src/main/log'
import { bars } from './support'

describe('parameter sets', () => {
  it('walks a range inclusively without float drift', () => {
    expect(rangeValues({ name: 'k', from: 5, to: 20, step: 5 })).toEqual([5, 10, 15, 20])
    expect(rangeValues({ name: 'k', from: 0.1, to: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5])
    expect(rangeValues({ name: 'k', from: 1, to: 4, step: 2 })).toEqual([1, 3])
    expect(() => rangeValues({ name: 'k', from: 1, to: 4, step: 0 })).toThrow('range k: step')
  })

  it('reads ranges and constraints as the CLI takes them', () => {
    expect(parseRange('fast=5..20:5')).toEqual({ name: 'fast', from: 5, to: 20, step: 5 })
    expect(parseRange('slow=10..12')).toEqual({ name: 'slow', from: 10, to: 12, step: 1 })
    expect(() => parseRange('fast=5')).toThrow('--range fast=5')
    expect(parseConstraint('fast < slow')({ fast: 1, slow: 2 })).toBe(true)
    expect(parseConstraint('fast<slow')({ fast: 2, slow: 2 })).toBe(false)
    expect(parseConstraint('fast >= 3')({ fast: 3 })).toBe(true)
    expect(() => parseConstraint('fast ~ slow')).toThrow('constraint fast ~ slow')
  })

  it('keeps only the grid points that meet the constraints (fast < slow), first range slowest', () => {
    const sets = gridSets(
      [
        { name: 'fast', from: 1, to: 3, step: 1 },
        { name: 'slow', from: 2, to: 3, step: 1 },
      ],
      [parseConstraint('fast < slow')],
    )
    // Hand-listed: (1,2) (1,3) (2,3); (2,2) (3,2) (3,3) break fast < slow.
    expect(sets).toEqual([
      { fast: 1, slow: 2 },
      { fast: 1, slow: 3 },
      { fast: 2, slow: 3 },
    ])
  })

  it('draws distinct random sets from the constrained grid, the same for the same seed', () => {
    const ranges = [
      { name: 'fast', from: 1, to: 20, step: 1 },
      { name: 'slow', from: 2, to: 40, step: 1 },
    ]
    const lt = [parseConstraint('fast < slow')]
    const a = randomSets(ranges, 25, lt, 7)
    expect(a).toHaveLength(25)
    expect(new Set(a.map((s) => `${s.fast},${s.slow}`)).size).toBe(25)
    expect(a.every((s) => s.fast! < s.slow!)).toBe(true)
    expect(randomSets(ranges, 25, lt, 7)).toEqual(a)
    expect(randomSets(ranges, 25, lt, 8)).not.toEqual(a)
    // More trials than points: each point once.
    expect(randomSets(ranges.slice(0, 1), 100)).toHaveLength(20)
  })
})

describe('walk-forward', () => {
  it('splits rolling and anchored windows (hand-computed: 11 bars, 4 folds, parts of 2)', () => {
    expect(walkForwardWindows(11, 4)).toEqual([
      { isFrom: 0, isTo: 2, oosFrom: 2, oosTo: 4 },
      { isFrom: 2, isTo: 4, oosFrom: 4, oosTo: 6 },
      { isFrom: 4, isTo: 6, oosFrom: 6, oosTo: 8 },
      // The last out-of-sample window takes the remainder.
      { isFrom: 6, isTo: 8, oosFrom: 8, oosTo: 11 },
    ])
    expect(walkForwardWindows(11, 2, 'anchored')).toEqual([
      { isFrom: 0, isTo: 3, oosFrom: 3, oosTo: 6 },
      { isFrom: 0, isTo: 6, oosFrom: 6, oosTo: 11 },
    ])
    expect(() => walkForwardWindows(5, 4)).toThrow('too few')
  })

  it('stitches out-of-sample curves, each scaled to start where the last ended', () => {
    // Window 1: 100 -> 110 (+10 %), window 2: 50 -> 45 (-10 %): from 1000, 1000 -> 1100 -> 990.
    const s = stitchEquity(
      [
        { time: [1, 2], value: [100, 110] },
        { time: [3, 4], value: [50, 45] },
      ],
      1000,
    )
    expect(s.time).toEqual([1, 2, 3, 4])
    expect(s.value.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1000, 1100, 1100, 990])
  })

  it('warns plainly when out-of-sample falls apart', () => {
    expect(overfitWarning(1.5, -0.2, 'sharpe')).toMatch(/do not hold up.*overfitted/)
    expect(overfitWarning(2, 0.6, 'sharpe')).toMatch(/under half/)
    expect(overfitWarning(2, 1.5, 'sharpe')).toBeNull()
    expect(overfitWarning(-0.2, -2.5, 'sharpe')).toMatch(/no parameter set worked/)
  })
})

/** A wavy price: trends up and down so SMA crosses trade, 600 daily bars. */
function wave(n = 600) {
  return bars(
    Array.from({ length: n }, (_, i) => {
      const c = 100 + 20 * Math.sin(i / 15) + 8 * Math.sin(i / 4) + i * 0.02
      return [c - 0.5, c + 1, c - 1, c]
    }),
  )
}

// Seconds of CPU: each test starts its own pool, and a worker's first start compiles the engine.
describe('optimise on a real compute pool', () => {
  const pools: { close(): Promise<void> | void }[] = []
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.close()
  })

  it('scores every set across the workers as a single run would, best first, with progress to the end', async () => {
    const pool = createComputePool({ log: silentLogger, size: 2 })
    pools.push(pool)
    const data = [{ symbol: 'WAVE', series: wave() }]
    const sets = gridSets(
      [
        { name: 'fast', from: 2, to: 10, step: 4 },
        { name: 'slow', from: 8, to: 30, step: 11 },
      ],
      [parseConstraint('fast < slow')],
    )
    const progress: number[] = []
    const res = await optimize(
      pool,
      { strategy: 'sma-cross', sets, data, objective: 'sharpe', batch: 2 },
      { onProgress: (p) => progress.push(p.done / p.total) },
    )
    expect(res.rows).toHaveLength(sets.length)
    expect(progress.at(-1)).toBe(1)
    for (const row of res.rows) {
      const single = runSpec({ strategy: 'sma-cross', params: row.params }, data)
      expect(row.metrics.sharpe).toBe(single.metrics.sharpe)
      expect(row.metrics.trades).toBe(single.metrics.trades)
    }
    expect(res.best).toBe(res.rows[0])
    expect(res.rows).toEqual(rank(res.rows, 'sharpe'))
  })

  it('walks forward: best in-sample set per fold, tested out-of-sample, equity stitched, ratio reported', async () => {
    const pool = createComputePool({ log: silentLogger, size: 2 })
    pools.push(pool)
    const data = [{ symbol: 'WAVE', series: wave() }]
    const sets = gridSets([
      { name: 'fast', from: 3, to: 7, step: 2 },
      { name: 'slow', from: 20, to: 40, step: 10 },
    ])
    const res = await optimize(pool, {
      strategy: 'sma-cross',
      sets,
      data,
      objective: 'totalReturn',
      walkForward: 3,
    })
    const wf = res.walkForward!
    expect(wf.folds.map((f) => f.window)).toEqual(walkForwardWindows(600, 3))
    for (const f of wf.folds) {
      // The fold's best is the best of an in-sample search run on its own.
      const inSample = sets.map((p) => ({
        p,
        v: runSpec(
          {
            strategy: 'sma-cross',
            params: p,
            settings: {
              from: data[0]!.series.time[f.window.isFrom],
              to: data[0]!.series.time[f.window.isTo - 1],
            },
          },
          data,
        ).metrics.totalReturn,
      }))
      const top = Math.max(...inSample.map((x) => x.v))
      expect(f.inSample).toBe(top)
    }
    expect(wf.equity.time.length).toBeGreaterThan(0)
    expect(wf.equity.value[0]).toBe(10_000)
    if (wf.inSample! > 0) expect(wf.ratio).toBeCloseTo(wf.outOfSample! / wf.inSample!, 12)
    else expect(wf.ratio).toBeNull()
  })

  it('stops when cancelled', async () => {
    const pool = createComputePool({ log: silentLogger, size: 2 })
    pools.push(pool)
    const abort = new AbortController()
    const sets = gridSets([{ name: 'fast', from: 2, to: 40, step: 1 }]).map((s) => ({ ...s, slow: 50 }))
    const run = optimize(
      pool,
      {
        strategy: 'sma-cross',
        sets,
        data: [{ symbol: 'WAVE', series: wave(2000) }],
        objective: 'sharpe',
        batch: 1,
      },
      { signal: abort.signal, onProgress: () => abort.abort() },
    )
    await expect(run).rejects.toThrow()
  })
})
