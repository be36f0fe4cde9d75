import { RollingMax, RollingMin } from './core/rolling-extremes'
import { HlcIndicator, outputColumn } from './core/streaming'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, okHlc, sameLength } from './core/validate'

export interface IchimokuValue {
  conversion: number
  base: number
  spanA: number
  spanB: number
  lagging: number
}

export interface IchimokuSeries {
  conversion: Float64Array
  base: Float64Array
  spanA: Float64Array
  spanB: Float64Array
  lagging: Float64Array
}

/**
 * Ichimoku Kinko Hyo. conversion (tenkan) = midpoint of the highest high and lowest low of the
 * last `conversion` bars; base (kijun) likewise over `base` bars; spanA = (conversion+base)/2;
 * spanB = midpoint over `spanB` bars; lagging (chikou) = the close.
 *
 * Every value is reported on the bar it is computed from, so no output depends on later bars
 * (like technicalindicators and trading-signals). A chart draws spanA and spanB
 * `displacement - 1` bars to the right and the lagging span `displacement - 1` bars to the left
 * (TradingView's offsets); the registry carries those offsets. Each line has its own warm-up:
 * conversion from bar conversion-1, base and spanA from base-1, spanB from spanB-1, lagging from 0.
 */
export class Ichimoku extends HlcIndicator<IchimokuValue> {
  readonly out: IchimokuValue = { conversion: NaN, base: NaN, spanA: NaN, spanB: NaN, lagging: NaN }
  private readonly convHi: RollingMax
  private readonly convLo: RollingMin
  private readonly baseHi: RollingMax
  private readonly baseLo: RollingMin
  private readonly spanHi: RollingMax
  private readonly spanLo: RollingMin
  private count = 0

  constructor(
    readonly conversion = 9,
    readonly base = 26,
    readonly spanB = 52,
    readonly displacement = 26,
  ) {
    super('ichimoku')
    checkInteger('ichimoku', 'conversion', conversion, 1)
    checkInteger('ichimoku', 'base', base, 1)
    checkInteger('ichimoku', 'spanB', spanB, 1)
    checkInteger('ichimoku', 'displacement', displacement, 1)
    this.convHi = new RollingMax(conversion)
    this.convLo = new RollingMin(conversion)
    this.baseHi = new RollingMax(base)
    this.baseLo = new RollingMin(base)
    this.spanHi = new RollingMax(spanB)
    this.spanLo = new RollingMin(spanB)
  }

  step(high: number, low: number, close: number, commit: boolean): void {
    const n = this.count
    if (commit) this.count = n + 1
    const conv = (this.convHi.step(high, commit) + this.convLo.step(low, commit)) / 2
    const base = (this.baseHi.step(high, commit) + this.baseLo.step(low, commit)) / 2
    const span = (this.spanHi.step(high, commit) + this.spanLo.step(low, commit)) / 2
    const out = this.out
    out.conversion = n >= this.conversion - 1 ? conv : NaN
    out.base = n >= this.base - 1 ? base : NaN
    out.spanA = (out.conversion + out.base) / 2
    out.spanB = n >= this.spanB - 1 ? span : NaN
    out.lagging = close
  }

  protected compute(bar: Hlc, commit: boolean): IchimokuValue {
    this.step(bar.high, bar.low, bar.close, commit)
    return { ...this.out }
  }
}

export function ichimoku(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  conversion = 9,
  base = 26,
  spanB = 52,
  displacement = 26,
): IchimokuSeries {
  const n = sameLength('ichimoku', { high, low, close })
  const core = new Ichimoku(conversion, base, spanB, displacement)
  const res: IchimokuSeries = {
    conversion: outputColumn(n),
    base: outputColumn(n),
    spanA: outputColumn(n),
    spanB: outputColumn(n),
    lagging: outputColumn(n),
  }
  const out = core.out
  for (let i = 0; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    if (!okHlc(h, l, c)) checkHlc('ichimoku', h, l, c, i)
    core.step(h, l, c, true)
    res.conversion[i] = out.conversion
    res.base[i] = out.base
    res.spanA[i] = out.spanA
    res.spanB[i] = out.spanB
    res.lagging[i] = out.lagging
  }
  return res
}
