import { FastK, type StochSeries, type StochValue } from './stoch'
import { Rsi } from './rsi'
import { Sma } from './sma'
import { ValueIndicator, outputColumn } from './core/streaming'
import { checkFinite, checkInteger } from './core/validate'

/**
 * Stochastic RSI (Chande & Kroll), TradingView / technicalindicators layout:
 * raw = 100 × (rsi - lowest rsi)/(highest rsi - lowest rsi) over `stochPeriod` RSI values
 * (0 when they are all equal, TA-Lib's convention), k = SMA(kPeriod) of raw, d = SMA(dPeriod)
 * of k. RSI is Rsi (TA-Lib/Wilder). Both outputs start together at bar
 * rsiPeriod + (stochPeriod-1) + (kPeriod-1) + (dPeriod-1). With kPeriod = 1 this is TA-Lib
 * STOCHRSI(rsiPeriod, stochPeriod, dPeriod); trading-signals reports raw as a fraction.
 */
export class StochRsi extends ValueIndicator<StochValue> {
  readonly out: StochValue = { k: NaN, d: NaN }
  private readonly rsi: Rsi
  private readonly fastK: FastK
  private readonly kSma: Sma
  private readonly dSma: Sma
  private readonly lookback: number
  private count = 0

  constructor(
    readonly rsiPeriod = 14,
    readonly stochPeriod = 14,
    readonly kPeriod = 3,
    readonly dPeriod = 3,
  ) {
    super('stochrsi')
    checkInteger('stochrsi', 'rsiPeriod', rsiPeriod, 2)
    checkInteger('stochrsi', 'stochPeriod', stochPeriod, 1)
    checkInteger('stochrsi', 'kPeriod', kPeriod, 1)
    checkInteger('stochrsi', 'dPeriod', dPeriod, 1)
    this.rsi = new Rsi(rsiPeriod)
    this.fastK = new FastK(stochPeriod)
    this.kSma = new Sma(kPeriod)
    this.dSma = new Sma(dPeriod)
    this.lookback = rsiPeriod + stochPeriod - 1 + kPeriod - 1 + dPeriod - 1
  }

  step(x: number, commit: boolean): void {
    const n = this.count
    if (commit) this.count = n + 1
    let k = NaN
    let d = NaN
    const r = this.rsi.step(x, commit)
    if (r === r) {
      const raw = this.fastK.step(r, r, r, commit)
      if (n >= this.rsiPeriod + this.stochPeriod - 1) {
        k = this.kSma.step(raw, commit)
        if (k === k) d = this.dSma.step(k, commit)
      }
    }
    const ready = n >= this.lookback
    this.out.k = ready ? k : NaN
    this.out.d = ready ? d : NaN
  }

  protected compute(x: number, commit: boolean): StochValue {
    this.step(x, commit)
    return { ...this.out }
  }
}

export function stochrsi(
  values: Float64Array,
  rsiPeriod = 14,
  stochPeriod = 14,
  kPeriod = 3,
  dPeriod = 3,
): StochSeries {
  const core = new StochRsi(rsiPeriod, stochPeriod, kPeriod, dPeriod)
  const n = values.length
  const res: StochSeries = { k: outputColumn(n), d: outputColumn(n) }
  const out = core.out
  for (let i = 0; i < n; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) checkFinite('stochrsi', 'value', x, i)
    core.step(x, true)
    res.k[i] = out.k
    res.d[i] = out.d
  }
  return res
}
