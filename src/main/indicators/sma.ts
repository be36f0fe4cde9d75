import { ValueIndicator } from './core/streaming'
import { outColumn } from './core/out-columns'
import { checkInteger, isFiniteNumber, nonFiniteError } from './core/validate'
import { PRIME_BARS, prime, primeSeries } from './core/prime'

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

/**
 * Batch form: the operations of `Sma.step`, in two loops (warm-up, where the value leaving is 0
 * and `sum + x - 0` is `sum + x` bit for bit; then the full window), with no per-value check.
 *
 * Why no check is needed in the loop: every value is added to `sum` when it enters. A NaN makes
 * `sum` NaN, and NaN stays NaN; a ±Infinity makes it ±Infinity, which adding or subtracting a
 * finite value keeps and subtracting the same infinity (when it leaves) turns into NaN. So once
 * non-finite, `sum` stays non-finite to the end: a finite final `sum` proves every value finite
 * (and no overflow). Otherwise `nonFiniteError` finds the first bad value and reports it exactly
 * as the checked loop did (or reports the overflow).
 */
export function sma(values: Float64Array, period = 20, out?: Float64Array): Float64Array {
  const p = checkInteger('sma', 'period', period, 1)
  return smaInto(values, p, outColumn('sma', values.length, [values], out))
}

/** The loops of `sma` (kept apart so that their feedback is only typed arrays and numbers). */
function smaInto(values: Float64Array, p: number, out: Float64Array): Float64Array {
  const n = values.length
  const warm = n < p ? n : p
  let sum = 0
  for (let i = 0; i < warm; i++) {
    sum = sum + values[i]!
    out[i] = NaN
  }
  if (n >= p) out[p - 1] = sum / p
  for (let i = p; i < n; i++) {
    sum = sum + values[i]! - values[i - p]!
    out[i] = sum / p
  }
  if (!isFiniteNumber(sum)) throw nonFiniteError('sma', 'value', values)
  return out
}

prime(() => smaInto(primeSeries.close, 14, new Float64Array(PRIME_BARS)))
