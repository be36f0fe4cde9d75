import { RollingMax, RollingMin, latestExtremeIndex } from './core/rolling-extremes'
import { Sma } from './sma'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, okHlc, sameLength } from './core/validate'

export interface StochValue {
  k: number
  d: number
}

export interface StochSeries {
  k: Float64Array
  d: Float64Array
}

/**
 * Raw (fast) %K over `period` bars: 100 × (close - lowest low)/(highest high - lowest low),
 * 0 when the range is 0 (TA-Lib). Shared by Stoch, StochF and StochRsi.
 */
export class FastK {
  private readonly hi: RollingMax
  private readonly lo: RollingMin

  constructor(readonly period: number) {
    this.hi = new RollingMax(period)
    this.lo = new RollingMin(period)
  }

  step(high: number, low: number, close: number, commit: boolean): number {
    return rawK(this.hi.step(high, commit), this.lo.step(low, commit), close)
  }
}

/** Raw %K from the window's highest high and lowest low (TA-Lib's operations). */
export function rawK(hh: number, ll: number, close: number): number {
  const diff = (hh - ll) / 100
  return diff !== 0 ? (close - ll) / diff : 0
}

/**
 * Slow stochastic, TA-Lib STOCH with SMA smoothing (also backtrader's Stochastic):
 * k = SMA(kSmooth) of raw %K(period), d = SMA(dPeriod) of k. Both outputs start together, as
 * in TA-Lib, at bar (period-1) + (kSmooth-1) + (dPeriod-1): bar 17 for 14,3,3.
 * technicalindicators' "Stochastic" is the fast one: see StochF.
 */
export class Stoch extends HlcIndicator<StochValue> {
  readonly out: StochValue = { k: NaN, d: NaN }
  private readonly fastK: FastK
  private readonly kSma: Sma
  private readonly dSma: Sma
  private readonly lookback: number
  private count = 0

  constructor(
    readonly period = 14,
    readonly kSmooth = 3,
    readonly dPeriod = 3,
  ) {
    super('stoch')
    checkInteger('stoch', 'period', period, 1)
    checkInteger('stoch', 'kSmooth', kSmooth, 1)
    checkInteger('stoch', 'dPeriod', dPeriod, 1)
    this.fastK = new FastK(period)
    this.kSma = new Sma(kSmooth)
    this.dSma = new Sma(dPeriod)
    this.lookback = period - 1 + kSmooth - 1 + dPeriod - 1
  }

  step(high: number, low: number, close: number, commit: boolean): void {
    const n = this.count
    if (commit) this.count = n + 1
    const raw = this.fastK.step(high, low, close, commit)
    let k = NaN
    let d = NaN
    if (n >= this.period - 1) {
      k = this.kSma.step(raw, commit)
      if (k === k) d = this.dSma.step(k, commit)
    }
    const ready = n >= this.lookback
    this.out.k = ready ? k : NaN
    this.out.d = ready ? d : NaN
  }

  protected compute(bar: Hlc, commit: boolean): StochValue {
    this.step(bar.high, bar.low, bar.close, commit)
    return { ...this.out }
  }
}

export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
  kSmooth = 3,
  dPeriod = 3,
): StochSeries {
  // The steps of Stoch.step with local state; window extremes by rescanning (see latestExtremeIndex).
  const n = sameLength('stoch', { high, low, close })
  new Stoch(period, kSmooth, dPeriod) // validates the parameters
  const lookback = period - 1 + kSmooth - 1 + dPeriod - 1
  const res: StochSeries = { k: outputColumn(n), d: outputColumn(n) }
  // The two SMAs, as in Sma.step: zeroed rings, sum = sum + x - leaving.
  const kRing = new Float64Array(kSmooth)
  const dRing = new Float64Array(dPeriod)
  let kSum = 0
  let kPos = 0
  let kCount = 0
  let dSum = 0
  let dPos = 0
  let dCount = 0
  let hh = -Infinity
  let hAt = -1
  let ll = Infinity
  let lAt = -1
  for (let i = 0; i < n; i++) {
    const c = close[i]!
    const h = high[i]!
    const l = low[i]!
    if (!okHlc(h, l, c)) checkHlc('stoch', h, l, c, i)
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
    let k = NaN
    let d = NaN
    if (i >= period - 1) {
      const raw = rawK(hh, ll, c)
      kSum = kSum + raw - kRing[kPos]!
      kRing[kPos] = raw
      kPos = kPos + 1 === kSmooth ? 0 : kPos + 1
      k = ++kCount >= kSmooth ? kSum / kSmooth : NaN
      if (k === k) {
        dSum = dSum + k - dRing[dPos]!
        dRing[dPos] = k
        dPos = dPos + 1 === dPeriod ? 0 : dPos + 1
        d = ++dCount >= dPeriod ? dSum / dPeriod : NaN
      }
    }
    const ready = i >= lookback
    res.k[i] = ready ? k : NaN
    res.d[i] = ready ? d : NaN
  }
  return res
}
