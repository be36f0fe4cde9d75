import { AppError } from '../../shared/contract/errors'
import type { Candle } from '../../shared/domain/candles'
import type { SignalProfile } from '../../shared/domain/signals'
import type { Timeframe } from '../../shared/domain/timeframes'
import { Adx, Atr, BBands, Ema, Macd, Mfi, Obv, Rsi, Sma, Stoch } from '../indicators'
import {
  adxStrength,
  bollingerTerm,
  macdTerm,
  mfiTerm,
  obvTerm,
  rsiTerm,
  stochTerm,
  trendCrossTerm,
  trendDiTerm,
  trendPriceTerm,
  weightedMean,
} from './mapping'

/**
 * A higher timeframe's own (raw) deviation as of the bar being scored; null before it is warm.
 * Built by SymbolBook from that timeframe's Readings, read by evaluate.ts and reasons.ts.
 */
export interface HigherView {
  timeframe: Timeframe
  dev: number | null
}

/**
 * What one closed bar of one (symbol, timeframe) reads: the indicator values, each term's
 * deviation in [-1, 1] (NaN when the profile leaves the term out), each component's deviation
 * (NaN when its weight is 0) and the raw deviation of the timeframe. Only produced once every
 * indicator the profile uses is past its warm-up.
 */
export interface Readings {
  /** Open time of the bar. */
  time: number
  open: number
  close: number
  atr: number
  emaFast: number
  emaSlow: number
  adx: number
  plusDI: number
  minusDI: number
  rsi: number
  macdHistogram: number
  /** The histogram one bar earlier (NaN on its first bar): for "crossed" reasons. */
  prevMacdHistogram: number
  stochK: number
  percentB: number
  /** Bollinger bandwidth over its average of the last `widthAverage` bars. */
  widthRatio: number
  mfi: number
  /** Net on-balance volume over the lookback as a share of the volume traded (-1..1). */
  obvFlow: number
  /** This bar's volume over the average of the last `volumeAverage` bars (this one included). */
  relVolume: number
  terms: {
    price: number
    cross: number
    di: number
    rsi: number
    macd: number
    stoch: number
    bollinger: number
    mfi: number
    obv: number
  }
  devs: { trend: number; momentum: number; volatility: number; volume: number }
  /** Weighted mean of the component deviations: the timeframe's own view. */
  raw: number
}

/** Fixed-size ring of the last `size` values. */
class Ring {
  private readonly buf: Float64Array
  private next = 0
  count = 0
  constructor(readonly size: number) {
    this.buf = new Float64Array(size)
  }
  push(x: number): void {
    this.buf[this.next] = x
    this.next = this.next + 1 === this.size ? 0 : this.next + 1
    if (this.count < this.size) this.count++
  }
  /** The value pushed `k` pushes ago (0 = the newest); requires k < count. */
  ago(k: number): number {
    let i = this.next - 1 - k
    if (i < 0) i += this.size
    return this.buf[i]!
  }
  /** Sum of the newest `k` values, added newest first (exact for integer volumes). */
  sumNewest(k: number): number {
    let s = 0
    for (let j = 0; j < k; j++) s += this.ago(j)
    return s
  }
}

const on = (componentWeight: number, termWeight: number): boolean => componentWeight > 0 && termWeight > 0

/** Rejects a bar every indicator would reject, before any of them commits it. */
export function checkBar(bar: Candle): void {
  const { open, high, low, close, volume } = bar
  const finite =
    Number.isFinite(bar.time) &&
    Number.isFinite(open) &&
    Number.isFinite(high) &&
    Number.isFinite(low) &&
    Number.isFinite(close) &&
    Number.isFinite(volume)
  if (!finite || high < low || volume < 0) {
    throw new AppError(
      'validation',
      `signals: bad bar at ${bar.time} (${open}/${high}/${low}/${close}/${volume})`,
    )
  }
}

/**
 * The streaming state of one symbol and timeframe for one profile: the library's streaming
 * indicators, updated once per closed bar. Only the indicators the profile gives weight to are
 * created. `update` commits a bar and returns its readings, or null during warm-up.
 */
export class SignalState {
  private readonly atr: Atr
  private readonly adx: Adx
  private readonly emaFast: Ema | null
  private readonly emaSlow: Ema | null
  private readonly rsi: Rsi | null
  private readonly macd: Macd | null
  private readonly stoch: Stoch | null
  private readonly bb: BBands | null
  private readonly width: Sma | null
  private readonly mfi: Mfi | null
  private readonly obv: Obv | null
  private readonly obvs: Ring | null
  private readonly volumes: Ring
  private readonly volAvg: Sma
  private prevHist = NaN
  private readonly trendWeights: number[]
  private readonly momentumWeights: number[]
  private readonly volumeWeights: number[]
  private readonly componentWeights: number[]
  /** Bars committed so far. */
  bars = 0

