import { ValueIndicator, outputColumn } from './core/streaming'
import { badValue, checkInteger } from './core/validate'

/**
 * Simple moving average: the mean of the last `period` values. First value at bar
 * `period - 1` (TA-Lib SMA); NaN before.
 */
export class Sma extends ValueIndicator {
  private readonly buf: Float64Array
  private pos = 0
  private count = 0
  private sum = 0

  constructor(readonly period = 20) {
    super('sma')
    checkInteger('sma', 'period', period, 1)
    this.buf = new Float64Array(period)
  }

  /** Low level: no validation; `commit = false` computes without changing state. */
  step(x: number, commit: boolean): number {
    const p = this.period
    const n = this.count
    const pos = this.pos
    // The ring starts zeroed, so during warm-up the "leaving" value is 0.
    const sum = this.sum + x - this.buf[pos]!
    if (commit) {
      this.buf[pos] = x
      this.pos = pos + 1 === p ? 0 : pos + 1
      this.sum = sum
      this.count = n + 1
    }
    return n + 1 >= p ? sum / p : NaN
  }

  protected compute(x: number, commit: boolean): number {
    return this.step(x, commit)
  }
}

/** Batch form: the operations of `Sma.step` (the value leaving is 0 during warm-up). */
export function sma(values: Float64Array, period = 20): Float64Array {
  const p = checkInteger('sma', 'period', period, 1)
  const n = values.length
  const out = outputColumn(n)
  let sum = 0
  for (let i = 0; i < n; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) throw badValue('sma', 'value', x, i)
    sum = sum + x - (i >= p ? values[i - p]! : 0)
    out[i] = i + 1 >= p ? sum / p : NaN
  }
  return out
}
