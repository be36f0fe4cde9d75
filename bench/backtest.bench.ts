/**
 * Backtest engine speed and memory (issue 16).
 * - `backtest.smaCross.1m`: the built-in sma-cross (10, 30) with a 0.1 % taker fee over
 *   1,000,000 seeded 1m bars on one core, indicators included; best of several runs, in ms, with
 *   bars per second and the CPU time of that run beside it (the machine is shared: wall time
 *   includes other processes' turns). Goal: 50 ms (20 M bars/s).
 * - `backtest.grademark.smaCross`: the `grademark` npm package on the same strategy and the
 *   first 100,000 of those bars (it takes seconds per million), timed like ours from the
 *   columns: the SMAs (computed by our library, faster than data-forge's), the DataFrame of bar
 *   objects grademark reads, its loop. grademark has no fees, so it runs without. Bars per
 *   second, and the ratio ours / grademark (goal >= 200). grademark 0.3 requires `chai` at run
 *   time without declaring it, and `data-forge` as a peer: both are devDependencies.
 * - `backtest.memory.10x1m`: a portfolio run of sma-cross over 10 symbols x 1,000,000 bars:
 *   heap + array buffers after the run, and the part that is the input bars themselves (6
 *   float64 columns: 480 MB for 10 M bars). Goal < 500 MB.
 */
import { createRequire } from 'node:module'
import { bestOf, report } from './harness'
import { walkSeries } from './backtest-data'
import { runBacktest } from '../src/main/backtest/engine'
import { parseSettings } from '../src/main/backtest/settings'
import { getStrategy } from '../src/main/backtest/strategies'
import { sma, type CandleSeries } from '../src/main/indicators'

const N = 1_000_000
const GRADEMARK_BARS = 100_000

function smaCross(): ReturnType<ReturnType<typeof getStrategy>['create']> {
  const d = getStrategy('sma-cross')
  return d.create(d.params.parse({ fast: 10, slow: 30 }))
}

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage()
  fn()
  const c = process.cpuUsage(c0)
  return (c.user + c.system) / 1000
}

/** grademark over the first `n` bars, long only, entering on a cross up and leaving on a cross down. */
function grademarkRun(series: CandleSeries, n: number): { ms: number; trades: number } | { error: string } {
  let backtest: (strategy: unknown, input: unknown) => unknown[]
  let DataFrame: new (rows: unknown[]) => unknown
  try {
    const require = createRequire(import.meta.url)
    backtest = (require('grademark') as { backtest: typeof backtest }).backtest
    DataFrame = (require('data-forge') as { DataFrame: typeof DataFrame }).DataFrame
  } catch (err) {
    return { error: `grademark not installed: ${(err as Error).message.split('\n')[0]}` }
  }
  const strategy = {
    entryRule: (enter: () => void, args: { bar: { up: boolean } }) => {
      if (args.bar.up) enter()
    },
    exitRule: (exit: () => void, args: { bar: { down: boolean } }) => {
      if (args.bar.down) exit()
    },
  }
  // Timed from the same columns ours starts from: the SMAs (ours, faster than data-forge's),
  // the bars as grademark wants them (a data-forge DataFrame of objects), then its loop.
  const once = (): number => {
    const fast = sma(series.close.subarray(0, n), 10)
    const slow = sma(series.close.subarray(0, n), 30)
    const rows = []
    for (let i = 0; i < n; i++) {
      const up = i > 0 && fast[i - 1]! < slow[i - 1]! && fast[i]! > slow[i]!
      const down = i > 0 && fast[i - 1]! > slow[i - 1]! && fast[i]! < slow[i]!
      rows.push({
        time: new Date(series.time[i]!),
        open: series.open[i]!,
        high: series.high[i]!,
        low: series.low[i]!,
        close: series.close[i]!,
        volume: series.volume[i]!,
        up,
        down,
      })
    }
    return backtest(strategy, new DataFrame(rows)).length
  }
  let trades = 0
  const ms = bestOf(() => void (trades = once()), { warmup: 1, minRuns: 2, minMs: 0 })
  return { ms, trades }
}

export async function run(): Promise<void> {
  const series = walkSeries(N, 7)
  const settings = parseSettings({ fees: { taker: 0.001 } })
  const data = [{ symbol: 'X', series }]
  let trades = 0
  let cpu = Infinity
  const ms = bestOf(
    () => {
      cpu = Math.min(
        cpu,
        cpuMs(() => void (trades = runBacktest(smaCross(), data, settings).trades.length)),
      )
    },
    { warmup: 2, minRuns: 8 },
  )
  const ours = N / (ms / 1000)
  report({
    name: 'backtest.smaCross.1m',
    value: Math.round(ms * 10) / 10,
    unit: 'ms',
    barsPerSecond: Math.round(ours),
    cpuMs: Math.round(cpu * 10) / 10,
    trades,
    goalMs: 50,
  })

  const g = grademarkRun(series, GRADEMARK_BARS)
  if ('error' in g)
    report({ name: 'backtest.grademark.smaCross', value: NaN, unit: 'bars/s', error: g.error })
  else {
    const theirs = GRADEMARK_BARS / (g.ms / 1000)
    report({
      name: 'backtest.grademark.smaCross',
      value: Math.round(theirs),
      unit: 'bars/s',
      bars: GRADEMARK_BARS,
      ms: Math.round(g.ms),
      trades: g.trades,
      oursOverGrademark: Math.round(ours / theirs),
      goalRatio: 200,
    })
  }

  global.gc?.()
  const before = process.memoryUsage()
  const symbols = Array.from({ length: 10 }, (_, k) => ({ symbol: `S${k}`, series: walkSeries(N, 11 + k) }))
  const mid = process.memoryUsage()
  const r = runBacktest(smaCross(), symbols, parseSettings({ sizing: { mode: 'percent', value: 0.1 } }))
  const after = process.memoryUsage()
  const mb = (m: NodeJS.MemoryUsage): number => (m.heapUsed + m.arrayBuffers) / 1e6
  report({
    name: 'backtest.memory.10x1m',
    value: Math.round(mb(after) - mb(before)),
    unit: 'MB',
    inputMB: Math.round(mb(mid) - mb(before)),
    engineMB: Math.round(mb(after) - mb(mid)),
    rssMB: Math.round(after.rss / 1e6),
    trades: r.trades.length,
    goalMB: 500,
  })
}
