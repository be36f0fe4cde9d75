import { Atr } from './atr'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, checkReal, okHlc, sameLength } from './core/validate'

export interface SupertrendValue {
  /** The trailing line: the lower band in an up trend, the upper band in a down trend. */
  supertrend: number
  /** +1 up trend, -1 down trend. */
  direction: number
}

export interface SupertrendSeries {
  supertrend: Float64Array
  direction: Float64Array
}

/**
 * Supertrend (TradingView's rules, as trading-signals): basic bands = (high+low)/2 ±
 * multiplier × ATR(period); the final upper band only moves down (unless the previous close
 * broke above it), the final lower band only up; the trend turns up when the close rises above
 * the final upper band and down when it falls below the final lower band. The first bar starts
 * in a down trend unless its close is above the upper band. ATR is Atr (TA-Lib convention), so
 * the first value is at bar `period` (TradingView's ATR starts one bar earlier).
 */
export class Supertrend extends HlcIndicator<SupertrendValue> {
  readonly out: SupertrendValue = { supertrend: NaN, direction: NaN }
  private readonly atr: Atr
  private started = false
  private upper = NaN
  private lower = NaN
  private prevClose = NaN
  private up = false

  constructor(
    readonly period = 10,
    readonly multiplier = 3,
  ) {
    super('supertrend')
    checkInteger('supertrend', 'period', period, 1)
    checkReal('supertrend', 'multiplier', multiplier, 0)
    this.atr = new Atr(period)
  }

  step(high: number, low: number, close: number, commit: boolean): void {
    const a = this.atr.step(high, low, close, commit)
    const out = this.out
    if (a !== a) {
      out.supertrend = out.direction = NaN
      return
    }
    const mid = (high + low) / 2
    const basicUpper = mid + this.multiplier * a
    const basicLower = mid - this.multiplier * a
    let upper: number
    let lower: number
    let up: boolean
    if (!this.started) {
      upper = basicUpper
      lower = basicLower
      up = close > upper
    } else {
      upper = basicUpper < this.upper || this.prevClose > this.upper ? basicUpper : this.upper
      lower = basicLower > this.lower || this.prevClose < this.lower ? basicLower : this.lower
      up = this.up ? close >= lower : close > upper
    }
    if (commit) {
      this.started = true
      this.upper = upper
      this.lower = lower
      this.up = up
      this.prevClose = close
    }
    out.supertrend = up ? lower : upper
    out.direction = up ? 1 : -1
  }

  protected compute(bar: Hlc, commit: boolean): SupertrendValue {
    this.step(bar.high, bar.low, bar.close, commit)
    return { ...this.out }
  }
}

export function supertrend(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 10,
  multiplier = 3,
): SupertrendSeries {
  const n = sameLength('supertrend', { high, low, close })
  const core = new Supertrend(period, multiplier)
  const res: SupertrendSeries = { supertrend: outputColumn(n), direction: outputColumn(n) }
  const out = core.out
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    if (!okHlc(h, l, c)) checkHlc('supertrend', h, l, c, i)
    core.step(h, l, c, true)
    res.supertrend[i] = out.supertrend
    res.direction[i] = out.direction
  }
  return res
}
