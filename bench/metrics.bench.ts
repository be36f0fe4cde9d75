/**
 * Statistics of a 1,000,000-bar equity curve (docs/BACKTEST.md "## Statistics"). Goal: under
 * 20 ms for computeMetrics (empyrical definitions, every statistic including the tails and the
 * monthly table). Also measured: with 5,000 trades and a benchmark, and the backtesting.py
 * variant. Peer, in the same run on the same data: the same statistics with simple-statistics
 * (the most used JS statistics package: mean, sample standard deviation, quantiles, covariance,
 * linear regression), where it is installed.
 */
import { loadavg } from 'node:os'
import { computeMetrics, type TradeStat } from '../src/main/backtest/stats'
import { bestOf, report } from './harness'

const N = 1_000_000
const MINUTE = 60_000

function curve(n: number, seed: number): Float64Array {
  let s = seed
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1
  const v = new Float64Array(n)
  v[0] = 10_000
  for (let i = 1; i < n; i++) v[i] = v[i - 1]! * (1 + 0.001 * rand() + 0.00001)
  return v
}

function trades(time: Float64Array, count: number): TradeStat[] {
  const out: TradeStat[] = []
  const span = Math.floor(time.length / count)
  for (let k = 0; k < count; k++) {
    const entryBar = k * span
    const exitBar = entryBar + Math.floor(span / 2)
    const r = ((k * 7919) % 200) / 10_000 - 0.009
    out.push({
      entryTime: time[entryBar]!,
      exitTime: time[exitBar]!,
      entryPrice: 100,
      exitPrice: 100 * (1 + r),
      size: 1,
      pnl: 100 * r - 0.1,
      returnPct: r - 0.001,
      fees: 0.1,
      entryBar,
      exitBar,
    })
  }
  return out
}

export async function run(): Promise<void> {
  const time = Float64Array.from({ length: N }, (_, i) => Date.UTC(2022, 0, 1) + i * MINUTE)
  const equity = curve(N, 1)
  const benchmark = curve(N, 2)
  const tradeList = trades(time, 5000)

  const plainCpu = cpuPerRun(() => void computeMetrics({ time, equity }))
  const plain = bestOf(() => void computeMetrics({ time, equity }), { warmup: 3, minRuns: 10, minMs: 1000 })
  report({
    name: 'metrics.equity_1m',
    value: round(plain),
    unit: 'ms',
    bars: N,
    goalMs: 20,
    cpuMsPerRun: round(plainCpu),
    loadAverage: loadavg()[0],
  })
  const full = bestOf(() => void computeMetrics({ time, equity, trades: tradeList, benchmark }), {
    warmup: 3,
    minRuns: 10,
    minMs: 1000,
  })
  report({
    name: 'metrics.equity_1m_trades_benchmark',
    value: round(full),
    unit: 'ms',
    bars: N,
    trades: tradeList.length,
  })
  const compat = bestOf(
    () => void computeMetrics({ time, equity, trades: tradeList, benchmark }, { compat: 'backtesting.py' }),
    { warmup: 3, minRuns: 10, minMs: 1000 },
  )
  report({ name: 'metrics.equity_1m_backtesting_py', value: round(compat), unit: 'ms', bars: N })

  const peer = await simpleStatisticsPeer()
  if (peer === undefined) {
    report({
      name: 'metrics.peer_simple_statistics_1m',
      value: NaN,
      unit: 'ms',
      note: 'simple-statistics is not installed',
    })
    return
  }
  const peerMs = bestOf(() => void peer(equity, benchmark), { warmup: 1, minRuns: 3, minMs: 1000 })
  report({
    name: 'metrics.peer_simple_statistics_1m',
    value: round(peerMs),
    unit: 'ms',
    bars: N,
    oursWithBenchmarkMs: round(full),
    ratio: Math.round((peerMs / full) * 10) / 10,
  })
}

const round = (ms: number): number => Math.round(ms * 100) / 100

/** Mean user + system CPU ms per run over 20 runs: on a loaded machine the best wall time
 *  still includes time slices lost to neighbours, CPU time less so. */
function cpuPerRun(fn: () => void, runs = 20): number {
  fn()
  const c0 = process.cpuUsage()
  for (let i = 0; i < runs; i++) fn()
  const c = process.cpuUsage(c0)
  return (c.user + c.system) / 1000 / runs
}

/** The part of simple-statistics' API used here (imported by a computed name, so the bench
 *  typechecks and runs, reporting the peer as missing, before the package is installed). */
interface SimpleStatistics {
  mean(x: number[]): number
  sampleStandardDeviation(x: number[]): number
  sampleVariance(x: number[]): number
  sampleCovariance(x: number[], y: number[]): number
  quantile(x: number[], p: number[]): number[]
  linearRegression(points: number[][]): { m: number; b: number }
  linearRegressionLine(mb: { m: number; b: number }): (x: number) => number
  rSquared(points: number[][], f: (x: number) => number): number
}
const PEER = 'simple-statistics'

/** The same per-bar statistics (returns, Sharpe, volatility, Sortino, max drawdown, VaR and
 *  CVaR, tail ratio, beta, stability) with simple-statistics' functions, on plain arrays as it
 *  takes them. */
async function simpleStatisticsPeer(): Promise<
  ((equity: Float64Array, bench: Float64Array) => number) | undefined
> {
  let ss: SimpleStatistics
  try {
    ss = (await import(PEER)) as SimpleStatistics
  } catch {
    return undefined
  }
  return (equity, bench) => {
    const n = equity.length
    const r: number[] = new Array<number>(n - 1)
    const b: number[] = new Array<number>(n - 1)
    for (let i = 1; i < n; i++) {
      r[i - 1] = equity[i]! / equity[i - 1]! - 1
      b[i - 1] = bench[i]! / bench[i - 1]! - 1
    }
    const ppy = 525_600
    const mean = ss.mean(r)
    const sd = ss.sampleStandardDeviation(r)
    const sharpe = (mean / sd) * Math.sqrt(ppy)
    const downside = Math.sqrt(ss.mean(r.map((x) => (x < 0 ? x * x : 0)))) * Math.sqrt(ppy)
    const sortino = (mean * ppy) / downside
    let peak = -Infinity
    let mdd = 0
    for (let i = 0; i < n; i++) {
      peak = Math.max(peak, equity[i]!)
      mdd = Math.min(mdd, equity[i]! / peak - 1)
    }
    const [q1, q5, q95] = ss.quantile(r, [0.01, 0.05, 0.95])
    const cvar5 = ss.mean(r.filter((x) => x <= q5!))
    const cvar1 = ss.mean(r.filter((x) => x <= q1!))
    const beta = ss.sampleCovariance(r, b) / ss.sampleVariance(b)
    let c = 0
    const points = r.map((x, i) => [i, (c += Math.log1p(x))])
    const line = ss.linearRegressionLine(ss.linearRegression(points))
    const stability = ss.rSquared(points, line)
    return sharpe + sortino + mdd + q1! + q95! + cvar5 + cvar1 + beta + stability + sd * Math.sqrt(ppy)
  }
}
