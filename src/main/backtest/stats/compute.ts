// computeMetrics: every statistic of an equity curve (and its trades and benchmark) in one call.
// Per-bar simple returns close to close; empyrical's definitions by default, backtesting.py's
// with compat 'backtesting.py' (./backtesting-py.ts). docs/BACKTEST.md "## Statistics".
import { backtestingPyMetrics } from './backtesting-py'
import { drawdowns } from './drawdown'
import { monthlyReturns } from './monthly'
import { inferPeriodsPerYear } from './periods'
import * as R from './returns'
import { scratch } from './scratch'
import { alphaBeta, cumulativeLogs, returnsAndSums, spread as spreadOf } from './kernel'
import { tails as tailsOf } from './tails'
import { tradeStats } from './trades'
import type { Metrics, MetricsInput, MetricsOptions } from './types'

export function computeMetrics(input: MetricsInput, options: MetricsOptions = {}): Metrics {
  const { time, equity } = input
  const n = validate(input)
  const ppy = options.periodsPerYear ?? inferPeriodsPerYear(time)
  if (!(ppy > 0) || !Number.isFinite(ppy))
    throw new RangeError(`periodsPerYear must be a positive number (got ${ppy})`)
  const riskFreeYear = options.riskFree ?? 0
  const requiredYear = options.requiredReturn ?? 0
  if (!Number.isFinite(riskFreeYear) || riskFreeYear <= -1)
    throw new RangeError(`riskFree must be a finite rate above -1 (got ${riskFreeYear})`)
  if (!Number.isFinite(requiredYear))
    throw new RangeError(`requiredReturn must be finite (got ${requiredYear})`)
  const rf = perPeriod(riskFreeYear, ppy)
  const required = perPeriod(requiredYear, ppy)

  // Per-bar returns (0 -> 0, a blown account that stays at zero, counts as 0) and their sums,
  // then a pass for the spreads and one for the cumulative log returns: ./kernel.ts.
  const m = Math.max(0, n - 1)
  const r = scratch(0, m)
  const y = scratch(1, m)
  const sums = returnsAndSums(equity, r, rf, required)
  const omegaThreshold =
    requiredYear <= -1 ? NaN : ppy === 1 ? requiredYear : Math.pow(1 + requiredYear, 1 / ppy) - 1
  const spread = spreadOf(r, m, sums, rf, required, omegaThreshold)
  const sumY = cumulativeLogs(r, m, y)
  const meanRf = sums.sumRf / m
  const sharpe = m < 2 ? NaN : (meanRf / Math.sqrt(spread.ssRf / (m - 1))) * Math.sqrt(ppy)
  const annualVolatility = m < 2 ? NaN : Math.sqrt(spread.ss / (m - 1)) * Math.sqrt(ppy)
  const downsideRisk = Math.sqrt(spread.downside / m) * Math.sqrt(ppy)
  const sortino = m < 2 ? NaN : ((sums.sumReq / m) * ppy) / downsideRisk
  const omega = spread.down > 0 ? spread.up / spread.down : NaN
  const stability = R.lineFitR2(y, m, sumY)
  const tails = tailsOf(r, m, (slot, size) => scratch(3 + slot, size))

  const dd = drawdowns(time, equity)
  const trades = tradeStats(input.trades ?? [], n)
  const cagr = m < 1 ? NaN : Math.pow(equity[n - 1]! / equity[0]!, 1 / (m / ppy)) - 1
  const totalReturn = n > 0 ? equity[n - 1]! / equity[0]! - 1 : NaN
  const e0 = equity[0]!

  let buyHoldReturn = NaN
  let alpha = NaN
  let beta = NaN
  const bench = input.benchmark
  if (bench !== undefined) {
    const from = input.benchmarkStart ?? 0
    buyHoldReturn = bench[n - 1]! / bench[from]! - 1
    const ab = alphaBeta(r, bench, m, rf, ppy, scratch(2, m))
    alpha = ab.alpha
    beta = ab.beta
  }

  const metrics: Metrics = {
    compat: 'empyrical',
    start: n > 0 ? time[0]! : NaN,
    end: n > 0 ? time[n - 1]! : NaN,
    duration: n > 0 ? time[n - 1]! - time[0]! : NaN,
    bars: n,
    periodsPerYear: ppy,
    equityStart: n > 0 ? e0 : NaN,
    equityFinal: n > 0 ? equity[n - 1]! : NaN,
    equityPeak: dd.peak,
    totalReturn,
    annualReturn: cagr,
    cagr,
    annualVolatility,
    sharpe,
    sortino,
    calmar: calmar(cagr, dd.maxDrawdown),
    omega,
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownDuration: dd.maxDrawdownDuration,
    maxDrawdownDurationBars: dd.maxDrawdownDurationBars,
    avgDrawdown: dd.avgDrawdown,
    avgDrawdownDuration: dd.avgDrawdownDuration,
    exposureTime: n > 0 ? trades.barsInMarket / n : NaN,
    trades: trades.trades,
    winRate: trades.winRate,
    profitFactor: trades.profitFactor,
    expectancy: trades.expectancy,
    avgWin: trades.avgWin,
    avgLoss: trades.avgLoss,
    avgTradeReturn: trades.avgTradeReturn,
    bestTrade: trades.bestTrade,
    worstTrade: trades.worstTrade,
    avgTradeDuration: trades.avgTradeDuration,
    maxTradeDuration: trades.maxTradeDuration,
    sqn: trades.sqn,
    kelly: trades.kelly,
    maxConsecutiveWins: trades.maxConsecutiveWins,
    maxConsecutiveLosses: trades.maxConsecutiveLosses,
    fees: input.fees ?? trades.fees,
    buyHoldReturn,
    alpha,
    beta,
    tailRatio: tails.tailRatio,
    stability,
    valueAtRisk95: tails.valueAtRisk95,
    valueAtRisk99: tails.valueAtRisk99,
    conditionalValueAtRisk95: tails.conditionalValueAtRisk95,
    conditionalValueAtRisk99: tails.conditionalValueAtRisk99,
    monthlyReturns: monthlyReturns(time, equity),
  }
  if (options.compat === 'backtesting.py')
    return backtestingPyMetrics(input, metrics, dd, trades, riskFreeYear)
  return metrics
}

