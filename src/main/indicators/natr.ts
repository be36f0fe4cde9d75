import { Atr } from './atr'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, okHlc, sameLength } from './core/validate'

/**
 * Normalized ATR: 100 × ATR(period) / close, in percent of price, with the ATR of `Atr` (TA-Lib
 * convention). NaN when the close is 0 (TA-Lib reports 0 there).
 */
export class Natr extends HlcIndicator {
  private readonly atr: Atr

  constructor(readonly period = 14) {
    super('natr')
    checkInteger('natr', 'period', period, 1)
    this.atr = new Atr(period)
  }

  step(high: number, low: number, close: number, commit: boolean): number {
    const a = this.atr.step(high, low, close, commit)
    return close !== 0 ? (a / close) * 100 : NaN
  }

  protected compute(bar: Hlc, commit: boolean): number {
    return this.step(bar.high, bar.low, bar.close, commit)
  }
}

export function natr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = sameLength('natr', { high, low, close })
  const core = new Natr(period)
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    if (!okHlc(h, l, c)) checkHlc('natr', h, l, c, i)
    out[i] = core.step(h, l, c, true)
  }
  return out
}
