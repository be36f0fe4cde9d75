import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, okHlc, sameLength } from './core/validate'

/**
 * Commodity Channel Index (Lambert), TA-Lib convention: tp = (high+low+close)/3,
 * cci = (tp - SMA(tp))/(0.015 × mean |tp_i - SMA(tp)|) over the last `period` bars, the mean
 * deviation taken from the current window's mean. First value at bar period-1; 0 when tp equals
 * the mean or the deviation is 0. The mean deviation has no O(1) update, so each bar costs
 * O(period); the mean is re-summed with it, so no rounding builds up.
 * (backtrader's CCI measures each bar's deviation from that bar's own SMA and differs.)
 */
export class Cci extends HlcIndicator {
  private readonly buf: Float64Array
  private pos = 0
  private count = 0

  constructor(readonly period = 20) {
    super('cci')
    checkInteger('cci', 'period', period, 1)
    this.buf = new Float64Array(period)
  }

  step(high: number, low: number, close: number, commit: boolean): number {
    const p = this.period
    const n = this.count
    const pos = this.pos
    const buf = this.buf
    const tp = (high + low + close) / 3
    if (commit) {
      buf[pos] = tp
      this.pos = pos + 1 === p ? 0 : pos + 1
      this.count = n + 1
    }
    if (n + 1 < p) return NaN
    let sum = 0
    for (let j = 0; j < p; j++) sum += j === pos ? tp : buf[j]!
    const mean = sum / p
    let dev = 0
    for (let j = 0; j < p; j++) dev += Math.abs((j === pos ? tp : buf[j]!) - mean)
    const diff = tp - mean
    return diff !== 0 && dev !== 0 ? diff / (0.015 * (dev / p)) : 0
  }

  protected compute(bar: Hlc, commit: boolean): number {
    return this.step(bar.high, bar.low, bar.close, commit)
  }
}

export function cci(high: Float64Array, low: Float64Array, close: Float64Array, period = 20): Float64Array {
  const n = sameLength('cci', { high, low, close })
  const core = new Cci(period)
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    if (!okHlc(h, l, c)) checkHlc('cci', h, l, c, i)
    out[i] = core.step(h, l, c, true)
  }
  return out
}
