import { RollingVariance, meanVarianceInto } from './core/rolling-variance'
import { ValueIndicator, outputColumn } from './core/streaming'
import { checkInteger, checkReal } from './core/validate'

/**
 * Rolling standard deviation times `nbdev`: population (divide by N), as TA-Lib STDDEV. First
 * value at bar `period - 1`. See RollingVariance for the numerics.
 */
export class StdDev extends ValueIndicator {
  private readonly window: RollingVariance

  constructor(
    readonly period = 20,
    readonly nbdev = 1,
  ) {
    super('stddev')
    checkInteger('stddev', 'period', period, 1)
    checkReal('stddev', 'nbdev', nbdev, 0)
    this.window = new RollingVariance(period)
  }

  step(x: number, commit: boolean): number {
    const w = this.window
    w.step(x, commit)
    return Math.sqrt(w.variance) * this.nbdev
  }

  protected compute(x: number, commit: boolean): number {
    return this.step(x, commit)
  }
}

export function stddev(values: Float64Array, period = 20, nbdev = 1): Float64Array {
  new StdDev(period, nbdev) // validates the parameters
  const out = outputColumn(values.length)
  meanVarianceInto(values, period, 'stddev', null, out)
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(out[i]!) * nbdev
  return out
}
