/**
 * The statistics against empyrical's own test values (../shared/reference/empyrical_expected.json,
 * from empyrical 0.5.5's test_stats.py), within its published precision. Every case of a
 * statistic Candlework reports is run twice: through the returns functions, and (for NaN-free
 * single series) through computeMetrics on the equity curve those returns make.
 */
import { describe, expect, it } from 'vitest'
import { computeMetrics, type Metrics } from '../../../src/main/backtest/stats'
import { aggregateReturns } from '../../../src/main/backtest/stats/monthly'
import * as R from '../../../src/main/backtest/stats/returns'
import { readSharedJson } from '../../support/shared'

interface Case {
  function: string
  args: Record<string, unknown>
  expected: unknown
  decimal_places: number
  test_source_line: string
}
interface Reference {
  series: Record<string, { values: (number | null)[]; index: string }>
  cases: Case[]
}
const ref = readSharedJson<Reference>('reference/empyrical_expected.json')

const DAY = 86_400_000
const PPY: Record<string, number> = { daily: 252, weekly: 52, monthly: 12, quarterly: 4, yearly: 1 }

/** A series on its own date offsets (a slice `[1:]` keeps its dates, as pandas does). */
interface Series {
  offset: number
  values: number[]
}

function series(spec: unknown): Series {
  if (typeof spec !== 'string') throw new Error(`not a series name: ${JSON.stringify(spec)}`)
  const neg = spec.startsWith('-')
  const sliced = spec.endsWith('[1:]')
  const name = spec.replace(/^-/, '').replace(/\[1:\]$/, '')
  const s = ref.series[name]
  if (s === undefined) throw new Error(`unknown series ${name}`)
  let values = s.values.map((v) => (v === null ? NaN : neg ? -v : v))
  if (sliced) values = values.slice(1)
  return { offset: sliced ? 1 : 0, values }
}

/** Aligns on dates as empyrical's _aligned_series (an outer join: missing rows are NaN). */
function align(a: Series, b: Series): [number[], number[]] {
  const from = Math.min(a.offset, b.offset)
  const to = Math.max(a.offset + a.values.length, b.offset + b.values.length)
  const at = (s: Series, i: number): number => s.values[i - s.offset] ?? NaN
  const x: number[] = []
  const y: number[] = []
  for (let i = from; i < to; i++) {
    x.push(at(a, i))
    y.push(at(b, i))
  }
  return [x, y]
}

/** A scalar argument, or a series subtracted element-wise from `r` (what empyrical does with
 *  a risk-free or required-return series) with 0 left as the scalar. */
function shifted(r: Series, arg: unknown): { r: number[]; shift: number } {
  if (typeof arg === 'number') return { r: r.values, shift: arg }
  const [x, y] = align(r, series(arg))
  return { r: x.map((v, i) => v - y[i]!), shift: 0 }
}

function expectClose(actual: number, expected: unknown, places: number, label: string): void {
  if (expected === 'NaN') return expect(actual, label).toBeNaN()
  if (expected === 'Infinity') return expect(actual, label).toBe(Infinity)
  if (expected === '-Infinity') return expect(actual, label).toBe(-Infinity)
  expect(typeof expected, label).toBe('number')
  expect(Math.abs(actual - (expected as number)), `${label}: ${actual} vs ${String(expected)}`).toBeLessThan(
    1.5 * 10 ** -places,
  )
}

type Run = (c: Case) => number | number[]
const ppyOf = (c: Case): number => PPY[(c.args.period as string | undefined) ?? 'daily']!

