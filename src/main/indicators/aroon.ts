import { RollingMax, RollingMin } from './core/rolling-extremes'
import { HlIndicator, outputColumn } from './core/streaming'
import type { Hl } from './core/types'
import { checkHl, checkInteger, okHl, sameLength } from './core/validate'

export interface AroonValue {
  up: number
  down: number
  oscillator: number
}

export interface AroonSeries {
  up: Float64Array
  down: Float64Array
  oscillator: Float64Array
}

/**
 * Aroon (Chande), TA-Lib AROON/AROONOSC: over the last period+1 bars, up = 100 × (period -
 * bars since the highest high)/period, down likewise with the lowest low; oscillator = up -
 * down. On ties the most recent extreme counts. First value at bar `period`.
 */
export class Aroon extends HlIndicator<AroonValue> {
  readonly out: AroonValue = { up: NaN, down: NaN, oscillator: NaN }
  private readonly hi: RollingMax
  private readonly lo: RollingMin
  private readonly factor: number
  private count = 0

  constructor(readonly period = 14) {
    super('aroon')
    checkInteger('aroon', 'period', period, 1)
    this.hi = new RollingMax(period + 1)
    this.lo = new RollingMin(period + 1)
    this.factor = 100 / period
  }

  step(high: number, low: number, commit: boolean): void {
    const n = this.count
    if (commit) this.count = n + 1
    this.hi.step(high, commit)
    this.lo.step(low, commit)
    const out = this.out
    if (n < this.period) {
      out.up = out.down = out.oscillator = NaN
      return
    }
    const up = this.factor * (this.period - (n - this.hi.at))
    const down = this.factor * (this.period - (n - this.lo.at))
    out.up = up
    out.down = down
    out.oscillator = up - down
  }

  protected compute(bar: Hl, commit: boolean): AroonValue {
    this.step(bar.high, bar.low, commit)
    return { ...this.out }
  }
}

export function aroon(high: Float64Array, low: Float64Array, period = 14): AroonSeries {
  const n = sameLength('aroon', { high, low })
  const core = new Aroon(period)
  const res: AroonSeries = { up: outputColumn(n), down: outputColumn(n), oscillator: outputColumn(n) }
  const out = core.out
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    if (!okHl(h, l)) checkHl('aroon', h, l, i)
    core.step(h, l, true)
    res.up[i] = out.up
    res.down[i] = out.down
    res.oscillator[i] = out.oscillator
  }
  return res
}
