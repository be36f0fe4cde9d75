import { z } from 'zod'
import { TIMEFRAMES, type Timeframe } from '../../../../shared/domain/timeframes'

/** How the bars are drawn (TradingView's names). */
export const CHART_TYPES = ['candles', 'hollow', 'bars', 'line', 'area', 'heikin-ashi'] as const
export type ChartType = (typeof CHART_TYPES)[number]
export const CHART_TYPE_LABELS: Record<ChartType, string> = {
  candles: 'Candles',
  hollow: 'Hollow candles',
  bars: 'Bars',
  line: 'Line',
  area: 'Area',
  'heikin-ashi': 'Heikin Ashi',
}

/** The price scale: plain, logarithmic, or percent from the first bar in view. */
export const PRICE_MODES = ['normal', 'log', 'percent'] as const
export type PriceMode = (typeof PRICE_MODES)[number]

export interface Ohlc {
  open: number
  high: number
  low: number
  close: number
}

/**
 * Heikin Ashi bars from plain ones: close = (O+H+L+C)/4, open = the average of the previous HA
 * open and close (the first bar's own (O+C)/2), high and low widened to take in both.
 */
export function heikinAshi(bars: readonly Ohlc[]): Ohlc[] {
  const out = new Array<Ohlc>(bars.length)
  let prev: Ohlc | undefined
  for (let i = 0; i < bars.length; i++) {
    prev = heikinAshiNext(prev, bars[i]!)
    out[i] = prev
  }
  return out
}

/** The HA bar of `bar` after the HA bar `prev` (undefined for the first bar). */
export function heikinAshiNext(prev: Ohlc | undefined, bar: Ohlc): Ohlc {
  const close = (bar.open + bar.high + bar.low + bar.close) / 4
  const open = prev ? (prev.open + prev.close) / 2 : (bar.open + bar.close) / 2
  return {
    open,
    high: Math.max(bar.high, open, close),
    low: Math.min(bar.low, open, close),
    close,
  }
}

/**
 * The trader's chart choices, kept in this window's storage. (The favourite timeframes are a
 * preference the engine stores: `favouriteTimeframes` in settings.)
 */
const prefsSchema = z.object({
  type: z.enum(CHART_TYPES).catch('candles'),
  priceMode: z.enum(PRICE_MODES).catch('normal'),
})
export type ChartPrefs = z.infer<typeof prefsSchema>

const KEY = 'candlework.chart.prefs.v1'

export function readChartPrefs(): ChartPrefs {
  try {
    return prefsSchema.parse(JSON.parse(localStorage.getItem(KEY) ?? '{}'))
  } catch {
    return prefsSchema.parse({})
  }
}

export function saveChartPrefs(prefs: ChartPrefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(prefs))
  } catch {
    // Storage full or disabled: the choice lasts until the window closes.
  }
}

/** Favourites in the order of TIMEFRAMES (shortest first), whatever order they were starred in. */
export function sortTimeframes(tfs: readonly Timeframe[]): Timeframe[] {
  return TIMEFRAMES.filter((tf) => tfs.includes(tf))
}
