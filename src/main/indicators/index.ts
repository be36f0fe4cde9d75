/**
 * Candlework's indicator library. Every indicator comes in two forms with identical results:
 * - batch: `sma(close, 20)` and friends take Float64Array columns and return Float64Array
 *   columns, NaN during warm-up;
 * - streaming: `new Sma(20)` with `update(bar)` per closed bar and a non-committing
 *   `preview(bar)` for the forming bar.
 * Both run the same arithmetic (hot batch loops repeat `step`'s operations with local
 * variables); properties.test.ts proves them bit-identical. Defaults follow TA-Lib's
 * conventions; each file's doc comment states them and the alternatives offered (README.md has
 * the table). The registry (`INDICATORS`, `getIndicator`, `parseSpec`) describes every
 * indicator for the chart and the CLI.
 */
export { Adx, adx, type AdxSeries, type AdxValue } from './adx'
export { Aroon, aroon, type AroonSeries, type AroonValue } from './aroon'
export { Atr, atr } from './atr'
export { BBands, bbands, type BBandsSeries, type BBandsValue } from './bbands'
export { Cci, cci } from './cci'
export { Dema, dema } from './dema'
export { Donchian, donchian, type ChannelSeries, type ChannelValue } from './donchian'
export { Ema, ema } from './ema'
export { Ichimoku, ichimoku, type IchimokuSeries, type IchimokuValue } from './ichimoku'
export { Keltner, keltner } from './keltner'
export {
  MACD_SEEDINGS,
  Macd,
  macd,
  type MacdParams,
  type MacdSeeding,
  type MacdSeries,
  type MacdValue,
} from './macd'
export { Mfi, mfi } from './mfi'
export { Natr, natr } from './natr'
export { OBV_STARTS, Obv, obv, type ObvStart } from './obv'
export { Rsi, rsi } from './rsi'
export { Sar, sar } from './sar'
export { Sma, sma } from './sma'
export { StdDev, stddev } from './stddev'
export { FastK, Stoch, stoch, type StochSeries, type StochValue } from './stoch'
export { StochF, stochf } from './stochf'
export { StochRsi, stochrsi } from './stochrsi'
export { Supertrend, supertrend, type SupertrendSeries, type SupertrendValue } from './supertrend'
export { Tema, tema } from './tema'
export { TRange, trange } from './trange'
export { Vwap, vwap } from './vwap'
export { WillR, willr } from './willr'
export { Wma, wma } from './wma'
export { SESSION_ANCHORS, type SessionAnchor } from './core/sessions'
export { candleSeries, type CandleField, type CandleSeries } from './core/series'
export { StreamingIndicator } from './core/streaming'
export type { Cv, Hl, Hlc, Hlcv, Thlcv } from './core/types'
export { INDICATORS, getIndicator } from './registry'
export type {
  ChoiceParam,
  IndicatorDescriptor,
  IndicatorStream,
  NumberParam,
  OutputDescriptor,
  ParamDescriptor,
  ParamValue,
  ParamValues,
} from './registry-types'
export { resolveParams } from './params'
export { parseSpec, specColumns, type IndicatorSpec } from './spec'
