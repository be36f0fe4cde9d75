import { create } from 'zustand'
import type { SymbolInfo } from '../../../../shared/contract/market'
import type { Candle, CandleColumns, Gap } from '../../../../shared/domain/candles'
import { TIMEFRAMES, timeframeMs, type Timeframe } from '../../../../shared/domain/timeframes'
import { readChartPrefs, type ChartPrefs } from './chart-style'

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

export interface Ticker {
  last: number
  change24h: number | null
  /** Base units traded over the last 24 h; null where the source does not say. */
  volume24h: number | null
  time: number
  /** Direction of the last tick against the one before. */
  tick: 'up' | 'down' | 'flat'
}

export interface Selection {
  source: string
  symbol: string
}

/** The bars on the chart: what was asked for travels with the answer (stale-response guard). */
export interface LoadedSeries {
  key: string
  source: string
  symbol: string
  timeframe: Timeframe
  precision: number
  columns: CandleColumns
  gaps: Gap[]
  /**
   * Bars this version added in front of the previous one of the same series (an older page
   * the trader scrolled into); 0 or absent for a fresh load. The chart keeps its view by it.
   */
  prepended?: number
  /** When the older page was asked for and when it came (`performance.now()`), for the probe. */
  prependTiming?: { askedAt: number; answeredAt: number }
  /** True once an older page came back empty: the series starts at its first bar. */
  atStart?: boolean
}

/** Loading older history as the trader scrolls left. */
export interface OlderHistory {
  state: 'idle' | 'loading' | 'error'
  /** Milliseconds from asking for the last page to its bars being handed to the chart. */
  lastMs: number | null
  /** Bars the last page added. */
  lastAdded: number
}

/**
 * The market of the selected trading account when it is an exchange's (a live account, or a
 * paper account on an exchange's prices): the symbol list shows only its symbols and the chart
 * only its prices. Null for the demo market, whose list is every chartable symbol.
 */
export interface MarketScope {
  accountId: string
  /** The ccxt exchange id whose market it is. */
  exchangeId: string
  /** The candle source its charts come from (`binance`, `binance:custom`). */
  source: string
  label: string
  state: 'loading' | 'ready' | 'unavailable'
  /** Why it is not ready, in words; null when ready. */
  reason: string | null
  detail: string | null
  /** When the engine tries again, on this page's clock (`Date.now()`); null when it is not waiting. */
  retryAt: number | null
  symbols: SymbolInfo[]
}

export interface LiveBar {
  key: string
  candle: Candle
  closed: boolean
}

interface TradeState {
  /** The symbols listed: every chartable one (`allSymbols`), or those of the account's market (`scope`). */
  symbols: SymbolInfo[]
  /** Every symbol the engine can chart (`market.symbols`). */
  allSymbols: SymbolInfo[]
  scope: MarketScope | null
  symbolsState: LoadState
  tickers: Record<string, Ticker>
  selected: Selection | null
  /** The symbol shown last, kept while a market that is not loaded shows none (to come back to it). */
  lastSymbol: string | null
  timeframe: Timeframe
  series: LoadedSeries | null
  seriesState: LoadState
  seriesError: string | null
  live: LiveBar | null
  /** The shown series' live feed: when it last brought an update (`Date.now()`), or that it ended. */
  feed: FeedState | null
  /**
   * The symbol (`symbolKey`) whose bars were last loaded: an exchange's symbol has a stored
   * history from then on (its chart fetched it), which the signals read.
   */
  historyFor: string | null
  older: OlderHistory
  /** Chart type, price scale mode and favourite timeframes (saved in this window's storage). */
  prefs: ChartPrefs
}

export interface FeedState {
  /** The series it feeds (`seriesKey`). */
  key: string
  /** When the feed started or last brought an update, on this page's clock. */
  at: number
  /** The feed ended with an error (the chart no longer moves). */
  stopped: boolean
}

/** A live feed silent for longer than this is shown as delayed. */
export const FEED_DELAYED_MS = 60_000

export const DEFAULT_TIMEFRAME: Timeframe = '15m'
/** Bars loaded per view. */
export const BARS_PER_VIEW = 2000

export const useTradeStore = create<TradeState>()(() => ({
  symbols: [],
  allSymbols: [],
  scope: null,
  symbolsState: 'idle',
  tickers: {},
  selected: null,
  lastSymbol: null,
  timeframe: DEFAULT_TIMEFRAME,
  series: null,
  seriesState: 'idle',
  seriesError: null,
  live: null,
  feed: null,
  historyFor: null,
  older: { state: 'idle', lastMs: null, lastAdded: 0 },
  prefs: readChartPrefs(),
}))

export const symbolKey = (source: string, symbol: string): string => `${source}\u0000${symbol}`
export const seriesKey = (source: string, symbol: string, tf: Timeframe): string =>
  `${source}\u0000${symbol}\u0000${tf}`

/** The chart timeframes a symbol offers, shortest first. */
export function offeredTimeframes(info: SymbolInfo | undefined): Timeframe[] {
  if (!info) return []
  const chart = TIMEFRAMES.filter((tf) => info.timeframes.includes(tf))
  return chart.length > 0 ? chart : [...info.timeframes].sort((a, b) => timeframeMs(a) - timeframeMs(b))
}

/** `wanted` if offered, else the offered timeframe nearest to it. */
export function nearestTimeframe(offered: readonly Timeframe[], wanted: Timeframe): Timeframe | undefined {
  if (offered.includes(wanted)) return wanted
  const target = Math.log(timeframeMs(wanted))
  return [...offered].sort(
    (a, b) => Math.abs(Math.log(timeframeMs(a)) - target) - Math.abs(Math.log(timeframeMs(b)) - target),
  )[0]
}

// Selectors.
export const selectSelectedInfo = (s: TradeState): SymbolInfo | undefined =>
  s.selected ? findSymbol(s.symbols, s.selected) : undefined

export function findSymbol(symbols: readonly SymbolInfo[], sel: Selection): SymbolInfo | undefined {
  return symbols.find((x) => x.source === sel.source && x.symbol === sel.symbol)
}
