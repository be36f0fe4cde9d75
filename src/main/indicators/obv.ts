import { AppError } from '../../shared/contract/errors'
import { CvIndicator, outputColumn } from './core/streaming'
import type { Cv } from './core/types'
import { checkFinite, checkVolume, sameLength } from './core/validate'

/**
 * Where OBV starts on bar 0.
 * - `volume` (default, TA-Lib): OBV[0] = volume[0].
 * - `zero` (technicalindicators, TradingView): OBV[0] = 0. Every later value is lower by
 *   volume[0], nothing else changes.
 */
export type ObvStart = 'volume' | 'zero'
export const OBV_STARTS: readonly ObvStart[] = ['volume', 'zero']

/** On-Balance Volume: adds the bar's volume when the close rose, subtracts it when it fell. */
export class Obv extends CvIndicator {
  private count = 0
  private prevClose = NaN
  private value = 0

  constructor(readonly start: ObvStart = 'volume') {
    super('obv')
    if (!OBV_STARTS.includes(start)) {
      throw new AppError(
        'validation',
        `obv: start must be one of ${OBV_STARTS.join(', ')}, got ${String(start)}`,
        'params.start',
      )
    }
  }

  step(close: number, volume: number, commit: boolean): number {
    let v: number
    if (this.count === 0) v = this.start === 'volume' ? volume : 0
    else if (close > this.prevClose) v = this.value + volume
    else if (close < this.prevClose) v = this.value - volume
    else v = this.value
    if (commit) {
      this.value = v
      this.prevClose = close
      this.count++
    }
    return v
  }

  protected compute(bar: Cv, commit: boolean): number {
    return this.step(bar.close, bar.volume, commit)
  }
}

export function obv(close: Float64Array, volume: Float64Array, start: ObvStart = 'volume'): Float64Array {
  const n = sameLength('obv', { close, volume })
  const core = new Obv(start)
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const c = close[i]!
    const v = volume[i]!
    checkFinite('obv', 'close', c, i)
    checkVolume('obv', v, i)
    out[i] = core.step(c, v, true)
  }
  return out
}