  constructor(readonly profile: SignalProfile) {
    const p = profile
    const w = p.weights
    this.atr = new Atr(p.atrPeriod)
    this.adx = new Adx(p.trend.adxPeriod)
    const t = p.trend.terms
    const needEmas = on(w.trend, t.price) || on(w.trend, t.cross)
    this.emaSlow = needEmas ? new Ema(p.trend.emaSlow) : null
    this.emaFast = on(w.trend, t.cross) ? new Ema(p.trend.emaFast) : null
    const m = p.momentum
    this.rsi = on(w.momentum, m.terms.rsi) ? new Rsi(m.rsiPeriod) : null
    this.macd = on(w.momentum, m.terms.macd) ? new Macd(m.macd) : null
    this.stoch = on(w.momentum, m.terms.stoch)
      ? new Stoch(m.stoch.period, m.stoch.kSmooth, m.stoch.dPeriod)
      : null
    const v = p.volatility
    this.bb = on(w.volatility, v.terms.bollinger) ? new BBands(v.bbPeriod, v.bbMult) : null
    this.width = this.bb ? new Sma(v.widthAverage) : null
    const vo = p.volume
    this.mfi = on(w.volume, vo.terms.mfi) ? new Mfi(vo.mfiPeriod) : null
    this.obv = on(w.volume, vo.terms.obv) ? new Obv() : null
    this.obvs = this.obv ? new Ring(vo.obvLookback + 1) : null
    this.volumes = new Ring(Math.max(vo.obvLookback, vo.mfiPeriod))
    this.volAvg = new Sma(vo.volumeAverage)
    this.trendWeights = [t.price, t.cross, t.di]
    this.momentumWeights = [m.terms.rsi, m.terms.macd, m.terms.stoch]
    this.volumeWeights = [vo.terms.mfi, vo.terms.obv]
    this.componentWeights = [w.trend, w.momentum, w.volatility, w.volume]
  }

  update(bar: Candle): Readings | null {
    checkBar(bar)
    this.bars++
    const p = this.profile
    const atr = this.atr.update(bar)
    const adx = this.adx.update(bar)
    const emaSlow = this.emaSlow ? this.emaSlow.update(bar.close) : NaN
    const emaFast = this.emaFast ? this.emaFast.update(bar.close) : NaN
    const rsi = this.rsi ? this.rsi.update(bar.close) : NaN
    let hist = NaN
    if (this.macd) hist = this.macd.update(bar.close).histogram
    const prevHist = this.prevHist
    this.prevHist = hist
    const stochK = this.stoch ? this.stoch.update(bar).k : NaN
    let percentB = NaN
    let widthRatio = NaN
    if (this.bb && this.width) {
      const b = this.bb.update(bar.close)
      percentB = b.percentB
      // The average starts with the first finite bandwidth (Sma rejects NaN inputs).
      if (Number.isFinite(b.bandwidth)) {
        const avg = this.width.update(b.bandwidth)
        widthRatio = avg > 0 ? b.bandwidth / avg : avg === 0 ? 1 : NaN
      }
    }
    this.volumes.push(bar.volume)
    const mfi = this.mfi ? this.mfi.update(bar) : NaN
    let obvFlow = NaN
    if (this.obv && this.obvs) {
      this.obvs.push(this.obv.update(bar))
      const n = p.volume.obvLookback
      if (this.obvs.count > n)
        obvFlow = obvTerm(this.obvs.ago(0) - this.obvs.ago(n), this.volumes.sumNewest(n))
    }
    const avgVolume = this.volAvg.update(bar.volume)
    const relVolume = avgVolume > 0 ? bar.volume / avgVolume : avgVolume === 0 ? 1 : NaN

    // Warm-up: every indicator in use must have a value.
    if (atr !== atr || adx.adx !== adx.adx) return null
    if (this.emaSlow && emaSlow !== emaSlow) return null
    if (this.emaFast && emaFast !== emaFast) return null
    if (this.rsi && rsi !== rsi) return null
    if (this.macd && hist !== hist) return null
    if (this.stoch && stochK !== stochK) return null
    if (this.bb && (percentB !== percentB || widthRatio !== widthRatio)) return null
    if (this.mfi && mfi !== mfi) return null
    if (this.obv && obvFlow !== obvFlow) return null

    const w = p.weights
    const tt = p.trend.terms
    // With no volume at all in the MFI window, MFI reads 0: that is no flow, not selling.
    const mfiFlowless = mfi === 0 && this.volumes.sumNewest(p.volume.mfiPeriod) === 0
    const terms = {
      price: on(w.trend, tt.price) ? trendPriceTerm(bar.close, emaSlow, atr) : NaN,
      cross: on(w.trend, tt.cross) ? trendCrossTerm(emaFast, emaSlow, atr) : NaN,
      di: on(w.trend, tt.di) ? trendDiTerm(adx.plusDI, adx.minusDI) : NaN,
      rsi: this.rsi ? rsiTerm(rsi) : NaN,
      macd: this.macd ? macdTerm(hist, atr, p.momentum.macdScale) : NaN,
      stoch: this.stoch ? stochTerm(stochK) : NaN,
      bollinger: this.bb ? bollingerTerm(percentB, widthRatio) : NaN,
      mfi: this.mfi ? (mfiFlowless ? 0 : mfiTerm(mfi)) : NaN,
      obv: this.obv ? obvFlow : NaN,
    }
    const trendBias = weightedMean([terms.price, terms.cross, terms.di], this.trendWeights)
    const devs = {
      trend: w.trend > 0 ? trendBias * adxStrength(adx.adx) : NaN,
      momentum:
        w.momentum > 0 ? weightedMean([terms.rsi, terms.macd, terms.stoch], this.momentumWeights) : NaN,
      volatility: w.volatility > 0 ? terms.bollinger : NaN,
      volume: w.volume > 0 ? weightedMean([terms.mfi, terms.obv], this.volumeWeights) : NaN,
    }
    const raw = weightedMean([devs.trend, devs.momentum, devs.volatility, devs.volume], this.componentWeights)
    return {
      time: bar.time,
      open: bar.open,
      close: bar.close,
      atr,
      emaFast,
      emaSlow,
      adx: adx.adx,
      plusDI: adx.plusDI,
      minusDI: adx.minusDI,
      rsi,
      macdHistogram: hist,
      prevMacdHistogram: prevHist,
      stochK,
      percentB,
      widthRatio,
      mfi,
      obvFlow,
      relVolume,
      terms,
      devs,
      raw,
    }
  }
}
