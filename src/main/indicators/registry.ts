import { AppError } from '../../shared/contract/errors'
import type { Candle } from '../../shared/domain/candles'
import { Adx, adx } from './adx'
import { Aroon, aroon } from './aroon'
import { Atr, atr } from './atr'
import { BBands, bbands } from './bbands'
import { Cci, cci } from './cci'
import { Dema, dema } from './dema'
import { Donchian, donchian } from './donchian'
import { Ema, ema } from './ema'
import { Ichimoku, ichimoku } from './ichimoku'
import { Keltner, keltner } from './keltner'
import { MACD_SEEDINGS, Macd, macd, type MacdSeeding } from './macd'
import { Mfi, mfi } from './mfi'
import { Natr, natr } from './natr'
import { OBV_STARTS, Obv, obv, type ObvStart } from './obv'
import { Rsi, rsi } from './rsi'
import { Sar, sar } from './sar'
import { Sma, sma } from './sma'
import { StdDev, stddev } from './stddev'
import { Stoch, stoch } from './stoch'
import { StochF, stochf } from './stochf'
import { StochRsi, stochrsi } from './stochrsi'
import { Supertrend, supertrend } from './supertrend'
import { Tema, tema } from './tema'
import { TRange, trange } from './trange'
import { Vwap, vwap } from './vwap'
import { WillR, willr } from './willr'
import { Wma, wma } from './wma'
import { SESSION_ANCHORS, type SessionAnchor } from './core/sessions'
import { candleSeries, type CandleField, type CandleSeries } from './core/series'
import type { StreamingIndicator } from './core/streaming'
import { checkFinite, checkHl, checkVolume, sameLength } from './core/validate'
import { choice, num, resolveParams } from './params'
import type {
  IndicatorDescriptor,
  IndicatorStream,
  OutputDescriptor,
  ParamDescriptor,
  ParamValues,
} from './registry-types'

/** What a definition streams: an indicator and how to read its input from a candle. */
interface StreamSource {
  update(bar: Candle): unknown
  preview(bar: Candle): unknown
}

function source<I, O>(ind: StreamingIndicator<I, O>, input: (bar: Candle) => I): StreamSource {
  return { update: (bar) => ind.update(input(bar)), preview: (bar) => ind.preview(input(bar)) }
}

const close = (bar: Candle): number => bar.close
const same = (bar: Candle): Candle => bar

interface Definition extends Omit<IndicatorDescriptor, 'compute' | 'createStream'> {
  batch(s: CandleSeries, p: ParamValues): Float64Array[]
  stream(p: ParamValues): StreamSource
}

/** Copies a stream's value (a number, or an object keyed by output name) into an array. */
function pack(value: unknown, names: readonly string[]): Float64Array {
  const out = new Float64Array(names.length)
  if (typeof value === 'number') out[0] = value
  else {
    const rec = value as Record<string, number>
    for (let i = 0; i < names.length; i++) out[i] = rec[names[i]!]!
  }
  return out
}

function isSeries(c: CandleSeries | readonly Candle[]): c is CandleSeries {
  return !Array.isArray(c)
}

/**
 * The fast path of `checkSeries`: one tight loop per column (monomorphic, no per-value calls),
 * true when every value passes the same tests the bar-by-bar walk makes (finite; volume >= 0;
 * high >= low). It only decides *whether* to walk: values and error messages do not change.
 */
function seriesClean(s: CandleSeries, inputs: readonly CandleField[], n: number, hasHl: boolean): boolean {
  for (const f of inputs)
    if (!(f === 'volume' ? volumeClean(s.volume, n) : finiteColumn(s[f], n))) return false
  return !hasHl || highAboveLow(s.high, s.low, n)
}

/** x - x is 0 for every finite x and NaN for NaN and ±Infinity; a NaN makes the sum NaN. */
function finiteColumn(c: Float64Array, n: number): boolean {
  let acc = 0
  for (let i = 0; i < n; i++) acc += c[i]! - c[i]!
  return acc === 0
}

function volumeClean(c: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const v = c[i]!
    if (!(v >= 0 && v < Infinity)) return false
  }
  return true
}

function highAboveLow(h: Float64Array, l: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (h[i]! < l[i]!) return false
  return true
}

