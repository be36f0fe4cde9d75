import { Ema } from './ema'
import { ValueIndicator, outputColumn } from './core/streaming'
import { checkFinite, checkInteger } from './core/validate'

/**
 * Triple EMA (Mulloy): 3*e1 - 3*e2 + e3 where e1 = EMA(x), e2 = EMA(e1), e3 = EMA(e2), each
 * TA-Lib style (SMA seed, k=2/(n+1)) and starting on the first value of the one before.
 * First value at bar 3*(period-1), as TA-Lib TEMA.
 */
export class Tema extends ValueIndicator {
  private readonly e1: Ema
  private readonly e2: Ema
  private readonly e3: Ema

  constructor(readonly period = 20) {
    super('tema')
    checkInteger('tema', 'period', period, 1)
    this.e1 = new Ema(period)
    this.e2 = new Ema(period)
    this.e3 = new Ema(period)
  }

  step(x: number, commit: boolean): number {
    const v1 = this.e1.step(x, commit)
    if (v1 !== v1) return NaN
    const v2 = this.e2.step(v1, commit)
    if (v2 !== v2) return NaN
    const v3 = this.e3.step(v2, commit)
    return v3 + (3 * v1 - 3 * v2)
  }

  protected compute(x: number, commit: boolean): number {
    return this.step(x, commit)
  }
}

export function tema(values: Float64Array, period = 20): Float64Array {
  const core = new Tema(period)
  const n = values.length
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) checkFinite('tema', 'value', x, i)
    out[i] = core.step(x, true)
  }
  return out
}
