import { ValueIndicator, outputColumn } from './core/streaming'
import { checkFinite, checkInteger } from './core/validate'

/**
 * Linearly weighted moving average: weights 1..period, the newest value weighing most.
 * First value at bar `period - 1` (TA-Lib WMA). O(1) per bar: sliding the window lowers every
 * weight by one, i.e. subtracts the plain sum, then adds the new value at full weight.
 */
export class Wma extends ValueIndicator {
  private readonly buf: Float64Array
  private readonly divisor: number
  private pos = 0
  private count = 0
  private sum = 0
  private weighted = 0

  constructor(readonly period = 20) {
    super('wma')
    checkInteger('wma', 'period', period, 1)
    this.buf = new Float64Array(period)
    this.divisor = (period * (period + 1)) / 2
  }

  step(x: number, commit: boolean): number {
    const p = this.period
    const n = this.count
    const pos = this.pos
    let weighted: number
    let sum: number
    if (n < p) {
      weighted = this.weighted + (n + 1) * x
      sum = this.sum + x
    } else {
      weighted = this.weighted - this.sum + p * x
      sum = this.sum + x - this.buf[pos]!
    }
    if (commit) {
      this.buf[pos] = x
      this.pos = pos + 1 === p ? 0 : pos + 1
      this.sum = sum
      this.weighted = weighted
      this.count = n + 1
    }
    return n + 1 >= p ? weighted / this.divisor : NaN
  }

  protected compute(x: number, commit: boolean): number {
    return this.step(x, commit)
  }
}

export function wma(values: Float64Array, period = 20): Float64Array {
  const core = new Wma(period)
  const n = values.length
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) checkFinite('wma', 'value', x, i)
    out[i] = core.step(x, true)
  }
  return out
}
