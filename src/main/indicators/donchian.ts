import { RollingMax, RollingMin, latestExtremeIndex } from './core/rolling-extremes'
import { HlIndicator, outputColumn } from './core/streaming'
import type { Hl } from './core/types'
import { checkHl, checkInteger, okHl, sameLength } from './core/validate'

export interface ChannelValue {
  upper: number
  middle: number
  lower: number
}

export interface ChannelSeries {
  upper: Float64Array
  middle: Float64Array
  lower: Float64Array
}

/**
 * Donchian channels: upper = highest high, lower = lowest low of the last `period` bars
 * including the current one (TradingView, trading-signals), middle = their mean. First value at
 * bar period-1.
 */
export class Donchian extends HlIndicator<ChannelValue> {
  readonly out: ChannelValue = { upper: NaN, middle: NaN, lower: NaN }
  private readonly hi: RollingMax
  private readonly lo: RollingMin
  private count = 0

  constructor(readonly period = 20) {
    super('donchian')
    checkInteger('donchian', 'period', period, 1)
    this.hi = new RollingMax(period)
    this.lo = new RollingMin(period)
  }

  step(high: number, low: number, commit: boolean): void {
    const n = this.count
    if (commit) this.count = n + 1
    const upper = this.hi.step(high, commit)
    const lower = this.lo.step(low, commit)
    const out = this.out
    if (n < this.period - 1) {
      out.upper = out.middle = out.lower = NaN
      return
    }
    out.upper = upper
    out.lower = lower
    out.middle = (upper + lower) / 2
  }

  protected compute(bar: Hl, commit: boolean): ChannelValue {
    this.step(bar.high, bar.low, commit)
    return { ...this.out }
  }
}

export function donchian(high: Float64Array, low: Float64Array, period = 20): ChannelSeries {
  const n = sameLength('donchian', { high, low })
  new Donchian(period) // validates the parameters
  const res: ChannelSeries = { upper: outputColumn(n), middle: outputColumn(n), lower: outputColumn(n) }
  let hh = -Infinity
  let hAt = -1
  let ll = Infinity
  let lAt = -1
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    if (!okHl(h, l)) checkHl('donchian', h, l, i)
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
    const warm = i < period - 1
    const upper = hh
    const lower = ll
    res.upper[i] = warm ? NaN : upper
    res.lower[i] = warm ? NaN : lower
    res.middle[i] = warm ? NaN : (upper + lower) / 2
  }
  return res
}
