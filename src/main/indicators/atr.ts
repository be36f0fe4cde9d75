import { wilder } from './core/arith'
import { trueRange } from './core/true-range'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, okHlc, sameLength } from './core/validate'

/**
 * Average True Range (Wilder), TA-Lib convention: the true range of bar 0 is ignored (it has no
 * previous close); the first ATR, at bar `period`, is the mean of TR[1..period]; then
 * atr = (atr*(period-1) + tr)/period (as a multiply-add, see `wilder`). (TradingView and trading-signals count bar 0's high-low
 * and start one bar earlier; the difference fades out after a few periods.)
 */
export class Atr extends HlcIndicator {
  private count = 0
  private prevClose = NaN
  private acc = 0
  private readonly keep: number
  private readonly take: number

  constructor(readonly period = 14) {
    super('atr')
    checkInteger('atr', 'period', period, 1)
    this.keep = (period - 1) / period
    this.take = 1 / period
  }

  step(high: number, low: number, close: number, commit: boolean): number {
    const n = this.count
    const p = this.period
    let acc = 0
    if (n > 0) {
      const tr = trueRange(high, low, this.prevClose)
      acc = n <= p ? this.acc + tr : wilder(this.acc, tr, this.keep, this.take)
      if (n === p) acc /= p
    }
    if (commit) {
      this.prevClose = close
      this.acc = acc
      this.count = n + 1
    }
    return n >= p ? acc : NaN
  }

  protected compute(bar: Hlc, commit: boolean): number {
    return this.step(bar.high, bar.low, bar.close, commit)
  }
}

/** Batch form: the operations of `Atr.step`, running values in local variables. */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = sameLength('atr', { high, low, close })
  const p = checkInteger('atr', 'period', period, 1)
  const keep = (p - 1) / p
  const take = 1 / p
  const out = outputColumn(n)
  let prevClose = NaN
  let acc = 0
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    if (!okHlc(h, l, c)) checkHlc('atr', h, l, c, i)
    if (i > 0) {
      const tr = trueRange(h, l, prevClose)
      acc = i <= p ? acc + tr : wilder(acc, tr, keep, take)
      if (i === p) acc /= p
    }
    prevClose = c
    out[i] = i >= p ? acc : NaN
  }
  return out
}