/** An annual rate as a per-period one, compounding: (1 + rate)^(1/ppy) - 1. */
export function perPeriod(rate: number, ppy: number): number {
  return rate === 0 ? 0 : Math.pow(1 + rate, 1 / ppy) - 1
}

function calmar(annual: number, maxDd: number): number {
  if (!(maxDd < 0)) return NaN
  const c = annual / Math.abs(maxDd)
  return Number.isFinite(c) ? c : NaN
}

/** Checks the columns (one pass) and returns the bar count; throws naming the field and index. */
function validate(input: MetricsInput): number {
  const { time, equity, benchmark } = input
  const n = time.length
  if (equity.length !== n) throw new RangeError(`equity has ${equity.length} values but time has ${n}`)
  if (benchmark !== undefined && benchmark.length !== n)
    throw new RangeError(`benchmark has ${benchmark.length} values but time has ${n}`)
  let prevT = -Infinity
  let prevE = 1
  for (let i = 0; i < n; i++) {
    const t = time[i]!
    const e = equity[i]!
    // One predictable test per column on the good path; the message is worked out on failure.
    if (!(t > prevT && t < Infinity)) {
      throw new RangeError(
        Number.isFinite(t)
          ? `time[${i}] (${t}) is not after time[${i - 1}] (${prevT})`
          : `time[${i}] is not a finite number (${t})`,
      )
    }
    if (!(e >= 0 && e < Infinity))
      throw new RangeError(`equity[${i}] must be a finite number >= 0 (got ${e})`)
    if (prevE === 0 && e !== 0)
      throw new RangeError(`equity[${i}] (${e}) rises from 0 at equity[${i - 1}]: no return is defined`)
    prevT = t
    prevE = e
  }
  if (n > 0 && equity[0] === 0) throw new RangeError('equity[0] must be above 0')
  if (benchmark !== undefined) {
    for (let i = 0; i < n; i++) {
      const b = benchmark[i]!
      if (!(b > 0) || b === Infinity)
        throw new RangeError(`benchmark[${i}] must be a finite number above 0 (got ${b})`)
    }
    const from = input.benchmarkStart ?? 0
    if (!Number.isInteger(from) || from < 0 || from >= Math.max(1, n))
      throw new RangeError(`benchmarkStart must be a bar index in [0, ${n - 1}] (got ${from})`)
  }
  return n
}
