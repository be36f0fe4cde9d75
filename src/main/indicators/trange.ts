import { trueRange } from './core/true-range'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, okHlc, sameLength } from './core/validate'

/**
 * True range: max(high, prevClose) - min(low, prevClose). TA-Lib convention: bar 0 has no
 * previous close, so the first value is at bar 1 (NaN at bar 0).
 */
export class TRange extends HlcIndicator {
  private prevClose = NaN

  constructor() {
    super('trange')
  }

  step(high: number, low: number, close: number, commit: boolean): number {
    const tr = trueRange(high, low, this.prevClose)
    if (commit) this.prevClose = close
    return tr
  }

  protected compute(bar: Hlc, commit: boolean): number {
    return this.step(bar.high, bar.low, bar.close, commit)
  }
}

export function trange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = sameLength('trange', { high, low, close })
  const core = new TRange()
  const out = outputColumn(n)
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    if (!okHlc(h, l, c)) checkHlc('trange', h, l, c, i)
    out[i] = core.step(h, l, c, true)
  }
  return out
}
