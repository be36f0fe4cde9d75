import { gainOf, lossOf, wilder } from './core/arith'
import { ValueIndicator } from './core/streaming'
import { outColumn } from './core/out-columns'
import { checkInteger, nonFiniteError } from './core/validate'
import { PRIME_BARS, prime, primeSeries } from './core/prime'

/** RSI from the average gain and loss; 0 for a window with no change at all (TA-Lib). */
function rsiOf(gain: number, loss: number): number {
  const total = gain + loss
  return total !== 0 ? 100 * (gain / total) : 0
}

/**
 * Relative Strength Index (Wilder), TA-Lib convention: average gain and loss seeded with the
 * simple mean of the first `period` changes, then smoothed as avg = (avg*(period-1) + x)/period
 * (computed as a multiply-add, see `wilder`).
 * First value at bar `period`. RSI = 100*avgGain/(avgGain+avgLoss); a window with no change at
 * all gives 0, as TA-Lib (technicalindicators and trading-signals give 100 there).
 */
export class Rsi extends ValueIndicator {
  private count = 0
  private prev = NaN
  private gain = 0
  private loss = 0
  private readonly keep: number
  private readonly take: number

  constructor(readonly period = 14) {
    super('rsi')
    checkInteger('rsi', 'period', period, 2)
    this.keep = (period - 1) / period
    this.take = 1 / period
  }

  step(x: number, commit: boolean): number {
    const n = this.count
    const p = this.period
    if (n === 0) {
      if (commit) {
        this.prev = x
        this.count = 1
      }
      return NaN
    }
    const change = x - this.prev
    const up = gainOf(change)
    const down = lossOf(change)
    let gain: number
    let loss: number
    if (n <= p) {
      gain = this.gain + up
      loss = this.loss + down
      if (n === p) {
        gain /= p
        loss /= p
      }
    } else {
      gain = wilder(this.gain, up, this.keep, this.take)
      loss = wilder(this.loss, down, this.keep, this.take)
    }
    if (commit) {
      this.prev = x
      this.gain = gain
      this.loss = loss
      this.count = n + 1
    }
    return n < p ? NaN : rsiOf(gain, loss)
  }

  protected compute(x: number, commit: boolean): number {
    return this.step(x, commit)
  }
}

/**
 * Batch form: the operations of `Rsi.step`, running values in local variables, in phases
 * (first value; the changes summed for the seed; the seed; Wilder smoothing) and with no
 * per-value check.
 *
 * Why no check is needed in the loop: every value after the first enters a change, x - prev,
 * and is then `prev` of the next change. A NaN change makes both its gain and loss NaN; a
 * ±Infinity change makes one of them Infinity and the other NaN (Infinity - Infinity). Both
 * sums and the smoothing (avg*keep + x*take, keep and take > 0) keep a non-finite value
 * non-finite, so a finite final gain, loss and last value (the last value covers a series of
 * one) prove every value finite; otherwise `nonFiniteError` reports the first bad value exactly
 * as the checked loop did (or the overflow).
 */
export function rsi(values: Float64Array, period = 14, out?: Float64Array): Float64Array {
  const p = checkInteger('rsi', 'period', period, 2)
  return rsiInto(values, p, outColumn('rsi', values.length, [values], out))
}

/** The loops of `rsi` (kept apart so that their feedback is only typed arrays and numbers). */
function rsiInto(values: Float64Array, p: number, out: Float64Array): Float64Array {
  const keep = (p - 1) / p
  const take = 1 / p
  const n = values.length
  if (n === 0) return out
  let prev = values[0]!
  out[0] = NaN
  let gain = 0
  let loss = 0
  // Bars 1..p-1: the sums of the first changes; no value yet.
  const warm = n < p ? n : p
  for (let i = 1; i < warm; i++) {
    const x = values[i]!
    const change = x - prev
    prev = x
    gain = gain + gainOf(change)
    loss = loss + lossOf(change)
    out[i] = NaN
  }
  if (n > p) {
    // Bar p: the last change of the seed, then the means.
    const x = values[p]!
    const change = x - prev
    prev = x
    gain = (gain + gainOf(change)) / p
    loss = (loss + lossOf(change)) / p
    out[p] = rsiOf(gain, loss)
  }
  for (let i = p + 1; i < n; i++) {
    const x = values[i]!
    const change = x - prev
    prev = x
    gain = wilder(gain, gainOf(change), keep, take)
    loss = wilder(loss, lossOf(change), keep, take)
    out[i] = rsiOf(gain, loss)
  }
  if (gain - gain + (loss - loss) + (prev - prev) !== 0) throw nonFiniteError('rsi', 'value', values)
  return out
}

prime(() => rsiInto(primeSeries.close, 14, new Float64Array(PRIME_BARS)))
