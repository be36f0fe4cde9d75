import { emaNext } from './core/arith'
import { ValueIndicator, outputColumn } from './core/streaming'
import { badValue, checkInteger } from './core/validate'

/**
 * Exponential moving average, TA-Lib convention: seeded with the SMA of the first `period`
 * values (first value at bar `period - 1`), then `ema = k*x + (1-k)*ema` with k = 2/(period+1).
 * (Libraries that seed with the first value, like trading-signals, converge to the same
 * numbers after a few dozen periods.)
 */
export class Ema extends ValueIndicator {
  readonly k: number
  private readonly k1: number
  private count = 0
  private sum = 0
  private value = NaN

  constructor(readonly period = 20) {
    super('ema')
    checkInteger('ema', 'period', period, 1)
    this.k = 2 / (period + 1)
    this.k1 = 1 - this.k
  }

  /** Low level: no validation; `commit = false` computes without changing state. */
  step(x: number, commit: boolean): number {
    const n = this.count
    const p = this.period
    let v: number
    if (n >= p) {
      v = emaNext(this.value, x, this.k, this.k1)
    } else {
      const sum = this.sum + x
      v = n + 1 === p ? sum / p : NaN
      if (commit) this.sum = sum
    }
    if (commit) {
      this.value = v
      this.count = n + 1
    }
    return v
  }

  protected compute(x: number, commit: boolean): number {
    return this.step(x, commit)
  }
}

/**
 * Batch form: the operations of `Ema.step` with the running value in a local variable, not an
 * object field (a field puts a store and a load on the bar-to-bar chain).
 */
export function ema(values: Float64Array, period = 20): Float64Array {
  const { k, period: p } = new Ema(period) // validates the parameters
  const k1 = 1 - k
  const n = values.length
  const out = outputColumn(n)
  let sum = 0
  let v = NaN
  for (let i = 0; i < n; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) throw badValue('ema', 'value', x, i)
    if (i >= p) v = emaNext(v, x, k, k1)
    else {
      sum = sum + x
      v = i + 1 === p ? sum / p : NaN
    }
    out[i] = v
  }
  return out
}
