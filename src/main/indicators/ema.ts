import { emaNext } from './core/arith'
import { BLOCK, BlockedRecurrence, powers } from './core/blocked-recurrence'
import { ValueIndicator } from './core/streaming'
import { outColumn } from './core/out-columns'
import { checkInteger, isFiniteNumber, nonFiniteError } from './core/validate'
import { PRIME_BARS, prime, primeSeries } from './core/prime'

/**
 * Exponential moving average, TA-Lib convention: seeded with the SMA of the first `period`
 * values (first value at bar `period - 1`), then `ema = k*x + a*ema` with k = 2/(period+1) and
 * a = 1 - k. (Libraries that seed with the first value, like trading-signals, converge to the
 * same numbers after a few dozen periods.)
 *
 * After the seed the recurrence runs in blocks of 8 bars (core/blocked-recurrence.ts): only one
 * step per block waits for the previous EMA, and the batch form runs twice as fast as bar by
 * bar. The values differ from the bar-by-bar form in the last bits only; batch and streaming
 * give the same bits.
 */
export class Ema extends ValueIndicator {
  readonly k: number
  private readonly blocks: BlockedRecurrence
  private count = 0
  private sum = 0

  constructor(readonly period = 20) {
    super('ema')
    checkInteger('ema', 'period', period, 1)
    this.k = 2 / (period + 1)
    this.blocks = new BlockedRecurrence(1 - this.k, this.k)
  }

  /** Low level: no validation; `commit = false` computes without changing state. */
  step(x: number, commit: boolean): number {
    const n = this.count
    const p = this.period
    let v: number
    if (n >= p) {
      v = this.blocks.step(x, commit)
    } else {
      const sum = this.sum + x
      v = n + 1 === p ? sum / p : NaN
      if (commit) {
        this.sum = sum
        if (n + 1 === p) this.blocks.start(v)
      }
    }
    if (commit) this.count = n + 1
    return v
  }

  protected compute(x: number, commit: boolean): number {
    return this.step(x, commit)
  }
}

/**
 * The bar-by-bar EMA recurrence, k*x + (1-k)*ema, with the same seeding as `Ema`. MACD runs three
 * of these fused in one batch loop (blocks would not fit three EMAs that start on different
 * bars), so its streaming form uses this one too; its EMAs may differ from `Ema`'s in the last bits.
 */
export class SerialEma {
  readonly k: number
  private readonly k1: number
  private count = 0
  private sum = 0
  private value = NaN

  constructor(readonly period: number) {
    this.k = 2 / (period + 1)
    this.k1 = 1 - this.k
  }

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
}

/**
 * Batch form: the operations of `Ema.step` with the running values in local variables and the
 * powers of a in registers, a full block per iteration, and no per-value check.
 *
 * Why no check is needed in the loop: during the seed every value is added to `sum`, and a
 * non-finite `sum` stays non-finite (NaN absorbs everything; ±Infinity survives adding finite
 * values, or becomes NaN); the EMA starts from `sum / p`. After it, a non-finite x makes k*x,
 * hence w and every later EMA of its block non-finite, and so the block's last EMA, the next
 * block's v0; a non-finite v0 makes a^j*v0 (a^j > 0) and every EMA after it non-finite. So a
 * finite final state (`sum` while seeding, the last EMA after) proves every value finite;
 * otherwise `nonFiniteError` reports the first bad value exactly as a checked loop would (or the
 * overflow). `out`: see out-columns.ts.
 */
export function ema(values: Float64Array, period = 20, out?: Float64Array): Float64Array {
  const { k, period: p } = new Ema(period) // validates the parameters
  return emaInto(values, p, k, powers(1 - k), outColumn('ema', values.length, [values], out))
}

/** The loops of `ema` (kept apart so that their feedback is only typed arrays and numbers). */
function emaInto(
  values: Float64Array,
  p: number,
  k: number,
  pow: Float64Array,
  out: Float64Array,
): Float64Array {
  const a = pow[1]!
  const n = values.length
  const warm = n < p ? n : p
  let sum = 0
  for (let i = 0; i < warm; i++) {
    sum = sum + values[i]!
    out[i] = NaN
  }
  let v0 = sum / p
  if (n >= p) out[p - 1] = v0
  const a1 = pow[1]!
  const a2 = pow[2]!
  const a3 = pow[3]!
  const a4 = pow[4]!
  const a5 = pow[5]!
  const a6 = pow[6]!
  const a7 = pow[7]!
  const a8 = pow[8]!
  let i = p
  for (; i + BLOCK <= n; i += BLOCK) {
    // Eight independent chains of one multiply-add off v0, and w's chain that does not wait for it.
    const w1 = k * values[i]!
    const w2 = a * w1 + k * values[i + 1]!
    const w3 = a * w2 + k * values[i + 2]!
    const w4 = a * w3 + k * values[i + 3]!
    const w5 = a * w4 + k * values[i + 4]!
    const w6 = a * w5 + k * values[i + 5]!
    const w7 = a * w6 + k * values[i + 6]!
    const w8 = a * w7 + k * values[i + 7]!
    out[i] = a1 * v0 + w1
    out[i + 1] = a2 * v0 + w2
    out[i + 2] = a3 * v0 + w3
    out[i + 3] = a4 * v0 + w4
    out[i + 4] = a5 * v0 + w5
    out[i + 5] = a6 * v0 + w6
    out[i + 6] = a7 * v0 + w7
    v0 = a8 * v0 + w8
    out[i + 7] = v0
  }
  // The last, partial block, one bar at a time as `Ema.step` runs it.
  let last = v0
  let w = 0
  for (let j = 1; i < n; i++, j++) {
    w = j === 1 ? k * values[i]! : a * w + k * values[i]!
    last = pow[j]! * v0 + w
    out[i] = last
  }
  if (!isFiniteNumber(n >= p ? last : sum)) throw nonFiniteError('ema', 'value', values)
  return out
}

prime(() => emaInto(primeSeries.close, 14, 2 / 15, powers(13 / 15), new Float64Array(PRIME_BARS)))