/** Reports a bad candle with the field name the user knows, before any arithmetic. */
function checkSeries(id: string, s: CandleSeries, inputs: readonly CandleField[]): void {
  const cols: Record<string, Float64Array> = {}
  for (const f of inputs) cols[f] = s[f]
  const n = sameLength(id, cols)
  const hasHl = inputs.includes('high') && inputs.includes('low')
  if (seriesClean(s, inputs, n, hasHl)) return
  // Something is wrong: the bar-by-bar walk finds the first bad value and names it as always.
  for (let i = 0; i < n; i++) {
    for (const f of inputs) {
      if (f === 'volume') checkVolume(id, s.volume[i]!, i)
      else checkFinite(id, f, s[f][i]!, i)
    }
    if (hasHl) checkHl(id, s.high[i]!, s.low[i]!, i)
  }
}

function define(d: Definition): IndicatorDescriptor {
  const names = d.outputs.map((o) => o.name)
  const { batch, stream, ...meta } = d
  return {
    ...meta,
    compute(candles, params) {
      const p = resolveParams(d.id, d.params, params)
      const series = isSeries(candles) ? candles : candleSeries(candles)
      checkSeries(d.id, series, d.inputs)
      return batch(series, p)
    },
    createStream(params): IndicatorStream {
      const src = stream(resolveParams(d.id, d.params, params))
      return {
        outputs: names,
        update: (bar) => pack(src.update(bar), names),
        preview: (bar) => pack(src.preview(bar), names),
      }
    },
  }
}

const period = (def: number, min = 1, description = 'bars in the window'): ParamDescriptor => ({
  name: 'period',
  kind: 'integer',
  default: def,
  min,
  description,
})

const int = (name: string, def: number, description: string, min = 1): ParamDescriptor => ({
  name,
  kind: 'integer',
  default: def,
  min,
  description,
})

const real = (name: string, def: number, description: string, exclusiveMin = false): ParamDescriptor => ({
  name,
  kind: 'number',
  default: def,
  min: 0,
  exclusiveMin,
  description,
})

const line = (
  name: string,
  description: string,
  plot: OutputDescriptor['plot'] = 'line',
): OutputDescriptor => ({
  name,
  description,
  plot,
})

const CLOSE: readonly CandleField[] = ['close']
const HL: readonly CandleField[] = ['high', 'low']
const HLC: readonly CandleField[] = ['high', 'low', 'close']
const HLCV: readonly CandleField[] = ['high', 'low', 'close', 'volume']

