/**
 * `metrics --file F [--benchmark F2] [--periods-per-year N] [--risk-free R] [--json]`
 *
 * The backtest's statistics for any price or equity file: a candle file (its closes) or a
 * two-column time,value CSV. Simple close-to-close returns; with a benchmark both series are
 * cut to their common times, and buy and hold, alpha and beta are measured against it.
 * `--json` prints `{"metrics": {...}}` with the names of docs/BACKTEST.md "## Statistics"
 * (null where a statistic has no value).
 *
 * Exit codes: 0 done; 1 a file cannot be used (file:line:column given); 2 usage errors.
 */
import { computeMetrics, type Metrics } from '../backtest/stats'
import { parseFlags, usageError, type CliCommand } from './io'
import { alignOnCommonTimes, readValueSeries, SeriesFileError } from './metrics-series'

const USAGE = `Usage: npm run cli -- metrics --file F [--benchmark F2] [--periods-per-year N] [--risk-free R] [--json]

  --file F              price or equity file: a candle CSV/JSON (closes are used) or a
                        two-column CSV of time and value
  --benchmark F2        a second such file; both are cut to their common times and buy and
                        hold, alpha and beta are measured against it
  --periods-per-year N  bars a year for annualising (default: inferred from the times: 252
                        for daily bars without weekends, 365 with them, x bars per day)
  --risk-free R         risk-free rate per year as a fraction (0.03 = 3 %), default 0
  --json                print {"metrics": {...}} (names as in docs/BACKTEST.md)`

const OPTIONS = {
  file: { type: 'string' },
  benchmark: { type: 'string' },
  'periods-per-year': { type: 'string' },
  'risk-free': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

export const metricsCommand: CliCommand = async (argv, io) => {
  const flags = parseFlags('metrics', USAGE, argv, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const { values } = flags
  if (!values.file) return usageError(io, 'metrics', USAGE, '--file is required')
  let periodsPerYear: number | undefined
  if (values['periods-per-year'] !== undefined) {
    periodsPerYear = Number(values['periods-per-year'])
    if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear))
      return usageError(
        io,
        'metrics',
        USAGE,
        `--periods-per-year must be a positive number (got "${values['periods-per-year']}")`,
      )
  }
  let riskFree = 0
  if (values['risk-free'] !== undefined) {
    riskFree = Number(values['risk-free'])
    if (values['risk-free'].trim() === '' || !Number.isFinite(riskFree) || riskFree <= -1)
      return usageError(
        io,
        'metrics',
        USAGE,
        `--risk-free must be a yearly rate as a fraction above -1, e.g. 0.03 (got "${values['risk-free']}")`,
      )
  }

  let metrics: Metrics
  try {
    const main = readValueSeries(values.file)
    if (values.benchmark !== undefined) {
      const bench = readValueSeries(values.benchmark)
      const common = alignOnCommonTimes(main, bench)
      if (common.time.length < 2) {
        io.err(
          `metrics: ${values.file} and ${values.benchmark} share ${common.time.length} time(s); at least 2 are needed to compare them`,
        )
        return 1
      }
      metrics = computeMetrics(
        { time: common.time, equity: common.a, benchmark: common.b },
        { periodsPerYear, riskFree },
      )
    } else {
      metrics = computeMetrics({ time: main.time, equity: main.value }, { periodsPerYear, riskFree })
    }
  } catch (err) {
    if (err instanceof SeriesFileError) {
      io.err(err.lines.map((l) => `metrics: ${l}`).join('\n'))
      return 1
    }
    throw err
  }
  io.out(values.json ? JSON.stringify({ metrics }) : metricsText(metrics, values.benchmark !== undefined))
  return 0
}

const DAY = 86_400_000
const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : 'n/a')
const num = (v: number, digits = 3): string =>
  Number.isFinite(v) ? v.toFixed(digits) : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : 'n/a'
const days = (v: number): string =>
  Number.isFinite(v) ? `${(v / DAY).toFixed(v % DAY === 0 ? 0 : 2)} days` : 'n/a'
const date = (t: number): string =>
  Number.isFinite(t) ? new Date(t).toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z') : 'n/a'

/** A readable report: one statistic a line, then the monthly returns by year. */
export function metricsText(m: Metrics, withBenchmark: boolean): string {
  const rows: [string, string][] = [
    ['Start', date(m.start)],
    ['End', date(m.end)],
    ['Bars', String(m.bars)],
    ['Periods per year', String(m.periodsPerYear)],
    ['Total return', pct(m.totalReturn)],
    ['CAGR', pct(m.cagr)],
    ['Annual volatility', pct(m.annualVolatility)],
    ['Sharpe', num(m.sharpe)],
    ['Sortino', num(m.sortino)],
    ['Calmar', num(m.calmar)],
    ['Omega', num(m.omega)],
    ['Stability', num(m.stability)],
    ['Max drawdown', pct(m.maxDrawdown)],
    ['Max drawdown duration', `${days(m.maxDrawdownDuration)} (${m.maxDrawdownDurationBars} bars)`],
    ['Avg drawdown', pct(m.avgDrawdown)],
    ['Avg drawdown duration', days(m.avgDrawdownDuration)],
    ['Value at risk 95 %', pct(m.valueAtRisk95)],
    ['Value at risk 99 %', pct(m.valueAtRisk99)],
    ['CVaR 95 %', pct(m.conditionalValueAtRisk95)],
    ['CVaR 99 %', pct(m.conditionalValueAtRisk99)],
    ['Tail ratio', num(m.tailRatio)],
  ]
  if (withBenchmark)
    rows.push(['Buy and hold return', pct(m.buyHoldReturn)], ['Alpha', pct(m.alpha)], ['Beta', num(m.beta)])
  const width = Math.max(...rows.map(([k]) => k.length))
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)
  if (m.monthlyReturns.length > 0) {
    lines.push(
      '',
      'Monthly returns (%)',
      `${'Year'.padEnd(6)}${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((x) => x.padStart(8)).join('')}`,
    )
    const years = [...new Set(m.monthlyReturns.map((x) => x.year))]
    for (const y of years) {
      const cells = Array.from({ length: 12 }, (_, i) => {
        const r = m.monthlyReturns.find((x) => x.year === y && x.month === i + 1)
        return (r === undefined ? '' : (r.return * 100).toFixed(2)).padStart(8)
      })
      lines.push(`${String(y).padEnd(6)}${cells.join('')}`)
    }
  }
  return lines.join('\n')
}