/** empyrical function -> how to compute it here. */
const RUNS: Record<string, Run> = {
  'empyrical.cum_returns_final': (c) => {
    const total = R.totalReturn(series(c.args.returns).values)
    const start = c.args.starting_value as number
    return start === 0 ? total : start * (1 + total)
  },
  'empyrical.annual_return': (c) => R.annualReturn(series(c.args.returns).values, ppyOf(c)),
  'empyrical.cagr': (c) => R.annualReturn(series(c.args.returns).values, ppyOf(c)),
  'empyrical.annual_volatility': (c) => R.annualVolatility(series(c.args.returns).values, ppyOf(c)),
  'empyrical.sharpe_ratio': (c) => {
    const { r, shift } = shifted(series(c.args.returns), c.args.risk_free)
    return R.sharpeRatio(r, shift, ppyOf(c))
  },
  'empyrical.downside_risk': (c) =>
    perColumn(c, (s) => {
      const { r, shift } = shifted(s, c.args.required_return)
      return R.downsideRisk(r, shift, ppyOf(c))
    }),
  'empyrical.sortino_ratio': (c) =>
    perColumn(c, (s) => {
      const { r, shift } = shifted(s, c.args.required_return)
      return R.sortinoRatio(r, shift, ppyOf(c))
    }),
  'empyrical.omega_ratio': (c) => {
    const { r, shift } = shifted(series(c.args.returns), c.args.risk_free)
    return R.omegaRatio(r, shift, c.args.required_return as number, 252)
  },
  'empyrical.max_drawdown': (c) => R.maxDrawdown(series(c.args.returns).values),
  'empyrical.calmar_ratio': (c) => R.calmarRatio(series(c.args.returns).values, ppyOf(c)),
  'empyrical.beta': (c) => R.beta(...align(series(c.args.returns), series(c.args.factor_returns))),
  'empyrical.alpha': (c) => R.alpha(...align(series(c.args.returns), series(c.args.factor_returns)), 0, 252),
  'empyrical.alpha_beta': (c) => {
    const [r, b] = align(series(c.args.returns), series(c.args.factor_returns))
    return [R.alpha(r, b, 0, 252), R.beta(r, b)]
  },
  'empyrical.stability_of_timeseries': (c) => R.stability(series(c.args.returns).values),
  'empyrical.tail_ratio': (c) => R.tailRatio(series(c.args.returns).values),
  'empyrical.value_at_risk': (c) =>
    R.valueAtRisk(c.args.returns_literal as number[], c.args.cutoff as number),
  'empyrical.aggregate_returns': (c) => {
    const name = c.args.returns as string
    return aggregateReturns(datesOf(name), series(name).values, c.args.convert_to as 'monthly' | 'yearly')
  },
}

/** Statistics of empyrical that Candlework does not report (so has no code for), by name. */
const NOT_REPORTED = new Set([
  'empyrical.cum_returns', // the equity curve itself
  'empyrical.excess_sharpe',
  'empyrical.capture',
  'empyrical.up_capture',
  'empyrical.down_capture',
  'empyrical.up_down_capture',
  'empyrical.up_alpha_beta',
  'empyrical.down_alpha_beta',
  'empyrical.roll_max_drawdown',
  'empyrical.roll_sharpe_ratio',
  'empyrical.roll_alpha_beta',
])

function perColumn(c: Case, f: (s: Series) => number): number | number[] {
  const spec = c.args.returns
  if (Array.isArray(spec)) return spec.map((name: string) => f(series(name)))
  return f(series(spec))
}

/** The dates of the named series (UTC), as its pandas index in the test. */
function datesOf(name: string): number[] {
  const n = ref.series[name]!.values.length
  const start = Date.UTC(2000, 0, 30)
  if (name === 'weekly_returns') return Array.from({ length: n }, (_, i) => start + i * 7 * DAY)
  if (name === 'monthly_returns')
    return Array.from({ length: n }, (_, i) => Date.UTC(2000, i, 0) + (i === 0 ? 31 * DAY : 0))
  return Array.from({ length: n }, (_, i) => start + i * DAY)
}

const cases = ref.cases.filter((c) => !NOT_REPORTED.has(c.function))
// The monthly returns table needs months and years only; weekly and quarterly sums are not reported.
const weekOrQuarter = (c: Case): boolean =>
  c.function === 'empyrical.aggregate_returns' &&
  (c.args.convert_to === 'weekly' || c.args.convert_to === 'quarterly')

