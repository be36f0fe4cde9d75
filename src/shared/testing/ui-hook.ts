import type { Timeframe } from '../domain/timeframes'

/*
 * The shape of `window.__candlework`, free of DOM types: the test build's renderer installs it
 * (production has none of it); the end-to-end tests and the chart benchmark read it. It only
 * reads state.
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
  /** How many series (a series' fresh bars included) were put on this chart. */
  loads: number
  /** How many times a shown series was taken off this chart, leaving it blank. */
  clears: number
  /** The visible logical range (bar indices) and the open time (ms) of the first bar in it. */
  view: { from: number; to: number; firstTime: number | null } | null
  /** Open times (ms) of the last 100 bars. */
  recentTimes: number[]
  /** Panes: the price pane plus one per separate indicator. */
  panes: number
  /** Whether the volume histogram is drawn (the bars have volume and the trader wants it). */
  volumeShown: boolean
  /** Signal markers on the candles. */
  markers: number
  /** Indicator instances on the chart, in the order they were added. */
  indicators: IndicatorProbe[]
  /**
   * The time axis as configured now, for the last bar: its tick label (as an hours-and-minutes
   * tick) and its crosshair label, through the chart's own formatters (the time zone's).
   */
  timeLabels: { tick: string; crosshair: string } | null
  /**
   * The last older-history page joined in front: bars added; ms from asking the engine for it
   * to its answer (`fetchMs`), and from the answer to the first frame after the chart painted
   * the joined bars (`paintMs`).
   */
  prepend: { bars: number; fetchMs: number; paintMs: number } | null
  /** The price at the bottom edge of the price pane (the lowest the scale shows). */
  priceBottom: number | null
  /** How the bars are drawn and the price scale's mode. */
  chartType: string
  priceMode: string
  /** The trader's drawings on this chart (features/drawings). */
  drawings: DrawingsProbe
  /** Points drawn per compare line, by its key (source NUL symbol). */
  compare: Record<string, number>
}

/** One output of an indicator instance as drawn. */
export interface DrawingsProbe {
  tool: string
  selected: string | null
  /** A drawing is half drawn (its first point placed). */
  drawing: boolean
  /** Each drawing with its anchors and where they are in the price pane (CSS px from the chart's top left). */
  items: {
    id: string
    kind: string
    points: { time: number; price: number }[]
    px: { x: number; y: number }[]
  }[]
  /** The measure's text lines while it shows. */
  measure: string[] | null
}

export interface IndicatorOutputProbe {
  name: string
  plot: 'line' | 'histogram' | 'dots' | 'none'
  /** Bars it is shifted by when drawn (Ichimoku's spans). */
  offset: number
  color: string
  /** Values drawn (or, for `none`, kept for the legend). */
  points: number
  firstTime: number | null
  lastTime: number | null
  lastValue: number | null
  /** The last 60 values as [display time (ms), value]. */
  tail: [number, number][]
}

export interface IndicatorProbe {
  key: string
  id: string
  params: Record<string, number | string>
  /** Pane index: 0 = over the price. */
  pane: number
  visible: boolean
  /** True once values for the shown bars were applied. */
  ready: boolean
  /** What `charting.series` was asked for these values. */
  request: { to: number; limit: number } | null
  /** Live points applied since the values were set. */
  liveUpdates: number
  outputs: IndicatorOutputProbe[]
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
  /** invoke('charting.series') for the indicators, in ms (0 without indicators). */
  indicatorFetchMs: number
  /** Indicator points drawn. */
  indicatorPoints: number
}

/**
 * Frame times over a measured stretch, in ms: `work` per frame is from the start of its first
 * animation-frame callback until the task right after its rendering (callbacks, the charts'
 * draws, style, layout and paint on the main thread); `intervals` are the gaps between
 * successive frames (16.7 at 60 Hz when none is dropped).
 */
export interface FrameTimes {
  work: number[]
  intervals: number[]
}

export interface BenchPanResult extends FrameTimes {
  bars: number
  /** Columns handed to the chart until its first paint, in ms. */
  paintMs: number
  /** Bars in view while panning. */
  visibleBars: number
  /** Bars the view moved in all. */
  panned: number
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
  /** Resolves once the Trade chart shows `count` indicator instances, all with values applied. */
  whenIndicatorsReady(count: number, timeoutMs?: number): Promise<ChartProbe>
  /**
   * Fetches `n` 1m demo bars and times how long a chart takes to first paint them; with
   * `indicators`, their `charting.series` values are fetched too and drawn with the bars.
   */
  benchPaint(
    n: number,
    symbol?: string,
    indicators?: { id: string; params?: Record<string, number> }[],
  ): Promise<BenchPaintResult>
  /**
   * Scrolls the Trade chart by `bars` (negative: back in time) as the keyboard does, so its own
   * history-on-scroll path runs when the view nears the first bar.
   */
  scrollChart(bars: number): void
  /**
   * A chart of `n` synthetic 1m bars over the whole window, panned back `step` bars every
   * animation frame for `frames` frames (the first few not counted: they settle); its frame times.
   */
  benchPan(n: number, frames: number, step: number): Promise<BenchPanResult>
  /** Frame times of whatever the page does for `ms` milliseconds. */
  measureFrames(ms: number): Promise<FrameTimes>
}

/** `globalThis` in the page, for code that runs there via `page.evaluate`. */
export interface HookGlobal {
  __candlework: CandleworkTestHook
}
