import { FastK, rawK, type StochSeries, type StochValue } from './stoch'
import { latestExtremeIndex } from './core/rolling-extremes'
import { Sma } from './sma'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, okHlc, sameLength } from './core/validate'

/**
 * Fast stochastic, TA-Lib STOCHF (equal to technicalindicators' "Stochastic" and to the
 * percK/percD lines of backtrader's StochasticFull): k = raw %K(period), d = SMA(dPeriod) of k.
 * Both outputs start together, as in TA-Lib, at bar (period-1) + (dPeriod-1).
 */
export class StochF extends HlcIndicator<StochValue> {
  readonly out: StochValue = { k: NaN, d: NaN }
  private readonly fastK: FastK
  private readonly dSma: Sma
  private readonly lookback: number
  private count = 0

  constructor(
    readonly period = 14,
    readonly dPeriod = 3,
  ) {
    super('stochf')
    checkInteger('stochf', 'period', period, 1)
    checkInteger('stochf', 'dPeriod', dPeriod, 1)
    this.fastK = new FastK(period)
    this.dSma = new Sma(dPeriod)
    this.lookback = period - 1 + dPeriod - 1
  }

  step(high: number, low: number, close: number, commit: boolean): void {
    const n = this.count
    if (commit) this.count = n + 1
    const k = this.fastK.step(high, low, close, commit)
    const d = n >= this.period - 1 ? this.dSma.step(k, commit) : NaN
    const ready = n >= this.lookback
    this.out.k = ready ? k : NaN
    this.out.d = ready ? d : NaN
  }

  protected compute(bar: Hlc, commit: boolean): StochValue {
    this.step(bar.high, bar.low, bar.close, commit)
    return { ...this.out }
  }
}

export function stochf(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
  dPeriod = 3,
): StochSeries {
  const n = sameLength('stochf', { high, low, close })
  new StochF(period, dPeriod) // validates the parameters
  const dSma = new Sma(dPeriod)
  const lookback = period - 1 + dPeriod - 1
  const res: StochSeries = { k: outputColumn(n), d: outputColumn(n) }
  let hh = -Infinity
  let hAt = -1
  let ll = Infinity
  let lAt = -1
  for (let i = 0; i < n; i++) {
    const c = close[i]!
    const h = high[i]!
    const l = low[i]!
    if (!okHlc(h, l, c)) checkHlc('stochf', h, l, c, i)
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
    const k = rawK(hh, ll, c)
    const d = i >= period - 1 ? dSma.step(k, true) : NaN
    const ready = i >= lookback
    res.k[i] = ready ? k : NaN
    res.d[i] = ready ? d : NaN
  }
  return res
}
