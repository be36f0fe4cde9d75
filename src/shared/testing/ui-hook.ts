import type { Timeframe } from '../domain/timeframes'

/*
 * The shape of `window.__candlework`, free of DOM types: the renderer installs it; the
 * end-to-end tests and the chart benchmark read it. It only reads state.
 */

/** What tests and benchmarks may read about the Trade chart. */
export interface ChartProbe {
  state: 'empty' | 'ready'
  key: string | null
  source: string | null
  symbol: string | null
  timeframe: Timeframe | null
  bars: number
  firstTime: number | null
  lastTime: number | null
  lastClose: number | null
  /** Live updates applied to the last bar since the series was set. */
  liveUpdates: number
  /** True once the current series has been painted on screen (false while it is pending). */
  painted: boolean
  /** How many series have been painted on this chart so far. */
  paints: number
  /** Open times (ms) of the last 100 bars. */
  recentTimes: number[]
}

export interface ChartMatch {
  source?: string
  symbol?: string
  timeframe?: string
}

export interface BenchPaintResult {
  bars: number
  /** invoke('market.candles') until the columns arrived and were parsed, in ms. */
  fetchMs: number
  /** Columns handed to the chart until the first animation frame after its paint, in ms. */
  paintMs: number
}

/**
 * `window.__candlework`: read-only probes for end-to-end tests and benchmarks, so they wait
 * for what the app has actually done (a painted chart) instead of sleeping.
 */
export interface CandleworkTestHook {
  /** The Trade chart as it is now, or null when no chart is mounted. */
  chart(): ChartProbe | null
  /** Resolves once the Trade chart has painted a series matching `match` (now or later). */
  whenChartPainted(match?: ChartMatch, timeoutMs?: number): Promise<ChartProbe>
  /** Fetches `n` 1m demo bars and times how long a chart takes to first paint them. */
  benchPaint(n: number, symbol?: string): Promise<BenchPaintResult>
}

/** `globalThis` in the page, for code that runs there via `page.evaluate`. */
export interface HookGlobal {
  __candlework: CandleworkTestHook
}
