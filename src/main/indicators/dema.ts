import { Ema } from './ema'
import { ValueIndicator, outputColumn } from './core/streaming'
import { checkFinite, checkInteger } from './core/validate'

/**
 * Double EMA (Mulloy): 2*EMA(x) - EMA(EMA(x)), both EMAs TA-Lib style (SMA seed, k=2/(n+1));
 * the outer EMA starts on the first inner value. First value at bar 2*(period-1), as TA-Lib DEMA.
 */
export class Dema extends ValueIndicator {
  private readonly e1: Ema
  private readonly e2: Ema

  constructor(readonly period = 20) {
    super('dema')
    checkInteger('dema', 'period', period, 1)
    this.e1 = new Ema(period)
    this.e2 = new Ema(period)
  }

  step(x: number, commit: boolean): number {
    const v1 = this.e1.step(x, commit)
    if (v1 !== v1) return NaN
    const v2 = this.e2.step(v1, commit)
    return 2 * v1 - v2
  }

  protected compute(x: number, commit: boolean): number {
    return this.step(x, commit)
  }
}

export function dema(values: Float64Array, period = 20): Float64Array {
  const core = new Dema(period)
  const n = values.length
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) checkFinite('dema', 'value', x, i)
    out[i] = core.step(x, true)
  }
  return out
}
