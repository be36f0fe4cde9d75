import { trueRange } from './core/true-range'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, okHlc, sameLength } from './core/validate'

export interface AdxValue {
  adx: number
  plusDI: number
  minusDI: number
}

export interface AdxSeries {
  adx: Float64Array
  plusDI: Float64Array
  minusDI: Float64Array
}

/**
 * Average Directional Index with +DI and -DI (Wilder), TA-Lib convention (ADX, PLUS_DI,
 * MINUS_DI):
 * - +DM = up move if it is positive and larger than the down move, else 0 (and vice versa);
 *   equal moves count for neither.
 * - +DM, -DM and TR are summed over bars 1..period-1, then smoothed from bar `period` on as
 *   s = s - s/period + x; +DI = 100 × s(+DM)/s(TR) (0 if s(TR) is 0). DIs start at bar `period`.
 * - DX = 100 × |+DI - -DI|/(+DI + -DI); the first ADX, at bar 2×period - 1, is the mean of the
 *   first `period` DX values, then adx = (adx × (period-1) + dx)/period. While +DI + -DI is 0
 *   DX is undefined: it adds 0 to the first mean and leaves a running ADX unchanged (TA-Lib).
 * (technicalindicators seeds the smoothed sums with `period` bars instead of period-1; its
 * values converge to these after a few dozen periods.)
 */
export class Adx extends HlcIndicator<AdxValue> {
  readonly out: AdxValue = { adx: NaN, plusDI: NaN, minusDI: NaN }
  private count = 0
  private prevHigh = NaN
  private prevLow = NaN
  private prevClose = NaN
  private sPlus = 0
  private sMinus = 0
  private sTr = 0
  private adx = 0

  constructor(readonly period = 14) {
    super('adx')
    checkInteger('adx', 'period', period, 2)
  }

  step(high: number, low: number, close: number, commit: boolean): void {
    const n = this.count
    const p = this.period
    const out = this.out
    out.adx = out.plusDI = out.minusDI = NaN
    if (n === 0) {
      if (commit) this.remember(high, low, close, 1)
      return
    }
    const up = high - this.prevHigh
    const down = this.prevLow - low
    const plusDM = up > 0 && up > down ? up : 0
    const minusDM = down > 0 && down > up ? down : 0
    const tr = trueRange(high, low, this.prevClose)
    let sPlus = this.sPlus
    let sMinus = this.sMinus
    let sTr = this.sTr
    if (n >= p) {
      sPlus -= sPlus / p
      sMinus -= sMinus / p
      sTr -= sTr / p
    }
    sPlus += plusDM
    sMinus += minusDM
    sTr += tr
    let adx = this.adx
    if (n >= p) {
      const plusDI = sTr !== 0 ? 100 * (sPlus / sTr) : 0
      const minusDI = sTr !== 0 ? 100 * (sMinus / sTr) : 0
      const sum = plusDI + minusDI
      const dx = sum !== 0 ? 100 * (Math.abs(minusDI - plusDI) / sum) : NaN
      out.plusDI = plusDI
      out.minusDI = minusDI
      const last = 2 * p - 1
      if (n < last) {
        if (dx === dx) adx += dx
      } else if (n === last) {
        if (dx === dx) adx += dx
        adx /= p
        out.adx = adx
      } else {
        if (dx === dx) adx = (adx * (p - 1) + dx) / p
        out.adx = adx
      }
    }
    if (commit) {
      this.sPlus = sPlus
      this.sMinus = sMinus
      this.sTr = sTr
      this.adx = adx
      this.remember(high, low, close, n + 1)
    }
  }

  private remember(high: number, low: number, close: number, count: number): void {
    this.prevHigh = high
    this.prevLow = low
    this.prevClose = close
    this.count = count
  }

  protected compute(bar: Hlc, commit: boolean): AdxValue {
    this.step(bar.high, bar.low, bar.close, commit)
    return { ...this.out }
  }
}

export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): AdxSeries {
  const n = sameLength('adx', { high, low, close })
  const core = new Adx(period)
  const res: AdxSeries = { adx: outputColumn(n), plusDI: outputColumn(n), minusDI: outputColumn(n) }
  const out = core.out
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    if (!okHlc(h, l, c)) checkHlc('adx', h, l, c, i)
    core.step(h, l, c, true)
    res.adx[i] = out.adx
    res.plusDI[i] = out.plusDI
    res.minusDI[i] = out.minusDI
  }
  return res
}