const DEFINITIONS: Definition[] = [
  {
    id: 'sma',
    title: 'Simple moving average',
    description: 'Mean of the last `period` closes; first value at bar period-1 (TA-Lib SMA).',
    inputs: CLOSE,
    pane: 'overlay',
    params: [period(20)],
    outputs: [line('sma', 'simple moving average')],
    batch: (s, p) => [sma(s.close, num(p, 'period'))],
    stream: (p) => source(new Sma(num(p, 'period')), close),
  },
  {
    id: 'ema',
    title: 'Exponential moving average',
    description: 'k = 2/(period+1), seeded with the SMA of the first `period` closes (TA-Lib EMA).',
    inputs: CLOSE,
    pane: 'overlay',
    params: [period(20)],
    outputs: [line('ema', 'exponential moving average')],
    batch: (s, p) => [ema(s.close, num(p, 'period'))],
    stream: (p) => source(new Ema(num(p, 'period')), close),
  },
  {
    id: 'wma',
    title: 'Weighted moving average',
    description: 'Linear weights 1..period, newest heaviest (TA-Lib WMA).',
    inputs: CLOSE,
    pane: 'overlay',
    params: [period(20)],
    outputs: [line('wma', 'weighted moving average')],
    batch: (s, p) => [wma(s.close, num(p, 'period'))],
    stream: (p) => source(new Wma(num(p, 'period')), close),
  },
  {
    id: 'dema',
    title: 'Double exponential moving average',
    description: '2*EMA - EMA(EMA), TA-Lib EMAs; first value at bar 2*(period-1) (TA-Lib DEMA).',
    inputs: CLOSE,
    pane: 'overlay',
    params: [period(20)],
    outputs: [line('dema', 'double EMA')],
    batch: (s, p) => [dema(s.close, num(p, 'period'))],
    stream: (p) => source(new Dema(num(p, 'period')), close),
  },
  {
    id: 'tema',
    title: 'Triple exponential moving average',
    description: '3*e1 - 3*e2 + e3 of chained TA-Lib EMAs; first value at bar 3*(period-1) (TA-Lib TEMA).',
    inputs: CLOSE,
    pane: 'overlay',
    params: [period(20)],
    outputs: [line('tema', 'triple EMA')],
    batch: (s, p) => [tema(s.close, num(p, 'period'))],
    stream: (p) => source(new Tema(num(p, 'period')), close),
  },
  {
    id: 'rsi',
    title: 'Relative strength index',
    description:
      'Wilder smoothing seeded with simple means; first value at bar `period`; 0 on a flat window (TA-Lib RSI).',
    inputs: CLOSE,
    pane: 'separate',
    params: [period(14, 2)],
    outputs: [line('rsi', 'RSI, 0..100')],
    batch: (s, p) => [rsi(s.close, num(p, 'period'))],
    stream: (p) => source(new Rsi(num(p, 'period')), close),
  },
  {
    id: 'macd',
    title: 'MACD',
    description:
      'EMA(fast) - EMA(slow), signal EMA, histogram. seeding=talib aligns the EMAs (first value at bar slow+signal-2, TA-Lib); independent seeds each EMA on its own (backtrader, TradingView).',
    inputs: CLOSE,
    pane: 'separate',
    params: [
      int('fast', 12, 'fast EMA period'),
      int('slow', 26, 'slow EMA period'),
      int('signal', 9, 'signal EMA period'),
      {
        name: 'seeding',
        kind: 'choice',
        default: 'talib',
        choices: MACD_SEEDINGS,
        description: 'EMA seeding convention',
      },
    ],
    outputs: [
      line('macd', 'MACD line'),
      line('signal', 'signal line'),
      line('histogram', 'MACD - signal', 'histogram'),
    ],
    batch: (s, p) => {
      const r = macd(s.close, macdParams(p))
      return [r.macd, r.signal, r.histogram]
    },
    stream: (p) => source(new Macd(macdParams(p)), close),
  },
  {
    id: 'bbands',
    title: 'Bollinger Bands',
    description:
      'SMA ± mult × population standard deviation (TA-Lib BBANDS); percentB and bandwidth as fractions.',
    inputs: CLOSE,
    pane: 'overlay',
    params: [period(20), real('mult', 2, 'standard deviations from the middle')],
    outputs: [
      line('upper', 'upper band'),
      line('middle', 'middle band (SMA)'),
      line('lower', 'lower band'),
      line('percentB', '(close - lower)/(upper - lower); 0.5 on zero width', 'none'),
      line('bandwidth', '(upper - lower)/middle', 'none'),
    ],
    batch: (s, p) => {
      const r = bbands(s.close, num(p, 'period'), num(p, 'mult'))
      return [r.upper, r.middle, r.lower, r.percentB, r.bandwidth]
    },
    stream: (p) => source(new BBands(num(p, 'period'), num(p, 'mult')), close),
  },
  {
    id: 'stddev',
    title: 'Standard deviation',
    description: 'Rolling population standard deviation (divide by N) × nbdev (TA-Lib STDDEV).',
    inputs: CLOSE,
    pane: 'separate',
    params: [period(20), real('nbdev', 1, 'multiplier')],
    outputs: [line('stddev', 'standard deviation')],
    batch: (s, p) => [stddev(s.close, num(p, 'period'), num(p, 'nbdev'))],
    stream: (p) => source(new StdDev(num(p, 'period'), num(p, 'nbdev')), close),
  },
  {
    id: 'trange',
    title: 'True range',
    description: 'max(high, prev close) - min(low, prev close); from bar 1 (TA-Lib TRANGE).',
    inputs: HLC,
    pane: 'separate',
    params: [],
    outputs: [line('trange', 'true range')],
    batch: (s) => [trange(s.high, s.low, s.close)],
    stream: () => source(new TRange(), same),
  },
  {
    id: 'atr',
    title: 'Average true range',
    description:
      'Wilder average of true range; first value at bar `period` = mean of TR[1..period] (TA-Lib ATR).',
    inputs: HLC,
    pane: 'separate',
    params: [period(14)],
    outputs: [line('atr', 'average true range')],
    batch: (s, p) => [atr(s.high, s.low, s.close, num(p, 'period'))],
    stream: (p) => source(new Atr(num(p, 'period')), same),
  },
  {
    id: 'natr',
    title: 'Normalized ATR',
    description: '100 × ATR / close, in percent (TA-Lib NATR); NaN when close is 0.',
    inputs: HLC,
    pane: 'separate',
    params: [period(14)],
    outputs: [line('natr', 'ATR in percent of the close')],
    batch: (s, p) => [natr(s.high, s.low, s.close, num(p, 'period'))],
    stream: (p) => source(new Natr(num(p, 'period')), same),
  },
  {
    id: 'stoch',
    title: 'Stochastic (slow)',
    description: 'k = SMA(kSmooth) of raw %K, d = SMA(dPeriod) of k; outputs start together (TA-Lib STOCH).',
    inputs: HLC,
    pane: 'separate',
    params: [period(14), int('kSmooth', 3, 'smoothing of %K'), int('dPeriod', 3, 'period of %D')],
    outputs: [line('k', 'slow %K'), line('d', 'slow %D')],
    batch: (s, p) => {
      const r = stoch(s.high, s.low, s.close, num(p, 'period'), num(p, 'kSmooth'), num(p, 'dPeriod'))
      return [r.k, r.d]
    },
    stream: (p) => source(new Stoch(num(p, 'period'), num(p, 'kSmooth'), num(p, 'dPeriod')), same),
  },
  {
    id: 'stochf',
    title: 'Stochastic (fast)',
    description: 'k = raw %K, d = SMA(dPeriod) of k; outputs start together (TA-Lib STOCHF).',
    inputs: HLC,
    pane: 'separate',
    params: [period(14), int('dPeriod', 3, 'period of %D')],
    outputs: [line('k', 'fast %K'), line('d', 'fast %D')],
    batch: (s, p) => {
      const r = stochf(s.high, s.low, s.close, num(p, 'period'), num(p, 'dPeriod'))
      return [r.k, r.d]
    },
    stream: (p) => source(new StochF(num(p, 'period'), num(p, 'dPeriod')), same),
  },
  {
    id: 'stochrsi',
    title: 'Stochastic RSI',
    description: 'Stochastic of RSI: k = SMA(kPeriod) of raw, d = SMA(dPeriod) of k (TradingView layout).',
    inputs: CLOSE,
    pane: 'separate',
    params: [
      int('rsiPeriod', 14, 'RSI period', 2),
      int('stochPeriod', 14, 'stochastic window over RSI'),
      int('kPeriod', 3, 'smoothing of k'),
      int('dPeriod', 3, 'period of d'),
    ],
    outputs: [line('k', 'smoothed stochastic RSI'), line('d', 'signal')],
    batch: (s, p) => {
      const r = stochrsi(
        s.close,
        num(p, 'rsiPeriod'),
        num(p, 'stochPeriod'),
        num(p, 'kPeriod'),
        num(p, 'dPeriod'),
      )
      return [r.k, r.d]
    },
    stream: (p) =>
      source(
        new StochRsi(num(p, 'rsiPeriod'), num(p, 'stochPeriod'), num(p, 'kPeriod'), num(p, 'dPeriod')),
        close,
      ),
  },
  {
    id: 'willr',
    title: 'Williams %R',
    description:
      '-100 × (highest high - close)/(highest high - lowest low); 0 on a zero range (TA-Lib WILLR).',
    inputs: HLC,
    pane: 'separate',
    params: [period(14)],
    outputs: [line('willr', '%R, -100..0')],
    batch: (s, p) => [willr(s.high, s.low, s.close, num(p, 'period'))],
    stream: (p) => source(new WillR(num(p, 'period')), same),
  },
  {
    id: 'cci',
    title: 'Commodity channel index',
    description: '(tp - SMA(tp))/(0.015 × mean absolute deviation from the window mean) (TA-Lib CCI).',
    inputs: HLC,
    pane: 'separate',
    params: [period(20)],
    outputs: [line('cci', 'CCI')],
    batch: (s, p) => [cci(s.high, s.low, s.close, num(p, 'period'))],
    stream: (p) => source(new Cci(num(p, 'period')), same),
  },
  {
    id: 'mfi',
    title: 'Money flow index',
    description: 'Volume-weighted RSI of the typical price; first value at bar `period` (TA-Lib MFI).',
    inputs: HLCV,
    pane: 'separate',
    params: [period(14)],
    outputs: [line('mfi', 'MFI, 0..100')],
    batch: (s, p) => [mfi(s.high, s.low, s.close, s.volume, num(p, 'period'))],
    stream: (p) => source(new Mfi(num(p, 'period')), same),
  },
  {
    id: 'obv',
    title: 'On-balance volume',
    description:
      'Cumulative volume signed by the close change; start=volume begins at volume[0] (TA-Lib), zero at 0.',
    inputs: ['close', 'volume'],
    pane: 'separate',
    params: [
      {
        name: 'start',
        kind: 'choice',
        default: 'volume',
        choices: OBV_STARTS,
        description: 'value on bar 0',
      },
    ],
    outputs: [line('obv', 'on-balance volume')],
    batch: (s, p) => [obv(s.close, s.volume, choice<ObvStart>(p, 'start'))],
    stream: (p) => source(new Obv(choice<ObvStart>(p, 'start')), same),
  },
  {
    id: 'adx',
    title: 'Average directional index',
    description: 'Wilder ADX with +DI/-DI; DIs from bar `period`, ADX from bar 2*period-1 (TA-Lib ADX).',
    inputs: HLC,
    pane: 'separate',
    params: [period(14, 2)],
    outputs: [line('adx', 'ADX'), line('plusDI', '+DI'), line('minusDI', '-DI')],
    batch: (s, p) => {
      const r = adx(s.high, s.low, s.close, num(p, 'period'))
      return [r.adx, r.plusDI, r.minusDI]
    },
    stream: (p) => source(new Adx(num(p, 'period')), same),
  },
  {
    id: 'aroon',
    title: 'Aroon',
    description:
      'Bars since the highest high / lowest low of period+1 bars, scaled to 0..100 (TA-Lib AROON).',
    inputs: HL,
    pane: 'separate',
    params: [period(14)],
    outputs: [line('up', 'Aroon up'), line('down', 'Aroon down'), line('oscillator', 'up - down', 'none')],
    batch: (s, p) => {
      const r = aroon(s.high, s.low, num(p, 'period'))
      return [r.up, r.down, r.oscillator]
    },
    stream: (p) => source(new Aroon(num(p, 'period')), same),
  },
  {
    id: 'donchian',
    title: 'Donchian channels',
    description: 'Highest high and lowest low of the last `period` bars including the current one.',
    inputs: HL,
    pane: 'overlay',
    params: [period(20)],
    outputs: [line('upper', 'highest high'), line('middle', 'midpoint'), line('lower', 'lowest low')],
    batch: (s, p) => {
      const r = donchian(s.high, s.low, num(p, 'period'))
      return [r.upper, r.middle, r.lower]
    },
    stream: (p) => source(new Donchian(num(p, 'period')), same),
  },
  {
    id: 'keltner',
    title: 'Keltner channels',
    description: 'EMA(period) ± multiplier × ATR(atrPeriod), TA-Lib EMA and ATR.',
    inputs: HLC,
    pane: 'overlay',
    params: [period(20), real('multiplier', 2, 'ATRs from the middle'), int('atrPeriod', 10, 'ATR period')],
    outputs: [line('upper', 'upper channel'), line('middle', 'EMA'), line('lower', 'lower channel')],
    batch: (s, p) => {
      const r = keltner(s.high, s.low, s.close, num(p, 'period'), num(p, 'multiplier'), num(p, 'atrPeriod'))
      return [r.upper, r.middle, r.lower]
    },
    stream: (p) => source(new Keltner(num(p, 'period'), num(p, 'multiplier'), num(p, 'atrPeriod')), same),
  },
  {
    id: 'vwap',
    title: 'VWAP',
    description:
      'Σ(typical price × volume)/Σ volume since the session start; sessions are UTC days by default.',
    inputs: ['time', 'high', 'low', 'close', 'volume'],
    pane: 'overlay',
    params: [
      {
        name: 'anchor',
        kind: 'choice',
        default: 'day',
        choices: SESSION_ANCHORS,
        description: 'session (UTC)',
      },
    ],
    outputs: [line('vwap', 'volume-weighted average price')],
    batch: (s, p) => [vwap(s.time, s.high, s.low, s.close, s.volume, choice<SessionAnchor>(p, 'anchor'))],
    stream: (p) => source(new Vwap(choice<SessionAnchor>(p, 'anchor')), same),
  },
  {
    id: 'supertrend',
    title: 'Supertrend',
    description: 'ATR trailing bands around (high+low)/2 with TradingView rules; direction +1 up, -1 down.',
    inputs: HLC,
    pane: 'overlay',
    params: [period(10, 1, 'ATR period'), real('multiplier', 3, 'ATRs from the midpoint')],
    outputs: [line('supertrend', 'trailing line'), line('direction', '+1 up trend, -1 down trend', 'none')],
    batch: (s, p) => {
      const r = supertrend(s.high, s.low, s.close, num(p, 'period'), num(p, 'multiplier'))
      return [r.supertrend, r.direction]
    },
    stream: (p) => source(new Supertrend(num(p, 'period'), num(p, 'multiplier')), same),
  },
  {
    id: 'sar',
    title: 'Parabolic SAR',
    description: "Wilder's stop and reverse, TA-Lib SAR's start and rules; first value at bar 1.",
    inputs: HL,
    pane: 'overlay',
    params: [
      real('acceleration', 0.02, 'acceleration step and start', true),
      real('maximum', 0.2, 'largest acceleration', true),
    ],
    outputs: [line('sar', 'stop and reverse level', 'dots')],
    batch: (s, p) => [sar(s.high, s.low, num(p, 'acceleration'), num(p, 'maximum'))],
    stream: (p) => source(new Sar(num(p, 'acceleration'), num(p, 'maximum')), same),
  },
  {
    id: 'ichimoku',
    title: 'Ichimoku cloud',
    description:
      'Values on the bar they are computed from; charts shift the spans displacement-1 bars right and the lagging span left.',
    inputs: HLC,
    pane: 'overlay',
    params: [
      int('conversion', 9, 'tenkan period'),
      int('base', 26, 'kijun period'),
      int('spanB', 52, 'senkou span B period'),
      int('displacement', 26, 'cloud displacement'),
    ],
    outputs: [
      line('conversion', 'tenkan-sen'),
      line('base', 'kijun-sen'),
      { ...line('spanA', 'senkou span A'), offset: (p) => num(p, 'displacement') - 1 },
      { ...line('spanB', 'senkou span B'), offset: (p) => num(p, 'displacement') - 1 },
      { ...line('lagging', 'chikou span (the close)'), offset: (p) => 1 - num(p, 'displacement') },
    ],
    batch: (s, p) => {
      const r = ichimoku(
        s.high,
        s.low,
        s.close,
        num(p, 'conversion'),
        num(p, 'base'),
        num(p, 'spanB'),
        num(p, 'displacement'),
      )
      return [r.conversion, r.base, r.spanA, r.spanB, r.lagging]
    },
    stream: (p) =>
      source(
        new Ichimoku(num(p, 'conversion'), num(p, 'base'), num(p, 'spanB'), num(p, 'displacement')),
        same,
      ),
  },
]

function macdParams(p: ParamValues): {
  fast: number
  slow: number
  signal: number
  seeding: MacdSeeding
} {
  return {
    fast: num(p, 'fast'),
    slow: num(p, 'slow'),
    signal: num(p, 'signal'),
    seeding: choice<MacdSeeding>(p, 'seeding'),
  }
}

/** Every indicator, in the order `--list` and the chart menu show them. */
export const INDICATORS: readonly IndicatorDescriptor[] = DEFINITIONS.map(define)

const BY_ID = new Map(INDICATORS.map((d) => [d.id, d]))

/** The descriptor for `id` (case-insensitive); a validation error names the known ids. */
export function getIndicator(id: string): IndicatorDescriptor {
  const d = BY_ID.get(id.toLowerCase())
  if (!d) {
    throw new AppError(
      'validation',
      `unknown indicator "${id}" (known: ${INDICATORS.map((x) => x.id).join(', ')})`,
      'indicator',
    )
  }
  return d
}
