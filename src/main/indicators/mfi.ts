import { HlcvIndicator, outputColumn } from './core/streaming'
import type { Hlcv } from './core/types'
import { checkHlc, checkInteger, checkVolume, okHlc, sameLength } from './core/validate'

/**
 * Money Flow Index, TA-Lib convention: tp = (high+low+close)/3, flow = tp × volume, counted as
 * positive when tp rose from the previous bar, negative when it fell, not at all when equal;
 * mfi = 100 × positive/(positive+negative) over the last `period` bars. First value at bar
 * `period` (technicalindicators starts one bar later). 0 when there was no money flow at all
 * (TA-Lib returns 0 whenever the total is below 1.0; we only when it is 0).
 * Running sums are reset to exactly 0 whenever their window holds no flow of that sign, so
 * rounding residue can never pose as money flow.
 */
export class Mfi extends HlcvIndicator {
  private readonly posBuf: Float64Array
  private readonly negBuf: Float64Array
  private pos = 0
  private count = 0
  private prevTp = NaN
  private posSum = 0
  private negSum = 0
  private posBars = 0
  private negBars = 0

  constructor(readonly period = 14) {
    super('mfi')
    checkInteger('mfi', 'period', period, 1)
    this.posBuf = new Float64Array(period)
    this.negBuf = new Float64Array(period)
  }

  step(high: number, low: number, close: number, volume: number, commit: boolean): number {
    const n = this.count
    const p = this.period
    const tp = (high + low + close) / 3
    if (n === 0) {
      if (commit) {
        this.prevTp = tp
        this.count = 1
      }
      return NaN
    }
    const flow = tp * volume
    const up = tp > this.prevTp ? flow : 0
    const down = tp < this.prevTp ? flow : 0
    const slot = this.pos
    // Bars 1..period fill the ring; from then on the oldest flow leaves as a new one enters.
    const oldUp = n > p ? this.posBuf[slot]! : 0
    const oldDown = n > p ? this.negBuf[slot]! : 0
    const posBars = this.posBars + (up > 0 ? 1 : 0) - (oldUp > 0 ? 1 : 0)
    const negBars = this.negBars + (down > 0 ? 1 : 0) - (oldDown > 0 ? 1 : 0)
    const posSum = posBars > 0 ? this.posSum + up - oldUp : 0
    const negSum = negBars > 0 ? this.negSum + down - oldDown : 0
    if (commit) {
      this.posBuf[slot] = up
      this.negBuf[slot] = down
      this.pos = slot + 1 === p ? 0 : slot + 1
      this.posSum = posSum
      this.negSum = negSum
      this.posBars = posBars
      this.negBars = negBars
      this.prevTp = tp
      this.count = n + 1
    }
    if (n < p) return NaN
    const total = posSum + negSum
    return total > 0 ? 100 * (posSum / total) : 0
  }

  protected compute(bar: Hlcv, commit: boolean): number {
    return this.step(bar.high, bar.low, bar.close, bar.volume, commit)
  }
}

export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period = 14,
): Float64Array {
  const n = sameLength('mfi', { high, low, close, volume })
  const core = new Mfi(period)
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    const v = volume[i]!
    if (!okHlc(h, l, c)) checkHlc('mfi', h, l, c, i)
    checkVolume('mfi', v, i)
    out[i] = core.step(h, l, c, v, true)
  }
  return out
}
