import {
  AreaSeries,
  BarSeries,
  CandlestickSeries,
  LineSeries,
  PriceScaleMode,
  type AutoscaleInfo,
  ColorType,
  createChart,
  createSeriesMarkers,
  CrosshairMode,
  LineStyle,
  type CandlestickData,
  type DeepPartial,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type PriceFormatCustom,
  type SeriesMarker,
  type TickMarkType,
  type Time,
  type TimeChartOptions,
  type UTCTimestamp,
} from 'lightweight-charts'
import type { Candle, CandleColumns } from '../../../../shared/domain/candles'
import { timeframeMs, type Timeframe } from '../../../../shared/domain/timeframes'
import { viewAfterReload, viewAnchor } from './chart-view'
import { HISTORY_MARGIN } from './history-paging'
import { heikinAshi, heikinAshiNext, type ChartType, type PriceMode } from './chart-style'
import { formatPrice } from '../../lib/format'
import { chartPalette, onThemeChange } from '../../lib/theme'
import { crosshairLabel, onTimeZoneChange, tickLabel } from '../../lib/time'
import type { ChartProbe } from '../../../../shared/testing/ui-hook'
import { IndicatorLayer } from '../indicators/indicator-layer'
import { DrawingsLayer } from '../drawings/drawings-layer'
import { ChartOrderEntry } from './chart-order-entry'
import { OrderLines } from './order-lines'
import { VolumeOverlay } from './volume-overlay'
import { CompareLines } from './compare-lines'

/**
 * The options of a chart that follow the theme (colours from the CSS variables) and the time
 * zone (axis and crosshair labels): given at creation and again on every change. The journal's
 * charts use the same.
 */
export function themedChartOptions(intraday: boolean): DeepPartial<TimeChartOptions> {
  const c = chartPalette()
  return {
    layout: {
      background: { type: ColorType.Solid, color: c.background },
      textColor: c.text,
      panes: { separatorColor: c.border, separatorHoverColor: 'rgba(79, 140, 255, 0.35)' },
    },
    grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
    crosshair: {
      vertLine: { color: c.crosshair, labelBackgroundColor: c.crosshairLabel },
      horzLine: { color: c.crosshair, labelBackgroundColor: c.crosshairLabel },
    },
    rightPriceScale: { borderColor: c.border },
    localization: { timeFormatter: (t: Time) => crosshairLabel(t as number, intraday) },
    timeScale: {
      borderColor: c.border,
      tickMarkFormatter: (t: Time, type: TickMarkType) => tickLabel(t as number, type, intraday),
    },
  }
}

/** Applies `themedChartOptions` to `chart` whenever the theme or the time zone changes; returns the unsubscribe. */
export function followTheme(chart: IChartApi, intraday: () => boolean, more?: () => void): () => void {
  const again = (): void => {
    chart.applyOptions(themedChartOptions(intraday()))
    more?.()
  }
  const offTheme = onThemeChange(again)
  const offZone = onTimeZoneChange(again)
  return () => {
    offTheme()
    offZone()
  }
}

export interface ChartSeriesInput {
  key: string
  source: string
  symbol: string
  timeframe: Timeframe
  precision: number
  columns: CandleColumns
  /** Bars added in front of the same series' previous bars (an older page): the view stays put. */
  prepended?: number
  /** When that page was asked for and answered (`performance.now()`): the probe times it. */
  prependTiming?: { askedAt: number; answeredAt: number }
}

/** One bar as the legend shows it, with the previous close for the change. */
export interface LegendBar {
  bar: Candle
  prevClose: number | null
  index: number
  latest: boolean
  /** False when the series carries no volume at all (many index histories). */
  hasVolume: boolean
}

interface Options {
  onLegend?: (bar: LegendBar | null) => void
  /** The view came within `HISTORY_MARGIN` bars of the first bar: time for older history. */
  onNearStart?: () => void
  /** Whether the latest bar is in view (false: the "jump to latest" button shows). */
  onLatestInView?: (inView: boolean) => void
}

const DEFAULT_PRECISION = 2

