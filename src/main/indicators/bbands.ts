import { RollingVariance, meanVarianceInto } from './core/rolling-variance'
import { ValueIndicator } from './core/streaming'
import { outColumns } from './core/out-columns'
import { checkInteger, checkReal } from './core/validate'

export interface BBandsValue {
  upper: number
  middle: number
  lower: number
  percentB: number
  bandwidth: number
}

/**
 * Bollinger Bands, TA-Lib BBANDS with an SMA middle: middle = SMA(period), upper/lower =
 * middle ± mult × population standard deviation (divide by N). First value at bar period-1.
 * - percentB = (close - lower)/(upper - lower), a fraction (1 = on the upper band); 0.5 when
 *   the bands have zero width (a flat window), like trading-signals.
 * - bandwidth = (upper - lower)/middle, a fraction (Bollinger's definition; StockCharts shows
 *   it ×100); NaN if the middle is 0.
 */
export class BBands extends ValueIndicator<BBandsValue> {
  readonly out: BBandsValue = { upper: NaN, middle: NaN, lower: NaN, percentB: NaN, bandwidth: NaN }
  private readonly window: RollingVariance

  constructor(
    readonly period = 20,
    readonly mult = 2,
  ) {
    super('bbands')
    checkInteger('bbands', 'period', period, 1)
    checkReal('bbands', 'mult', mult, 0)
    this.window = new RollingVariance(period)
  }

  step(x: number, commit: boolean): void {
    const w = this.window
    w.step(x, commit)
    bandsOf(x, w.mean, w.variance, this.mult, this.out)
  }

  protected compute(x: number, commit: boolean): BBandsValue {
    this.step(x, commit)
    return { ...this.out }
  }
}

/** The band arithmetic, shared by the streaming and batch forms. */
function bandsOf(x: number, mid: number, variance: number, mult: number, out: BBandsValue): void {
  const dev = mult * Math.sqrt(variance)
  const upper = mid + dev
  const lower = mid - dev
  const width = upper - lower
  out.upper = upper
  out.middle = mid
  out.lower = lower
  out.percentB = width > 0 ? (x - lower) / width : mid === mid ? 0.5 : NaN
  out.bandwidth = mid !== 0 ? width / mid : NaN
}

export interface BBandsSeries {
  upper: Float64Array
  middle: Float64Array
  lower: Float64Array
  percentB: Float64Array
  bandwidth: Float64Array
}

const BBANDS_OUTPUTS = ['upper', 'middle', 'lower', 'percentB', 'bandwidth'] as const

export function bbands(values: Float64Array, period = 20, mult = 2, out?: BBandsSeries): BBandsSeries {
  new BBands(period, mult) // validates the parameters
  const n = values.length
  const res = outColumns('bbands', BBANDS_OUTPUTS, n, [values], out)
  // Mean and variance wait in the middle and bandwidth columns; each bar reads its own first.
  meanVarianceInto(values, period, 'bbands', res.middle, res.bandwidth)
  const bar: BBandsValue = { upper: NaN, middle: NaN, lower: NaN, percentB: NaN, bandwidth: NaN }
  for (let i = 0; i < n; i++) {
    bandsOf(values[i]!, res.middle[i]!, res.bandwidth[i]!, mult, bar)
    res.upper[i] = bar.upper
    res.middle[i] = bar.middle
    res.lower[i] = bar.lower
    res.percentB[i] = bar.percentB
    res.bandwidth[i] = bar.bandwidth
  }
  return res
}