describe('empyrical reference values', () => {
  it('every function in the reference is either run here or named as not reported', () => {
    for (const c of ref.cases)
      expect(RUNS[c.function] !== undefined || NOT_REPORTED.has(c.function), c.function).toBe(true)
    expect(cases.length).toBeGreaterThan(90)
  })

  it.each(
    cases
      .filter((c) => !weekOrQuarter(c))
      .map((c, i) => [`${i} ${c.function} ${JSON.stringify(c.args)}`, c] as const),
  )('%s', (label, c) => {
    const got = RUNS[c.function]!(c)
    if (Array.isArray(c.expected)) {
      expect(Array.isArray(got), label).toBe(true)
      const g = got as number[]
      expect(g.length, label).toBe(c.expected.length)
      c.expected.forEach((e, i) => expectClose(g[i]!, e, c.decimal_places, `${label}[${i}]`))
    } else expectClose(got as number, c.expected, c.decimal_places, label)
  })
})

/** Metric of computeMetrics that an empyrical function gives, for single-series cases. */
const METRIC_OF: Record<string, keyof Metrics> = {
  'empyrical.cum_returns_final': 'totalReturn',
  'empyrical.annual_return': 'annualReturn',
  'empyrical.cagr': 'cagr',
  'empyrical.annual_volatility': 'annualVolatility',
  'empyrical.sharpe_ratio': 'sharpe',
  'empyrical.sortino_ratio': 'sortino',
  'empyrical.omega_ratio': 'omega',
  'empyrical.max_drawdown': 'maxDrawdown',
  'empyrical.calmar_ratio': 'calmar',
  'empyrical.stability_of_timeseries': 'stability',
  'empyrical.tail_ratio': 'tailRatio',
}

describe('computeMetrics on the equity curves of the reference returns', () => {
  const eligible = cases.filter((c) => {
    if (METRIC_OF[c.function] === undefined || typeof c.args.returns !== 'string') return false
    const s = series(c.args.returns)
    if (s.values.length === 0 || s.values.some((v) => Number.isNaN(v))) return false
    const scalar = (k: string): boolean => c.args[k] === undefined || c.args[k] === 0 || c.args[k] === 0.0
    if (c.function === 'empyrical.omega_ratio')
      return typeof c.args.risk_free === 'number' && typeof c.args.required_return === 'number'
    return scalar('risk_free') && scalar('required_return') && c.args.starting_value !== 100
  })

  it('covers most single-series cases', () => expect(eligible.length).toBeGreaterThan(20))

  it.each(eligible.map((c, i) => [`${i} ${c.function} ${JSON.stringify(c.args)}`, c] as const))(
    '%s',
    (label, c) => {
      const r = series(c.args.returns).values
      const equity = new Float64Array(r.length + 1)
      equity[0] = 100
      for (let i = 0; i < r.length; i++) equity[i + 1] = equity[i]! * (1 + r[i]!)
      const time = Float64Array.from({ length: equity.length }, (_, i) => Date.UTC(2000, 0, 29) + i * DAY)
      const options =
        c.function === 'empyrical.omega_ratio'
          ? { periodsPerYear: 252, requiredReturn: c.args.required_return as number }
          : { periodsPerYear: ppyOf(c) }
      let m: Metrics
      if (c.function === 'empyrical.omega_ratio' && c.args.risk_free !== 0) {
        // A per-period risk-free rate: computeMetrics takes it per year and compounds it down.
        const rfPerPeriod = c.args.risk_free as number
        m = computeMetrics({ time, equity }, { ...options, riskFree: Math.pow(1 + rfPerPeriod, 252) - 1 })
      } else m = computeMetrics({ time, equity }, options)
      const got = m[METRIC_OF[c.function]!] as number
      // Returns rebuilt from an equity curve differ from the originals in the last bits.
      expectClose(got, c.expected, Math.min(c.decimal_places, 8), label)
    },
  )
})
