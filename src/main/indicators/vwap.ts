import { AppError } from '../../shared/contract/errors'
import { SESSION_ANCHORS, sessionEnd, sessionStart, type SessionAnchor } from './core/sessions'
import { ThlcvIndicator, outputColumn } from './core/streaming'
import type { Thlcv } from './core/types'
import { checkFinite, checkHlc, checkVolume, okHlc, sameLength } from './core/validate'

/**
 * Session-anchored VWAP: Σ(tp × volume)/Σ volume since the start of the bar's session, with
 * tp = (high+low+close)/3 (technicalindicators, TradingView). Sessions are UTC days by default
 * (see SessionAnchor); a bar whose open time falls in a new session starts the sums afresh.
 * NaN while the session has seen no volume. With `none` this is the cumulative VWAP of
 * technicalindicators and trading-signals.
 */
export class Vwap extends ThlcvIndicator {
  private start = NaN
  private end = NaN
  private pv = 0
  private vol = 0

  constructor(readonly anchor: SessionAnchor = 'day') {
    super('vwap')
    if (!SESSION_ANCHORS.includes(anchor)) {
      throw new AppError(
        'validation',
        `vwap: anchor must be one of ${SESSION_ANCHORS.join(', ')}, got ${String(anchor)}`,
        'params.anchor',
      )
    }
  }

  step(time: number, high: number, low: number, close: number, volume: number, commit: boolean): number {
    let pv = this.pv
    let vol = this.vol
    // Only a bar outside the current session costs a boundary computation.
    const fresh = !(time >= this.start && time < this.end)
    if (fresh) {
      pv = 0
      vol = 0
    }
    pv += ((high + low + close) / 3) * volume
    vol += volume
    if (commit) {
      if (fresh) {
        this.start = sessionStart(this.anchor, time)
        this.end = sessionEnd(this.anchor, this.start)
      }
      this.pv = pv
      this.vol = vol
    }
    return vol > 0 ? pv / vol : NaN
  }

  protected compute(bar: Thlcv, commit: boolean): number {
    return this.step(bar.time, bar.high, bar.low, bar.close, bar.volume, commit)
  }
}

export function vwap(
  time: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  anchor: SessionAnchor = 'day',
): Float64Array {
  const n = sameLength('vwap', { time, high, low, close, volume })
  const core = new Vwap(anchor)
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const t = time[i]!
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    const v = volume[i]!
    checkFinite('vwap', 'time', t, i)
    if (!okHlc(h, l, c)) checkHlc('vwap', h, l, c, i)
    checkVolume('vwap', v, i)
    out[i] = core.step(t, h, l, c, v, true)
  }
  return out
}
