import { AppError } from '../../shared/contract/errors'
import { HlIndicator, outputColumn } from './core/streaming'
import type { Hl } from './core/types'
import { checkHl, checkReal, okHl, sameLength } from './core/validate'

/**
 * Parabolic SAR (Wilder), TA-Lib SAR's algorithm:
 * - First value at bar 1. The start is short if bar 1's down move (low[0] - low[1]) is positive
 *   and larger than its up move, long otherwise; a long start takes SAR = low[0] and extreme
 *   point = high[1], a short one SAR = high[0] and EP = low[1].
 * - Each bar outputs the SAR computed the bar before. A low at or below a long SAR (high at or
 *   above a short one) reverses: the SAR becomes the extreme point, kept outside this and the
 *   previous bar's range, and the acceleration restarts at `acceleration`.
 * - The acceleration grows by `acceleration` with each new extreme, up to `maximum`; the next
 *   SAR never enters this or the previous bar's range.
 * Checked against Wilder's own worked example (from TA-Lib's regression test).
 */
export class Sar extends HlIndicator {
  private count = 0
  private isLong = true
  private sar = NaN
  private ep = NaN
  private af = 0
  private prevHigh = NaN
  private prevLow = NaN

  constructor(
    readonly acceleration = 0.02,
    readonly maximum = 0.2,
  ) {
    super('sar')
    checkReal('sar', 'acceleration', acceleration, 0, { exclusive: true })
    checkReal('sar', 'maximum', maximum, 0, { exclusive: true })
    if (acceleration > maximum) {
      throw new AppError(
        'validation',
        `sar: acceleration (${acceleration}) must not exceed maximum (${maximum})`,
        'params.acceleration',
      )
    }
  }

  step(high: number, low: number, commit: boolean): number {
    const n = this.count
    if (n === 0) {
      if (commit) {
        this.prevHigh = high
        this.prevLow = low
        this.count = 1
      }
      return NaN
    }
    const step = this.acceleration
    const max = this.maximum
    let isLong = this.isLong
    let sar = this.sar
    let ep = this.ep
    let af = this.af
    // On bar 1 TA-Lib uses bar 1 itself as "yesterday" once the start is set up.
    let prevHigh = this.prevHigh
    let prevLow = this.prevLow
    if (n === 1) {
      const upMove = high - prevHigh
      const downMove = prevLow - low
      isLong = !(downMove > 0 && upMove < downMove)
      sar = isLong ? prevLow : prevHigh
      ep = isLong ? high : low
      af = step
      prevHigh = high
      prevLow = low
    }
    let out: number
    if (isLong) {
      if (low <= sar) {
        isLong = false
        sar = ep
        if (sar < prevHigh) sar = prevHigh
        if (sar < high) sar = high
        out = sar
        af = step
        ep = low
        sar = sar + af * (ep - sar)
        if (sar < prevHigh) sar = prevHigh
        if (sar < high) sar = high
      } else {
        out = sar
        if (high > ep) {
          ep = high
          af += step
          if (af > max) af = max
        }
        sar = sar + af * (ep - sar)
        if (sar > prevLow) sar = prevLow
        if (sar > low) sar = low
      }
    } else if (high >= sar) {
      isLong = true
      sar = ep
      if (sar > prevLow) sar = prevLow
      if (sar > low) sar = low
      out = sar
      af = step
      ep = high
      sar = sar + af * (ep - sar)
      if (sar > prevLow) sar = prevLow
      if (sar > low) sar = low
    } else {
      out = sar
      if (low < ep) {
        ep = low
        af += step
        if (af > max) af = max
      }
      sar = sar + af * (ep - sar)
      if (sar < prevHigh) sar = prevHigh
      if (sar < high) sar = high
    }
    if (commit) {
      this.isLong = isLong
      this.sar = sar
      this.ep = ep
      this.af = af
      this.prevHigh = high
      this.prevLow = low
      this.count = n + 1
    }
    return out
  }

  protected compute(bar: Hl, commit: boolean): number {
    return this.step(bar.high, bar.low, commit)
  }
}

export function sar(high: Float64Array, low: Float64Array, acceleration = 0.02, maximum = 0.2): Float64Array {
  const n = sameLength('sar', { high, low })
  const core = new Sar(acceleration, maximum)
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    if (!okHl(h, l)) checkHl('sar', h, l, i)
    out[i] = core.step(h, l, true)
  }
  return out
}