/** Fixed decimals with thousands separators, like the legend and the symbol list. */
function priceFormatFor(precision: number): PriceFormatCustom {
  const minMove = Number((10 ** -precision).toFixed(precision))
  return { type: 'custom', minMove, formatter: (p: number) => formatPrice(p, precision) }
}

type PaintListener = (probe: ChartProbe) => void

/**
 * lightweight-charts v5 wrapped for Candlework: candles on the right price scale, volume as a
 * histogram in the bottom fifth with its own scale (see volume-overlay.ts), times in UTC
 * seconds. Owns its chart and disposes it.
 */
export class CandleChart {
  private readonly chart: IChartApi
  private readonly candles: ISeriesApi<'Candlestick'>
  private readonly volume: VolumeOverlay
  private data: CandlestickData<Time>[] = []
  private volumes: number[] = []
  private rising: boolean[] = []
  private hasVolume = true
  /** Whether the bars carry volume at all, and whether the trader wants it shown. */
  private volumeInData = true
  private volumeWanted = true
  private type: ChartType = 'candles'
  private priceMode: PriceMode = 'normal'
  /** Heikin Ashi bars of `data` while that type is shown (the legend keeps the plain bars). */
  private ha: CandlestickData<Time>[] = []
  /** The line, area or bar series drawn instead of the (then invisible) candles. */
  private alt: ISeriesApi<'Line'> | ISeriesApi<'Area'> | ISeriesApi<'Bar'> | null = null
  private markersApi: ISeriesMarkersPluginApi<Time> | null = null
  private markerCount = 0
  /** Indicators drawn on this chart (overlays and their own panes). */
  readonly indicators: IndicatorLayer
  /** The trader's orders and position as lines on the candles (chart-trading.ts feeds them). */
  readonly orderLines: OrderLines
  /** Shift-click and the context menu: orders from a price on the chart. */
  readonly orderEntry: ChartOrderEntry
  /** The trader's drawings, anchored in time and price (features/drawings). */
  readonly drawings: DrawingsLayer
  /** Other symbols as percent lines over the bars (compare-store.ts feeds them). */
  readonly compare: CompareLines
  /** The bars' open times in ms (the compare lines keep to them). */
  private timesMs: number[] = []
  private precision = DEFAULT_PRECISION
  private intraday = true
  private meta: Omit<ChartSeriesInput, 'columns'> | null = null
  private liveUpdates = 0
  private paints = 0
  private loads = 0
  private clears = 0
  private generation = 0
  private paintedGeneration = -1
  private hovering = false
  private readonly paintListeners = new Set<PaintListener>()
  private disposed = false
  private readonly unfollowTheme: () => void

