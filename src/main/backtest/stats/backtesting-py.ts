// backtesting.py's statistics (backtesting/_stats.py compute_stats), for traders comparing
// against it: its annualised return is the geometric mean return per day (or week, month,
// year for such bars), resampled from the equity at each UTC day's last bar, compounded over a
// year; its volatility is that of the compounded daily return; Sharpe is their ratio; Sortino
// divides the annualised return by the daily downside deviation x sqrt(days); Calmar, alpha and
// beta, profit factor and expectancy (on trade returns), the average trade (geometric) and CAGR
// (calendar years of 365.25 days) are its own, and durations are rounded up to the bars' unit.
import type { Drawdowns } from './drawdown'
import { scratch } from './scratch'
import { barPeriodMs, DAY_MS, tradesAtWeekends } from './periods'
import type { TradeStats } from './trades'
import type { Metrics, MetricsInput } from './types'

export function backtestingPyMetrics(
  input: MetricsInput,
  base: Metrics,
  dd: Drawdowns,
  trades: TradeStats,
  riskFree: number,
): Metrics {
  const { time, equity } = input
  const n = equity.length
  const period = barPeriodMs(time)
  const freqDays = Math.floor(period / DAY_MS)
  const days =
    freqDays === 7 ? 52 : freqDays === 31 ? 12 : freqDays === 365 ? 1 : tradesAtWeekends(time) ? 365 : 252
  const dayReturns = resampledReturns(
    time,
    equity,
    freqDays === 7 ? 'week' : freqDays === 31 ? 'month' : freqDays === 365 ? 'year' : 'day',
  )
  const g = geometricMean(dayReturns)
  const annual = Math.pow(1 + g, days) - 1
  const variance = sampleVariance(dayReturns)
  const vol = Math.sqrt(Math.pow(variance + (1 + g) * (1 + g), days) - Math.pow(1 + g, 2 * days))
  let downside = 0
  for (let i = 0; i < dayReturns.length; i++) {
    const x = dayReturns[i]!
    if (x < 0) downside += x * x
  }
  downside = Math.sqrt(downside / dayReturns.length) * Math.sqrt(days)
  const duration = n > 0 ? time[n - 1]! - time[0]! : NaN
  const years = Math.floor(duration / 1000) / 86_400 / 365.25
  const maxDd = dd.maxDrawdown // negative (backtesting.py: -max(1 - equity/peak))

  let beta = NaN
  let alpha = NaN
  const bench = input.benchmark
  if (bench !== undefined && n > 2) {
    beta = logReturnBeta(equity, bench)
    alpha = base.totalReturn - riskFree - beta * (base.buyHoldReturn - riskFree)
  }
  const unit = resolutionMs(period)
  const ceil = (v: number): number => (Number.isFinite(v) && unit > 0 ? Math.ceil(v / unit) * unit : v)
  const noPeriods = dd.periods === 0
  return {
    ...base,
    compat: 'backtesting.py',
    periodsPerYear: days,
    annualReturn: annual,
    cagr: years > 0 ? Math.pow(base.equityFinal / base.equityStart, 1 / years) - 1 : NaN,
    annualVolatility: vol,
    sharpe: (annual * 100 - riskFree * 100) / (vol * 100 || NaN),
    sortino: (annual - riskFree) / downside,
    calmar: annual / (-maxDd || NaN),
    alpha,
    beta,
    avgDrawdown: noPeriods ? NaN : dd.avgDrawdown,
    maxDrawdownDuration: noPeriods ? NaN : ceil(dd.maxDrawdownDuration),
    avgDrawdownDuration: noPeriods ? NaN : ceil(dd.avgDrawdownDuration),
    profitFactor: trades.profitFactorOnReturns,
    expectancy: trades.expectancyOnReturns,
    avgTradeReturn: trades.geometricTradeReturn,
    avgTradeDuration: ceil(trades.avgTradeDuration),
    maxTradeDuration: ceil(trades.maxTradeDuration),
  }
}

