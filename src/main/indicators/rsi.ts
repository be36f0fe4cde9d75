import { gainOf, lossOf, wilder } from './core/arith'
import { ValueIndicator, outputColumn } from './core/streaming'
import { badValue, checkInteger } from './core/validate'

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
    if (n < p) return NaN
    const total = gain + loss
    return total !== 0 ? 100 * (gain / total) : 0
  }

  protected compute(x: number, commit: boolean): number {
    return this.step(x, commit)
  }
}

/** Batch form: the operations of `Rsi.step`, running values in local variables. */
export function rsi(values: Float64Array, period = 14): Float64Array {
  const p = checkInteger('rsi', 'period', period, 2)
  const keep = (p - 1) / p
  const take = 1 / p
  const n = values.length
  const out = outputColumn(n)
  let prev = NaN
  let gain = 0
  let loss = 0
  for (let i = 0; i < n; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) throw badValue('rsi', 'value', x, i)
    if (i === 0) {
      prev = x
      out[0] = NaN
      continue
    }
    const change = x - prev
    prev = x
    const up = gainOf(change)
    const down = lossOf(change)
    if (i <= p) {
      gain = gain + up
      loss = loss + down
      if (i === p) {
        gain /= p
        loss /= p
      }
    } else {
      gain = wilder(gain, up, keep, take)
      loss = wilder(loss, down, keep, take)
    }
    const total = gain + loss
    out[i] = i < p ? NaN : total !== 0 ? 100 * (gain / total) : 0
  }
  return out
}
