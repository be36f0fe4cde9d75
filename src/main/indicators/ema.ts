import { emaNext } from './core/arith'
import { ValueIndicator, outputColumn } from './core/streaming'
import { checkInteger, isFiniteNumber, nonFiniteError } from './core/validate'
import { PRIME_BARS, prime, primeSeries } from './core/prime'

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
 * object field (a field puts a store and a load on the bar-to-bar chain), in two loops (seed,
 * then EMA) and with no per-value check.
 *
 * Why no check is needed in the loop: during the seed every value is added to `sum`, and a
 * non-finite `sum` stays non-finite (NaN absorbs everything; ±Infinity survives adding finite
 * values, or becomes NaN); the EMA starts from `sum / p`. After it, `v = k*x + k1*v` with k > 0
 * and k1 >= 0: a non-finite x makes k*x, hence v, non-finite; a non-finite v makes k1*v NaN or
 * ±Infinity, hence the next v too. So a finite final state (`sum` while seeding, `v` after)
 * proves every value finite; otherwise `nonFiniteError` reports the first bad value exactly as
 * the checked loop did (or the overflow).
 */
export function ema(values: Float64Array, period = 20): Float64Array {
  const { k, period: p } = new Ema(period) // validates the parameters
  return emaInto(values, p, k, outputColumn(values.length))
}

/** The loops of `ema` (kept apart so that their feedback is only typed arrays and numbers). */
function emaInto(values: Float64Array, p: number, k: number, out: Float64Array): Float64Array {
  const k1 = 1 - k
  const n = values.length
  const warm = n < p ? n : p
  let sum = 0
  for (let i = 0; i < warm; i++) {
    sum = sum + values[i]!
    out[i] = NaN
  }
  let v = sum / p
  if (n >= p) out[p - 1] = v
  for (let i = p; i < n; i++) {
    v = emaNext(v, values[i]!, k, k1)
    out[i] = v
  }
  if (!isFiniteNumber(n >= p ? v : sum)) throw nonFiniteError('ema', 'value', values)
  return out
}

prime(() => emaInto(primeSeries.close, 14, 2 / 15, new Float64Array(PRIME_BARS)))