type Bucket = 'day' | 'week' | 'month' | 'year'

/** Returns between the last equity of consecutive calendar buckets that hold bars (pandas'
 *  resample(...).last().dropna().pct_change().dropna()); weeks end on Sunday as pandas' 'W'. */
export function resampledReturns(time: Float64Array, equity: Float64Array, bucket: Bucket): Float64Array {
  const n = equity.length
  const out = scratch(7, Math.max(0, n - 1))
  let k = 0
  let key = NaN
  let prevLast = NaN
  let last = NaN
  // Bars are sorted: a bucket's key is worked out when its day changes, not per bar.
  let dayEnd = -Infinity
  for (let i = 0; i < n; i++) {
    const t = time[i]!
    let b = key
    if (t >= dayEnd) {
      dayEnd = (Math.floor(t / DAY_MS) + 1) * DAY_MS
      b = bucketOf(t, bucket)
    }
    if (b !== key) {
      if (i > 0) {
        if (prevLast === prevLast) out[k++] = last / prevLast - 1
        prevLast = last
      }
      key = b
    }
    last = equity[i]!
  }
  if (n > 0 && prevLast === prevLast) out[k++] = last / prevLast - 1
  return out.slice(0, k) // a copy: the work column is reused by the next call
}

function bucketOf(t: number, bucket: Bucket): number {
  const day = Math.floor(t / DAY_MS)
  if (bucket === 'day') return day // resampledReturns skips this call within a day
  if (bucket === 'week') return Math.floor((day - 4) / 7) // weeks from Monday 1970-01-05
  const d = new Date(t)
  return bucket === 'month' ? d.getUTCFullYear() * 12 + d.getUTCMonth() : d.getUTCFullYear()
}

/** exp(mean log(1 + r)) - 1; 0 if any 1 + r <= 0; NaN for none (backtesting.py's geometric_mean). */
export function geometricMean(r: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < r.length; i++) {
    const x = 1 + (r[i]! === r[i]! ? r[i]! : 0)
    if (x <= 0) return 0
    s += Math.log(x)
  }
  return r.length > 0 ? Math.exp(s / r.length) - 1 : NaN
}

function sampleVariance(r: Float64Array): number {
  const n = r.length
  if (n < 2) return NaN
  let s = 0
  for (let i = 0; i < n; i++) s += r[i]!
  const mean = s / n
  let ss = 0
  for (let i = 0; i < n; i++) ss += (r[i]! - mean) ** 2
  return ss / (n - 1)
}

/** cov(log returns of equity, log returns of the benchmark) / var(the latter), sample moments
 *  (np.cov's ddof cancels in the ratio). The log returns are kept in work columns: one log each. */
function logReturnBeta(equity: Float64Array, bench: Float64Array): number {
  const m = equity.length - 1
  const le = scratch(5, m)
  const lb = scratch(6, m)
  let se = 0
  let sb = 0
  for (let i = 0; i < m; i++) {
    const x = Math.log(equity[i + 1]! / equity[i]!)
    const y = Math.log(bench[i + 1]! / bench[i]!)
    le[i] = x
    lb[i] = y
    se += x
    sb += y
  }
  const me = se / m
  const mb = sb / m
  let cov = 0
  let vb = 0
  for (let i = 0; i < m; i++) {
    const db = lb[i]! - mb
    cov += (le[i]! - me) * db
    vb += db * db
  }
  return cov / vb
}

/** pandas' Timedelta resolution of the bar spacing (its smallest non-zero unit: day, hour,
 *  minute, second or millisecond) in ms; backtesting.py rounds durations up to it. */
function resolutionMs(period: number): number {
  if (!Number.isFinite(period) || period <= 0) return 0
  for (const u of [DAY_MS, 3_600_000, 60_000, 1000, 1]) if (period % u === 0) return u
  return 0
}
