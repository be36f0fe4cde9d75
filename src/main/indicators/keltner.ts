import { Atr } from './atr'
import { Ema } from './ema'
import type { ChannelSeries, ChannelValue } from './donchian'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, checkReal, okHlc, sameLength } from './core/validate'

/**
 * Keltner channels (Raschke's ATR version, TradingView defaults): middle = EMA(period) of the
 * close, upper/lower = middle ± multiplier × ATR(atrPeriod), with Ema and Atr in TA-Lib
 * convention. First value once both exist: bar max(period-1, atrPeriod).
 */
export class Keltner extends HlcIndicator<ChannelValue> {
  readonly out: ChannelValue = { upper: NaN, middle: NaN, lower: NaN }
  private readonly ema: Ema
  private readonly atr: Atr

  constructor(
    readonly period = 20,
    readonly multiplier = 2,
    readonly atrPeriod = 10,
  ) {
    super('keltner')
    checkInteger('keltner', 'period', period, 1)
    checkReal('keltner', 'multiplier', multiplier, 0)
    checkInteger('keltner', 'atrPeriod', atrPeriod, 1)
    this.ema = new Ema(period)
    this.atr = new Atr(atrPeriod)
  }

  step(high: number, low: number, close: number, commit: boolean): void {
    const mid = this.ema.step(close, commit)
    const band = this.multiplier * this.atr.step(high, low, close, commit)
    const out = this.out
    // NaN while either part warms up: NaN arithmetic carries it through.
    const ok = band === band
    out.middle = ok ? mid : NaN
    out.upper = mid + band
    out.lower = mid - band
  }

  protected compute(bar: Hlc, commit: boolean): ChannelValue {
    this.step(bar.high, bar.low, bar.close, commit)
    return { ...this.out }
  }
}

export function keltner(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 20,
  multiplier = 2,
  atrPeriod = 10,
): ChannelSeries {
  const n = sameLength('keltner', { high, low, close })
  const core = new Keltner(period, multiplier, atrPeriod)
  const res: ChannelSeries = { upper: outputColumn(n), middle: outputColumn(n), lower: outputColumn(n) }
  const out = core.out
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    if (!okHlc(h, l, c)) checkHlc('keltner', h, l, c, i)
    core.step(h, l, c, true)
    res.upper[i] = out.upper
    res.middle[i] = out.middle
    res.lower[i] = out.lower
  }
  return res
}