  constructor(
    container: HTMLElement,
    private readonly options: Options = {},
  ) {
    const palette = chartPalette()
    this.chart = createChart(container, {
      autoSize: true,
      layout: {
        fontSize: 11,
        fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-ui') || 'sans-serif',
      },
      crosshair: {
        mode: CrosshairMode.Normal,
        vertLine: { style: LineStyle.Dashed },
        horzLine: { style: LineStyle.Dashed },
      },
      rightPriceScale: { scaleMargins: { top: 0.08, bottom: 0.24 } },
      timeScale: { rightOffset: 8, barSpacing: 7, timeVisible: true },
    })
    this.chart.applyOptions(themedChartOptions(this.intraday))
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: palette.up,
      downColor: palette.down,
      borderVisible: false,
      wickUpColor: palette.up,
      wickDownColor: palette.down,
      priceLineStyle: LineStyle.Dotted,
      priceFormat: priceFormatFor(DEFAULT_PRECISION),
      autoscaleInfoProvider: (base: () => AutoscaleInfo | null) => this.autoscale(base()),
    })
    this.volume = new VolumeOverlay({ up: palette.upVolume, down: palette.downVolume }, 0.2)
    this.candles.attachPrimitive(this.volume)
    // Number format changes repaint the price scale (its formatter reads the separator).
    this.unfollowTheme = followTheme(this.chart, () => this.intraday)
    this.indicators = new IndicatorLayer(this.chart, this.candles)
    this.orderLines = new OrderLines(this.candles, container)
    this.orderEntry = new ChartOrderEntry(this.chart, this.candles, container)
    // After the order lines: a press on an order's line is the line's, not a drawing's.
    this.drawings = new DrawingsLayer(this.chart, this.candles, container)
    this.compare = new CompareLines(
      this.chart,
      () => this.timesMs,
      () => this.applyScaleMode(),
    )
    this.chart.subscribeCrosshairMove(this.onCrosshair)
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRange)
  }

  private latestInView = true
  private lastPrepend: ChartProbe['prepend'] = null

  /** Asks for older bars near the left edge; tells whether the latest bar is still in view. */
  private readonly onRange = (range: { from: number; to: number } | null): void => {
    if (!range || this.data.length === 0) return
    if (range.from < HISTORY_MARGIN) this.options.onNearStart?.()
    const inView = range.to >= this.data.length - 1
    if (inView !== this.latestInView) {
      this.latestInView = inView
      this.options.onLatestInView?.(inView)
    }
  }

  /**
   * Replaces the whole series (or clears it with null). Resolves listeners once painted. A new
   * series opens on its latest bars; the same series again (its history fetched anew after a
   * reconnect) keeps the trader's zoom and scroll (see `viewAfterReload`).
   */
  setSeries(input: ChartSeriesInput | null): void {
    if (this.disposed) return
    const sameSeries = input !== null && this.meta?.key === input.key
    const range = sameSeries ? this.chart.timeScale().getVisibleLogicalRange() : null
    const added = sameSeries ? (input.prepended ?? 0) : 0
    // An older page in front: the same bars stay in view, their indices moved by the page.
    const shifted = range && added > 0 ? { from: range.from + added, to: range.to + added } : null
    const keepView = sameSeries && !shifted ? viewAnchor(range, this.bars()) : null
    const gen = ++this.generation
    this.liveUpdates = 0
    if (!input) {
      if (this.meta !== null) this.clears++
      this.meta = null
      this.data = []
      this.timesMs = []
      this.volumes = []
      this.rising = []
      this.candles.setData([])
      this.ha = []
      this.alt?.setData([])
      this.volume.setData([], [])
      this.indicators.setBars([], '1h', this.precision)
      this.drawings.setBars([], 60_000, this.precision)
      this.setMarkers([])
      this.emitLegend()
      return
    }
    const { columns, ...meta } = input
    this.loads++
    this.meta = meta
    const { time, open, high, low, close, volume } = columns
    const n = time.length
    const data = new Array<CandlestickData<Time>>(n)
    const rising = new Array<boolean>(n)
    let hasVolume = false
    for (let i = 0; i < n; i++) {
      const o = open[i]!
      const c = close[i]!
      data[i] = { time: (time[i]! / 1000) as UTCTimestamp, open: o, high: high[i]!, low: low[i]!, close: c }
      rising[i] = c >= o
      if (volume[i]! > 0) hasVolume = true
    }
    this.data = data
    this.timesMs = Array.from(time)
    // Our own copy: live updates append to it, the store's columns stay untouched.
    this.volumes = volume.slice()
    this.rising = rising
    this.volume.setData(this.volumes, this.rising)
    this.volumeInData = hasVolume
    this.showVolume()
    // Options only when they change: lightweight-charts recomputes every bar's colours on its
    // next paint after applyOptions (~100 ms at 100,000 bars), so the common two-decimal
    // format is set when the series is created.
    if (meta.precision !== this.precision) {
      this.precision = meta.precision
      this.candles.applyOptions({ priceFormat: priceFormatFor(meta.precision) })
    }
    const intraday = meta.timeframe !== '1d' && meta.timeframe !== '1w' && meta.timeframe !== '1M'
    if (intraday !== this.intraday) {
      this.intraday = intraday
      this.chart.applyOptions({ timeScale: { timeVisible: intraday, secondsVisible: false } })
      this.chart.applyOptions(themedChartOptions(intraday))
    }
    this.indicators.setBars(time, meta.timeframe, meta.precision)
    this.drawings.setBars(time, timeframeMs(meta.timeframe), meta.precision)
    this.setMarkers([])
    this.paintBars()
    this.compare.realign()
    const view = shifted ?? (keepView && viewAfterReload(keepView, this.bars()))
    if (view) this.chart.timeScale().setVisibleLogicalRange(view)
    else this.chart.timeScale().resetTimeScale()
    this.emitLegend()
    // lightweight-charts draws in its next animation frame; the frame after that has been
    // presented, so the second callback is "after first paint".
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (this.disposed || gen !== this.generation) return
        this.paints++
        this.paintedGeneration = gen
        const timing = input.prependTiming
        if (shifted && timing) {
          this.lastPrepend = {
            bars: added,
            fetchMs: timing.answeredAt - timing.askedAt,
            paintMs: performance.now() - timing.answeredAt,
          }
        }
        // Only the test build listens (its hook); the product builds no probe per paint.
        if (this.paintListeners.size === 0) return
        const probe = this.probe()
        for (const l of [...this.paintListeners]) l(probe)
      }),
    )
  }

  /** Applies the forming (or just closed) bar; older bars than the last one are ignored. */
  applyLive(candle: Candle): boolean {
    if (this.disposed || !this.meta) return false
    const t = (candle.time / 1000) as UTCTimestamp
    const last = this.data[this.data.length - 1]
    if (last && t < (last.time as number)) return false
    const bar: CandlestickData<Time> = {
      time: t,
      open: candle.open,
      high: candle.high,
      low: candle.low,
      close: candle.close,
    }
    if (last && t === (last.time as number)) {
      this.data[this.data.length - 1] = bar
      this.volumes[this.volumes.length - 1] = candle.volume
      this.rising[this.rising.length - 1] = candle.close >= candle.open
    } else {
      this.data.push(bar)
      this.timesMs.push(candle.time)
      this.volumes.push(candle.volume)
      this.rising.push(candle.close >= candle.open)
      this.indicators.noteBar(candle.time)
      this.drawings.noteBar(candle.time)
    }
    if (!this.volumeInData && candle.volume > 0) {
      this.volumeInData = true
      this.showVolume()
    }
    // Repaints the pane, the volume overlay included (it reads the arrays above).
    this.candles.update(this.type === 'heikin-ashi' ? this.haLast() : bar)
    this.alt?.update(this.altPoint(bar))
    this.liveUpdates++
    if (!this.hovering) this.emitLegend()
    return true
  }

  /**
   * Follows the crosshair where the trader's pointer moves it over this chart: the open time (ms)
   * of the bar under it, null when the pointer leaves. Moves made by `showCrosshairAt` are not
   * reported (the pointer is not over this chart then), so linked charts never echo each other.
   */
  onPointerTime(listener: (time: number | null) => void): () => void {
    const host = this.chart.chartElement()
    let inside = false
    const enter = (): void => void (inside = true)
    const leave = (): void => {
      inside = false
      listener(null)
    }
    const move = (param: MouseEventParams<Time>): void => {
      if (!inside) return
      const bar = param.logical === undefined ? undefined : this.data[Math.round(param.logical)]
      listener(bar ? (bar.time as number) * 1000 : null)
    }
    host.addEventListener('pointerenter', enter)
    host.addEventListener('pointerleave', leave)
    this.chart.subscribeCrosshairMove(move)
    return () => {
      host.removeEventListener('pointerenter', enter)
      host.removeEventListener('pointerleave', leave)
      if (!this.disposed) this.chart.unsubscribeCrosshairMove(move)
    }
  }

  /** A linked chart's crosshair: on the last bar open at `time` (ms) on this chart's timeframe, or none. */
  showCrosshairAt(time: number | null): void {
    if (this.disposed) return
    const bars = this.bars()
    const t = time === null ? NaN : time / 1000
    // The last bar opened at or before t (binary search: the bars are in time order).
    let lo = 0
    let hi = bars.length - 1
    let at = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (bars[mid]!.time <= t) {
        at = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    const bar = this.data[at]
    if (!bar) this.chart.clearCrosshairPosition()
    else this.chart.setCrosshairPosition(bar.close, bar.time, this.candles)
  }

  /** The trader's volume toggle (saved per symbol with the chart settings). */
  setVolumeWanted(on: boolean): void {
    if (on === this.volumeWanted) return
    this.volumeWanted = on
    this.showVolume()
  }

  /**
   * Keyboard scrolling: moves the view `bars` bars back (negative) or forward, never past the
   * latest bar's usual margin (lightweight-charts' scrollToPosition counts from the right edge).
   */
  scrollBars(bars: number): void {
    if (this.disposed) return
    const ts = this.chart.timeScale()
    const pos = Math.min(ts.options().rightOffset, ts.scrollPosition() + bars)
    ts.scrollToPosition(pos, false)
  }

  /** One screen of bars (for Shift+arrow). */
  barsPerScreen(): number {
    const r = this.chart.timeScale().getVisibleLogicalRange()
    return r ? Math.max(1, Math.round(r.to - r.from)) : 50
  }

  /** Keyboard zoom: bar spacing times `factor` (>1 zooms in), the right edge kept in place. */
  zoom(factor: number): void {
    if (this.disposed) return
    const ts = this.chart.timeScale()
    const spacing = Math.max(0.5, Math.min(60, ts.options().barSpacing * factor))
    ts.applyOptions({ barSpacing: spacing })
  }

  /** Back to the latest bar at its usual margin. */
  scrollToLatest(): void {
    if (this.disposed) return
    // At once rather than scrollToRealTime's 400 ms animation, whose frames do not report the
    // visible range: the "Latest" button stayed up after the view reached the latest bar.
    const ts = this.chart.timeScale()
    ts.scrollToPosition(ts.options().rightOffset, false)
  }

  /** Signal markers on the candles (replaces the previous ones). */
  setMarkers(markers: SeriesMarker<Time>[]): void {
    if (this.disposed) return
    this.markerCount = markers.length
    if (markers.length === 0 && !this.markersApi) return
    this.markersApi ??= createSeriesMarkers(this.candles, [], { autoScale: true })
    this.markersApi.setMarkers(markers)
  }

  /** Without volume the candles take the whole height; with it they leave the bottom band free. */
  private showVolume(): void {
    const on = this.volumeInData && this.volumeWanted
    this.volume.setVisible(on)
    if (on === this.hasVolume) return
    this.hasVolume = on
    // The room for the volume band comes from the autoscale (`autoscale`), never below zero.
    this.chart.priceScale('right').applyOptions({ scaleMargins: { top: 0.08, bottom: on ? 0.02 : 0.06 } })
  }

  /**
   * The price range in view, stretched down so the volume band (the bottom fifth) has room
   * under the lowest bar, but never below zero (a plain scale) and in ratio on a log scale: a
   * scale margin did that by extending the axis below the range, which on a monthly chart meant
   * negative prices under the volume.
   */
  private autoscale(base: AutoscaleInfo | null): AutoscaleInfo | null {
    if (!base?.priceRange || !this.hasVolume) return base
    const { minValue: min, maxValue: max } = base.priceRange
    // The band takes 22% of the height; the bars the remaining 70% (8% top margin).
    const share = 0.22 / 0.7
    let low: number
    if (this.scaleMode() === 'log' && min > 0) low = min / Math.pow(max / min, share)
    else low = Math.max(Math.min(min, 0), min - (max - min) * share)
    return { ...base, priceRange: { minValue: low, maxValue: max } }
  }

  /** Candles, hollow candles, bars, line, area or Heikin Ashi. */
  setType(type: ChartType): void {
    if (this.disposed || type === this.type) return
    this.type = type
    const p = chartPalette()
    const hollow = type === 'hollow'
    const drawn = type === 'candles' || hollow || type === 'heikin-ashi'
    const none = 'rgba(0,0,0,0)'
    this.candles.applyOptions({
      upColor: drawn ? (hollow ? none : p.up) : none,
      downColor: drawn ? p.down : none,
      wickVisible: drawn,
      borderVisible: hollow,
      borderUpColor: p.up,
      borderDownColor: p.down,
      wickUpColor: p.up,
      wickDownColor: p.down,
      // The line, area and bar series carry the last-price label and line.
      lastValueVisible: drawn,
      priceLineVisible: drawn,
    })
    if (this.alt) {
      this.chart.removeSeries(this.alt)
      this.alt = null
    }
    const format = { priceFormat: priceFormatFor(this.precision) }
    if (type === 'line')
      this.alt = this.chart.addSeries(LineSeries, { ...format, color: p.accent, lineWidth: 2 })
    else if (type === 'area')
      this.alt = this.chart.addSeries(AreaSeries, {
        ...format,
        lineColor: p.accent,
        topColor: `${p.accent}55`,
        bottomColor: `${p.accent}05`,
        lineWidth: 2,
      })
    else if (type === 'bars')
      this.alt = this.chart.addSeries(BarSeries, {
        ...format,
        upColor: p.up,
        downColor: p.down,
        thinBars: false,
      })
    this.paintBars()
  }

  /**
   * Where the countdown goes: under the last price's label on the price scale (its y in the
   * pane and the scale's width), with the last bar's open time; null without bars.
   */
  lastPriceLabel(): { time: number; y: number; width: number } | null {
    const last = this.data[this.data.length - 1]
    if (this.disposed || !last) return null
    const shown = this.type === 'heikin-ashi' ? (this.ha[this.ha.length - 1] ?? last) : last
    const y = this.candles.priceToCoordinate(shown.close)
    if (y === null) return null
    return { time: (last.time as number) * 1000, y, width: this.chart.priceScale('right').width() }
  }

  /** Plain, logarithmic or percent price scale (percent regardless while symbols are compared). */
  setPriceMode(mode: PriceMode): void {
    if (this.disposed || mode === this.priceMode) return
    this.priceMode = mode
    this.applyScaleMode()
  }

  /** The scale shown: the trader's, or percent while compare lines are drawn (as TradingView). */
  private scaleMode(): PriceMode {
    return this.compare.count > 0 ? 'percent' : this.priceMode
  }

  private applyScaleMode(): void {
    if (this.disposed) return
    const mode = this.scaleMode()
    const m =
      mode === 'log'
        ? PriceScaleMode.Logarithmic
        : mode === 'percent'
          ? PriceScaleMode.Percentage
          : PriceScaleMode.Normal
    this.chart.priceScale('right').applyOptions({ mode: m })
  }

  /**
   * Each compare line's change in percent from the first bar in view to bar `index` (the one
   * under the crosshair): what its line shows there.
   */
  compareValuesAt(index: number): Record<string, number | null> {
    const at = this.timesMs[index]
    const range = this.chart.timeScale().getVisibleLogicalRange()
    const from = this.timesMs[Math.max(0, Math.ceil(range?.from ?? 0))]
    if (at === undefined || from === undefined) return {}
    return this.compare.valuesAt(from, at)
  }

  /** The bars into the series as the type wants them. */
  private paintBars(): void {
    if (this.type === 'heikin-ashi') {
      const ha = heikinAshi(this.data)
      this.ha = ha.map((b, i) => ({ time: this.data[i]!.time, ...b }))
      this.candles.setData(this.ha)
    } else {
      this.ha = []
      this.candles.setData(this.data)
    }
    this.alt?.setData(this.data.map((d) => this.altPoint(d)))
  }

  /** The HA bar of the last plain bar (after a live update), kept in `ha`. */
  private haLast(): CandlestickData<Time> {
    const i = this.data.length - 1
    const bar = this.data[i]!
    const prev = i > 0 ? this.ha[i - 1] : undefined
    const next = { time: bar.time, ...heikinAshiNext(prev, bar) }
    this.ha[i] = next
    return next
  }

  private altPoint(d: CandlestickData<Time>): CandlestickData<Time> & { value: number } {
    return { ...d, value: d.close }
  }

  onPainted(listener: PaintListener): () => void {
    this.paintListeners.add(listener)
    return () => this.paintListeners.delete(listener)
  }

  probe(): ChartProbe {
    const n = this.data.length
    const last = this.data[n - 1]
    const first = this.data[0]
    const meta = this.meta
    return {
      state: meta ? 'ready' : 'empty',
      key: meta?.key ?? null,
      source: meta?.source ?? null,
      symbol: meta?.symbol ?? null,
      timeframe: meta?.timeframe ?? null,
      bars: n,
      firstTime: first ? (first.time as number) * 1000 : null,
      lastTime: last ? (last.time as number) * 1000 : null,
      lastClose: last ? last.close : null,
      liveUpdates: this.liveUpdates,
      painted: meta !== null && this.paintedGeneration === this.generation,
      paints: this.paints,
      loads: this.loads,
      clears: this.clears,
      view: this.viewProbe(),
      recentTimes: this.data.slice(-100).map((d) => (d.time as number) * 1000),
      panes: this.chart.panes().length,
      volumeShown: this.volumeInData && this.volumeWanted,
      markers: this.markerCount,
      indicators: this.indicators.probe(),
      timeLabels: last ? this.timeLabels(last.time) : null,
      prepend: this.lastPrepend,
      priceBottom: this.priceBottom(),
      chartType: this.type,
      priceMode: this.priceMode,
      drawings: this.drawings.probe(),
      compare: this.compare.pointCounts(),
    }
  }

  private priceBottom(): number | null {
    const pane = this.chart.panes()[0]
    if (!pane || this.data.length === 0) return null
    const price = this.candles.coordinateToPrice(pane.getHeight())
    if (price === null) return null
    return price
  }

  private timeLabels(time: Time): { tick: string; crosshair: string } {
    const o = this.chart.options() as TimeChartOptions
    return {
      tick: String(o.timeScale.tickMarkFormatter?.(time, 3 as TickMarkType, 'en-US') ?? ''),
      crosshair: o.localization.timeFormatter?.(time) ?? '',
    }
  }

  private viewProbe(): ChartProbe['view'] {
    const range = this.chart.timeScale().getVisibleLogicalRange()
    if (!range) return null
    // The first bar whose index is at least `from`. lightweight-charts keeps the range as a
    // right offset and a bar spacing, so a `from` set to 1234 can read back 1234.0000000001:
    // a hair of floating-point noise must not count as the next bar.
    const first = this.data[Math.max(0, Math.ceil(range.from - 1e-6))]
    return { from: range.from, to: range.to, firstTime: first ? (first.time as number) * 1000 : null }
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.paintListeners.clear()
    this.unfollowTheme()
    this.chart.unsubscribeCrosshairMove(this.onCrosshair)
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRange)
    this.indicators.dispose()
    this.orderEntry.dispose()
    this.drawings.dispose()
    this.compare.dispose()
    this.orderLines.dispose()
    this.markersApi?.detach()
    this.candles.detachPrimitive(this.volume)
    this.chart.remove()
  }

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    const n = this.data.length
    if (param.logical === undefined || n === 0 || param.point === undefined) {
      this.hovering = false
      this.indicators.setHovered(null)
      this.emitLegend()
      return
    }
    this.hovering = true
    this.indicators.setHovered(Math.round(param.logical))
    const index = Math.max(0, Math.min(n - 1, Math.round(param.logical)))
    this.emitLegend(index)
  }

  /** The bars with their times as numbers (we only ever give UTCTimestamps). */
  private bars(): readonly { time: number }[] {
    return this.data as unknown as readonly { time: number }[]
  }

  private emitLegend(index = this.data.length - 1): void {
    const d = this.data[index]
    if (!d) {
      this.options.onLegend?.(null)
      return
    }
    const prev = this.data[index - 1]
    this.options.onLegend?.({
      bar: {
        time: (d.time as number) * 1000,
        open: d.open,
        high: d.high,
        low: d.low,
        close: d.close,
        volume: this.volumes[index] ?? NaN,
      },
      prevClose: prev ? prev.close : null,
      index,
      latest: index === this.data.length - 1,
      hasVolume: this.hasVolume,
    })
  }
}
