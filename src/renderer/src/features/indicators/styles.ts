import type { IndicatorInfo } from '../../../../shared/contract/charting'
import { formatPrice, formatVolume } from '../../lib/format'

/**
 * How each indicator looks by default: colours per output (TradingView's conventions where a
 * trader expects them, e.g. Ichimoku's blue tenkan and red kijun, MACD blue over orange),
 * reference levels for the oscillators, and short labels for the legend.
 */
export const DEFAULT_COLORS: Record<string, Record<string, string>> = {
  sma: { sma: '#f5a623' },
  ema: { ema: '#4f8cff' },
  wma: { wma: '#26c6da' },
  dema: { dema: '#ba68c8' },
  tema: { tema: '#f06292' },
  bbands: { upper: '#5b8def', middle: '#f5a623', lower: '#5b8def' },
  keltner: { upper: '#26c6da', middle: '#26c6da', lower: '#26c6da' },
  donchian: { upper: '#4f8cff', middle: '#ff9800', lower: '#4f8cff' },
  vwap: { vwap: '#e040fb' },
  supertrend: { supertrend: '#26a69a', direction: '#ef5350' },
  sar: { sar: '#cfd8dc' },
  ichimoku: {
    conversion: '#2f7bff',
    base: '#e0584f',
    spanA: '#66bb6a',
    spanB: '#ef5350',
    lagging: '#9ccc65',
  },
  rsi: { rsi: '#9575cd' },
  macd: { macd: '#2f7bff', signal: '#ff8a3d', histogram: '#26a69a' },
  stoch: { k: '#2f7bff', d: '#ff8a3d' },
  stochf: { k: '#2f7bff', d: '#ff8a3d' },
  stochrsi: { k: '#2f7bff', d: '#ff8a3d' },
  adx: { adx: '#f5a623', plusDI: '#26a69a', minusDI: '#ef5350' },
  aroon: { up: '#26a69a', down: '#ef5350' },
  atr: { atr: '#ef6c9b' },
  natr: { natr: '#ef6c9b' },
  trange: { trange: '#ef6c9b' },
  stddev: { stddev: '#4fc3f7' },
  obv: { obv: '#4f8cff' },
  cci: { cci: '#26c6da' },
  mfi: { mfi: '#ba68c8' },
  willr: { willr: '#9575cd' },
}

const PALETTE = ['#f5a623', '#4f8cff', '#e040fb', '#26c6da', '#ffd54f', '#9ccc65', '#ff7043', '#90a4ae']

/** Dashed reference lines of the bounded oscillators. */
export const LEVELS: Record<string, number[]> = {
  rsi: [70, 50, 30],
  stoch: [80, 20],
  stochf: [80, 20],
  stochrsi: [80, 20],
  mfi: [80, 20],
  willr: [-20, -80],
  cci: [100, -100],
  adx: [25],
  aroon: [70, 30],
  macd: [0],
}

/** Channels shaded between their outer lines (and Ichimoku's cloud between its spans). */
export const BANDS: Record<string, { upper: string; lower: string; cloud?: boolean }> = {
  bbands: { upper: 'upper', lower: 'lower' },
  keltner: { upper: 'upper', lower: 'lower' },
  donchian: { upper: 'upper', lower: 'lower' },
  ichimoku: { upper: 'spanA', lower: 'spanB', cloud: true },
}

const SHORT: Record<string, string> = {
  sma: 'SMA',
  ema: 'EMA',
  wma: 'WMA',
  dema: 'DEMA',
  tema: 'TEMA',
  rsi: 'RSI',
  macd: 'MACD',
  bbands: 'BB',
  stddev: 'StdDev',
  trange: 'TR',
  atr: 'ATR',
  natr: 'NATR',
  stoch: 'Stoch',
  stochf: 'StochF',
  stochrsi: 'Stoch RSI',
  willr: '%R',
  cci: 'CCI',
  mfi: 'MFI',
  obv: 'OBV',
  adx: 'ADX',
  aroon: 'Aroon',
  donchian: 'DC',
  keltner: 'KC',
  vwap: 'VWAP',
  supertrend: 'Supertrend',
  sar: 'SAR',
  ichimoku: 'Ichimoku',
}

export function shortName(id: string): string {
  return SHORT[id] ?? id.toUpperCase()
}

/** "SMA 20", "MACD 12 26 9", "VWAP week": numbers always, choices only when not the default. */
export function instanceLabel(
  info: IndicatorInfo | undefined,
  id: string,
  params: Record<string, number | string>,
): string {
  if (!info) return shortName(id)
  const parts = info.params
    .map((p) => {
      const v = params[p.name] ?? p.default
      if (p.kind === 'choice') return v === p.default ? null : String(v)
      return String(v)
    })
    .filter((x): x is string => x !== null)
  return [shortName(id), ...parts].join(' ')
}

/** The colour an output is drawn with: the saved one, else the indicator's default, else the palette. */
export function outputColor(
  id: string,
  output: string,
  index: number,
  saved: Record<string, string>,
): string {
  return saved[output] ?? DEFAULT_COLORS[id]?.[output] ?? PALETTE[index % PALETTE.length]!
}

/**
 * The outputs a trader picks colours for: the drawn ones, plus Supertrend's down-trend colour
 * (its `direction` output is not drawn; it chooses between the two colours).
 */
export function colorOutputs(info: IndicatorInfo): { name: string; label: string }[] {
  const drawn = info.outputs.filter((o) => o.plot !== 'none').map((o) => ({ name: o.name, label: o.name }))
  if (info.id === 'supertrend') {
    return [
      { name: 'supertrend', label: 'up trend' },
      { name: 'direction', label: 'down trend' },
    ]
  }
  return drawn
}

/** Formats an indicator value for the legend: prices like the chart, volumes compact, the rest to two decimals. */
export function formatValue(
  id: string,
  pane: 'overlay' | 'separate',
  value: number | null,
  precision: number,
): string {
  if (value === null || !Number.isFinite(value)) return '—'
  if (pane === 'overlay') return formatPrice(value, precision)
  if (id === 'obv') return formatVolume(value)
  const abs = Math.abs(value)
  if (id === 'atr' || id === 'trange' || id === 'stddev') return formatPrice(value, precision)
  if (abs !== 0 && abs < 0.01) return value.toPrecision(3)
  if (abs >= 100_000) return formatVolume(value)
  return formatPrice(value, 2)
}
