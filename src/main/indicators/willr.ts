import { RollingMax, RollingMin, latestExtremeIndex } from './core/rolling-extremes'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, okHlc, sameLength } from './core/validate'

/**
 * Williams %R: -100 × (highest high - close)/(highest high - lowest low) over `period` bars,
 * from -100 to 0. First value at bar period-1 (TA-Lib WILLR); 0 when the range is 0, as TA-Lib
 * (trading-signals gives -100 there).
 */
export class WillR extends HlcIndicator {
  private readonly hi: RollingMax
  private readonly lo: RollingMin
  private count = 0

  constructor(readonly period = 14) {
    super('willr')
    checkInteger('willr', 'period', period, 1)
    this.hi = new RollingMax(period)
    this.lo = new RollingMin(period)
  }

  step(high: number, low: number, close: number, commit: boolean): number {
    const n = this.count
    if (commit) this.count = n + 1
    const hh = this.hi.step(high, commit)
    const ll = this.lo.step(low, commit)
    return n < this.period - 1 ? NaN : willrOf(hh, ll, close)
  }

  protected compute(bar: Hlc, commit: boolean): number {
    return this.step(bar.high, bar.low, bar.close, commit)
  }
}

/** %R from the window's extremes (TA-Lib's operations). */
function willrOf(hh: number, ll: number, close: number): number {
  const diff = (hh - ll) / -100
  return diff !== 0 ? (hh - close) / diff : 0
}

export function willr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = sameLength('willr', { high, low, close })
  new WillR(period) // validates the parameters
  const out = outputColumn(n)
  let hh = -Infinity
  let hAt = -1
  let ll = Infinity
  let lAt = -1
  for (let i = 0; i < n; i++) {
    const c = close[i]!
    const h = high[i]!
    const l = low[i]!
    if (!okHlc(h, l, c)) checkHlc('willr', h, l, c, i)
    if (h >= hh) {
      hh = h
      hAt = i
    } else if (hAt <= i - period) {
      hAt = latestExtremeIndex(high, i - period + 1, i, 1)
      hh = high[hAt]!
    }
    if (l <= ll) {
      ll = l
      lAt = i
    } else if (lAt <= i - period) {
      lAt = latestExtremeIndex(low, i - period + 1, i, -1)
      ll = low[lAt]!
    }
    out[i] = i < period - 1 ? NaN : willrOf(hh, ll, c)
  }
  return out
}
