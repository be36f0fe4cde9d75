import {
  LineSeries,
  LineStyle,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type SeriesType,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts'
import type { IndicatorInfo, InstanceSeries, LiveIndicatorEvent } from '../../../../shared/contract/charting'
import { nextBucket, type Timeframe } from '../../../../shared/domain/timeframes'
import type { IndicatorProbe } from '../../../../shared/testing/ui-hook'
import { BandFill } from './band-fill'
import { IndicatorPlots, type PlotLine } from './plots'
import { BANDS, formatValue, LEVELS, outputColor } from './styles'

/** What the store asks the chart to show for one indicator instance. */
export interface LayerInstance {
  key: string
  info: IndicatorInfo
  params: Record<string, number | string>
  colors: Record<string, string>
  visible: boolean
  /** Values over the chart's bars (null while they load); replaced as a whole, never mutated. */
  data: InstanceSeries | null
  /** Bar open times (ms) `data` is aligned to. */
  dataTime: number[] | null
  /** What `charting.series` was asked, for the test hook. */
  request: { to: number; limit: number } | null
}

interface DrawnOutput {
  name: string
  plot: 'line' | 'histogram' | 'dots' | 'none'
  offset: number
  color: string
  /** Values by display position (bar index + offset); NaN where there is none. */
  disp: number[]
}

interface Drawn {
  key: string
  id: string
  pane: 'overlay' | 'separate'
  info: IndicatorInfo
  params: Record<string, number | string>
  paramSig: string
  colorSig: string
  colors: Record<string, string>
  visible: boolean
  data: InstanceSeries | null
  request: LayerInstance['request']
  outputs: DrawnOutput[]
  /** The series the plots are attached to: the candles, or this indicator's pane host. */
  host: ISeriesApi<SeriesType, Time>
  /** A one-point series that gives an indicator pane its price scale (null for overlays). */
  paneHost: ISeriesApi<'Line', Time> | null
  /** Whitespace times past the last bar, for outputs drawn shifted into the future (Ichimoku). */
  future: ISeriesApi<'Line', Time> | null
  plots: IndicatorPlots
  lines: PlotLine[]
  band: BandFill | null
  priceLines: IPriceLine[]
  liveUpdates: number
}

const LEVEL_COLOR = 'rgba(139, 149, 165, 0.45)'
/** The price pane's share against one indicator pane. */
const PRICE_PANE_STRETCH = 3

/**
 * The indicators drawn on a CandleChart: overlays on the price pane, oscillators in panes of
 * their own below it (lightweight-charts v5 panes), shaded channels and Ichimoku's cloud,
 * dashed reference levels. Values are kept per display position (bar index + the output's
 * shift) and drawn by IndicatorPlots from those columns (see plots.ts for why); the legend
 * reads the value under the crosshair from them, and a live point is one write and a repaint.
 */
export class IndicatorLayer {
  private readonly drawn = new Map<string, Drawn>()
  /** Open times (s) of the chart's bars, the forming one included. */
  private times: number[] = []
  private timeframe: Timeframe = '1h'
  private precision = 2
  private hoveredIndex: number | null = null
  private readonly listeners = new Set<() => void>()

  constructor(
    private readonly chart: IChartApi,
    private readonly price: ISeriesApi<SeriesType, Time>,
  ) {}

  /** Hears every change of what is shown (data set, live point, visibility), for the legends. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** New bars on the chart: indicator data for the old ones is cleared until it is set again. */
  setBars(timesMs: readonly number[], timeframe: Timeframe, precision: number): void {
    this.times = timesMs.map((t) => t / 1000)
    this.timeframe = timeframe
    this.precision = precision
    for (const d of this.drawn.values()) {
      d.data = null
      for (const o of d.outputs) o.disp = []
      this.refreshHosts(d)
      d.lines = this.plotLines(d)
      d.plots.requestUpdate()
    }
    this.changed()
  }

  /** A bar the chart now has (live): appended when newer than the last. */
  noteBar(timeMs: number): void {
    const t = timeMs / 1000
    const last = this.times[this.times.length - 1]
    if (last !== undefined && t <= last) return
    const projected = last === undefined ? t : this.futureTime(1)
    this.times.push(t)
    for (const d of this.drawn.values()) {
      // Outputs shifted into the future are drawn by position, so they follow the new bar by
      // themselves; the whitespace that lets the time scale reach past the last bar moves on
      // by one bar, or is laid again when the bar came at another time than projected (a
      // session gap).
      if (!d.future) continue
      if (projected !== t || !d.data) {
        this.setFuture(d)
        continue
      }
      try {
        d.future.update({ time: this.timeAt(this.times.length - 1 + this.maxOffset(d)) as UTCTimestamp })
      } catch {
        this.setFuture(d)
      }
    }
  }

  /** The display position under the crosshair (null when the pointer is away). */
  setHovered(index: number | null): void {
    if (index === this.hoveredIndex) return
    this.hoveredIndex = index
    for (const d of this.drawn.values()) d.plots.requestUpdate()
  }

  /** Makes the chart show exactly `instances`, in this order; only what changed is redone. */
  sync(instances: readonly LayerInstance[]): void {
    const wanted = new Set(instances.map((i) => i.key))
    let structural = false
    for (const [key, d] of this.drawn) {
      if (!wanted.has(key)) {
        this.remove(d)
        structural = true
      }
    }
    for (const inst of instances) {
      const paramSig = JSON.stringify([inst.info.id, inst.params])
      let d = this.drawn.get(inst.key)
      let repaint = false
      if (d && d.paramSig !== paramSig) {
        d.params = inst.params
        d.paramSig = paramSig
        d.data = null
        for (const o of d.outputs) o.disp = []
        this.refreshHosts(d)
        repaint = true
      }
      if (!d) {
        d = this.create(inst, paramSig)
        structural = true
      }
      const colorSig = JSON.stringify(inst.colors)
      if (d.colorSig !== colorSig) {
        d.colorSig = colorSig
        d.colors = inst.colors
        d.outputs.forEach((o, k) => (o.color = outputColor(d.id, o.name, k, inst.colors)))
        d.band?.setColors(this.bandColors(d))
        repaint = true
      }
      if (d.visible !== inst.visible) {
        d.visible = inst.visible
        d.band?.setVisible(inst.visible)
        d.paneHost?.applyOptions({ visible: inst.visible })
        repaint = true
      }
      d.request = inst.request
      if (d.data !== inst.data) {
        d.data = inst.data
        this.fill(d, inst.data, inst.dataTime)
        repaint = true
      }
      if (repaint) {
        d.lines = this.plotLines(d)
        d.plots.requestUpdate()
        d.band?.requestUpdate()
      }
    }
    if (structural) this.layoutPanes()
    this.changed()
  }

  /** One live point for the instances `keys` (the order the stream was opened with). */
  applyLive(event: LiveIndicatorEvent, keys: readonly string[]): number {
    this.noteBar(event.time)
    const bar = this.indexOf(event.time / 1000)
    if (bar < 0) return 0
    let applied = 0
    keys.forEach((key, i) => {
      const d = this.drawn.get(key)
      const values = event.values[i]
      if (!d || !d.data || !values) return
      d.outputs.forEach((o, k) => {
        const p = bar + o.offset
        if (p < 0) return
        while (o.disp.length <= p) o.disp.push(NaN)
        o.disp[p] = values[k] ?? NaN
      })
      this.updatePaneHost(d)
      d.plots.requestUpdate()
      d.band?.requestUpdate()
      d.liveUpdates++
      applied++
    })
    if (applied > 0) this.changed()
    return applied
  }

  /** Values at display position `index`, by instance key, in output order (null = none). */
  valuesAt(index: number): Record<string, (number | null)[]> {
    const out: Record<string, (number | null)[]> = {}
    for (const d of this.drawn.values()) {
      out[d.key] = d.outputs.map((o) => {
        const v = o.disp[index]
        return v === undefined || !Number.isFinite(v) ? null : v
      })
    }
    return out
  }

  /** Top of each separate indicator's pane in px from the chart's top, for the pane legends. */
  paneTops(): Record<string, number> {
    const tops: Record<string, number> = {}
    const startOf: number[] = []
    let y = 0
    for (const p of this.chart.panes()) {
      startOf.push(y)
      // Pane separators are one pixel high.
      y += p.getHeight() + 1
    }
    for (const d of this.drawn.values()) {
      if (!d.paneHost) continue
      const top = startOf[d.paneHost.getPane().paneIndex()]
      if (top !== undefined) tops[d.key] = top
    }
    return tops
  }

  probe(): IndicatorProbe[] {
    return [...this.drawn.values()].map((d) => ({
      key: d.key,
      id: d.id,
      params: d.params,
      pane: d.host.getPane().paneIndex(),
      visible: d.visible,
      ready: d.data !== null,
      request: d.request,
      liveUpdates: d.liveUpdates,
      outputs: d.outputs.map((o) => {
        const pts: [number, number][] = []
        for (let p = 0; p < o.disp.length; p++) {
          const v = o.disp[p]!
          if (Number.isFinite(v)) pts.push([this.timeAt(p) * 1000, v])
        }
        const last = pts[pts.length - 1]
        return {
          name: o.name,
          plot: o.plot,
          offset: o.offset,
          color: o.color,
          points: pts.length,
          firstTime: pts[0]?.[0] ?? null,
          lastTime: last?.[0] ?? null,
          lastValue: last?.[1] ?? null,
          tail: pts.slice(-60),
        }
      }),
    }))
  }

  dispose(): void {
    for (const d of [...this.drawn.values()]) this.remove(d)
    this.listeners.clear()
  }

  // -- building -------------------------------------------------------------------------

  private create(inst: LayerInstance, paramSig: string): Drawn {
    const { info } = inst
    let paneHost: ISeriesApi<'Line', Time> | null = null
    if (info.pane === 'separate') {
      // A new pane below the others, its price scale carried by an invisible one-point series.
      paneHost = this.chart.addSeries(
        LineSeries,
        {
          lineVisible: false,
          pointMarkersVisible: false,
          crosshairMarkerVisible: false,
          lastValueVisible: false,
          priceLineVisible: false,
          visible: inst.visible,
          priceFormat: {
            type: 'custom',
            minMove: 0.01,
            formatter: (v: number) => formatValue(info.id, 'separate', v, this.precision),
          },
        },
        this.chart.panes().length,
      )
      // Its border colour is the chart's (themedChartOptions), so it follows a theme switch.
      paneHost.priceScale().applyOptions({ scaleMargins: { top: 0.14, bottom: 0.08 } })
    }
    const host = paneHost ?? this.price
    const outputs = info.outputs.map((out, k) => ({
      name: out.name,
      plot: out.plot,
      offset: 0,
      color: outputColor(info.id, out.name, k, inst.colors),
      disp: [] as number[],
    }))
    const d: Drawn = {
      key: inst.key,
      id: info.id,
      pane: info.pane,
      info,
      params: inst.params,
      paramSig,
      colorSig: JSON.stringify(inst.colors),
      colors: inst.colors,
      visible: inst.visible,
      data: null,
      request: inst.request,
      outputs,
      host,
      paneHost,
      future: null,
      plots: null as unknown as IndicatorPlots,
      lines: [],
      band: null,
      priceLines: [],
      liveUpdates: 0,
    }
    d.plots = new IndicatorPlots(host, {
      visible: () => d.visible,
      lines: () => d.lines,
      levels: () => (d.pane === 'separate' ? (LEVELS[d.id] ?? []) : []),
      hovered: () => this.hoveredIndex,
      lastBar: () => this.times.length - 1,
    })
    const band = BANDS[info.id]
    if (band) {
      const upper = outputs.find((o) => o.name === band.upper)
      const lower = outputs.find((o) => o.name === band.lower)
      if (upper && lower) {
        d.band = new BandFill(
          host,
          () => upper.disp,
          () => lower.disp,
          this.bandColors(d),
        )
        d.band.setVisible(inst.visible)
        host.attachPrimitive(d.band)
      }
    }
    host.attachPrimitive(d.plots)
    if (paneHost && info.pane === 'separate') {
      for (const price of LEVELS[info.id] ?? []) {
        d.priceLines.push(
          paneHost.createPriceLine({
            price,
            color: LEVEL_COLOR,
            lineWidth: 1,
            lineStyle: LineStyle.Dashed,
            axisLabelVisible: false,
            title: '',
          }),
        )
      }
    }
    if (info.outputs.some((o) => o.shifted)) {
      d.future = this.chart.addSeries(
        LineSeries,
        {
          lineVisible: false,
          crosshairMarkerVisible: false,
          lastValueVisible: false,
          priceLineVisible: false,
        },
        0,
      )
    }
    this.drawn.set(inst.key, d)
    return d
  }

  private remove(d: Drawn): void {
    d.host.detachPrimitive(d.plots)
    if (d.band) d.host.detachPrimitive(d.band)
    for (const line of d.priceLines) d.paneHost?.removePriceLine(line)
    if (d.paneHost) this.chart.removeSeries(d.paneHost)
    if (d.future) this.chart.removeSeries(d.future)
    this.drawn.delete(d.key)
  }

  /** Indicator panes share the height below the price pane; the price pane keeps the most. */
  private layoutPanes(): void {
    this.chart.panes().forEach((p, i) => p.setStretchFactor(i === 0 ? PRICE_PANE_STRETCH : 1))
  }

  /** What IndicatorPlots draws for an instance: every output with a plot, in its style. */
  private plotLines(d: Drawn): PlotLine[] {
    const lines: PlotLine[] = []
    const format = (v: number): string => formatValue(d.id, d.pane, v, this.precision)
    const wide = d.pane === 'overlay' && (d.id === 'supertrend' || d.id === 'vwap')
    for (const o of d.outputs) {
      if (o.plot === 'none') continue
      const line: PlotLine = {
        disp: o.disp,
        kind: o.plot,
        color: o.color,
        width: wide ? 2 : o.plot === 'histogram' ? 1 : 1.25,
        axisLabel: d.pane === 'separate',
        format,
      }
      if (d.id === 'supertrend') {
        const dir = d.outputs.find((x) => x.name === 'direction')
        const up = o.color
        const down = outputColor(d.id, 'direction', 1, d.colors)
        line.colorAt = (p) => {
          const v = dir?.disp[p]
          return v === undefined || !Number.isFinite(v) ? null : v > 0 ? up : down
        }
      }
      const breaks = this.sessionBreaks(d)
      if (breaks) line.breakBefore = breaks
      lines.push(line)
    }
    return lines
  }

  /** For session-anchored VWAP: whether display position `p` opens a new session. */
  private sessionBreaks(d: Drawn): ((p: number) => boolean) | undefined {
    if (d.id !== 'vwap') return undefined
    const anchor = d.params.anchor ?? 'day'
    if (anchor !== 'day' && anchor !== 'week' && anchor !== 'month') return undefined
    return (p) => p > 0 && sessionOf(anchor, this.timeAt(p)) !== sessionOf(anchor, this.timeAt(p - 1))
  }

  private bandColors(d: Drawn) {
    const band = BANDS[d.id]!
    const upIdx = d.info.outputs.findIndex((o) => o.name === band.upper)
    const loIdx = d.info.outputs.findIndex((o) => o.name === band.lower)
    const above = outputColor(d.id, band.upper, upIdx, d.colors)
    const below = outputColor(d.id, band.lower, loIdx, d.colors)
    return band.cloud
      ? { above: withAlpha(above, 0.16), below: withAlpha(below, 0.16) }
      : { above: withAlpha(above, 0.06), below: withAlpha(above, 0.06) }
  }

  /** Display columns from a `charting.series` answer, aligned to the chart's bars by time. */
  private fill(d: Drawn, data: InstanceSeries | null, dataTime: number[] | null): void {
    for (const o of d.outputs) o.disp = []
    if (data && dataTime && dataTime.length > 0) {
      const base = this.indexOf(dataTime[0]! / 1000)
      if (base >= 0) {
        data.outputs.forEach((out, k) => {
          const o = d.outputs[k]
          if (!o) return
          o.offset = out.offset
          const disp: number[] = []
          const put = (p: number, v: number | null): void => {
            if (p < 0) return
            while (disp.length < p) disp.push(NaN)
            disp[p] = v ?? NaN
          }
          // `before` holds the bars just before the first one: shifted right, they land on the first bars.
          out.before.forEach((v, j) => put(base + j, v))
          out.values.forEach((v, j) => put(base + j + out.offset, v))
          o.disp = disp
        })
      }
    }
    this.refreshHosts(d)
  }

  /** The pane host's one point and the future whitespace follow the data. */
  private refreshHosts(d: Drawn): void {
    if (d.paneHost) {
      const point = this.hostPoint(d)
      d.paneHost.setData(point ? [point] : [])
    }
    if (d.future) this.setFuture(d)
  }

  private updatePaneHost(d: Drawn): void {
    if (!d.paneHost) return
    const point = this.hostPoint(d)
    if (!point) return
    try {
      d.paneHost.update(point)
    } catch {
      d.paneHost.setData([point])
    }
  }

  /**
   * The newest value of the first drawn output, on the newest bar: lightweight-charts scales a
   * pane only when one of its series has a point at or after the first bar in view.
   */
  private hostPoint(d: Drawn): { time: UTCTimestamp; value: number } | null {
    const n = this.times.length
    if (n === 0) return null
    for (const o of d.outputs) {
      if (o.plot === 'none') continue
      for (let p = Math.min(n - 1, o.disp.length - 1); p >= 0; p--) {
        const v = o.disp[p]!
        if (Number.isFinite(v)) return { time: this.times[n - 1]! as UTCTimestamp, value: v }
      }
    }
    return null
  }

  private maxOffset(d: Drawn): number {
    return d.outputs.reduce((m, o) => Math.max(m, o.offset), 0)
  }

  /** Whitespace on the projected times past the last bar, so the time scale reaches them. */
  private setFuture(d: Drawn): void {
    if (!d.future) return
    const n = this.times.length
    const k = d.data ? this.maxOffset(d) : 0
    const points = []
    for (let i = 1; i <= k && n > 0; i++) points.push({ time: this.timeAt(n - 1 + i) as UTCTimestamp })
    d.future.setData(points)
  }

  private changed(): void {
    for (const l of [...this.listeners]) l()
  }

  /** Index of bar time `t` (s); -1 when absent. */
  private indexOf(t: number): number {
    const times = this.times
    let lo = 0
    let hi = times.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const v = times[mid]!
      if (v === t) return mid
      if (v < t) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /** Time (s) of display position `p`: a bar's, or a projected one past the last bar. */
  private timeAt(p: number): number {
    const n = this.times.length
    if (p < n) return this.times[p]!
    return this.futureTime(p - n + 1)
  }

  /** The open time `steps` bars after the last one, in whole timeframe steps (UTC). */
  private futureTime(steps: number): number {
    let t = (this.times[this.times.length - 1] ?? 0) * 1000
    for (let i = 0; i < steps; i++) t = nextBucket(t, this.timeframe)
    return t / 1000
  }
}

const DAY_S = 86_400

/** The UTC session (day, ISO week from Monday, month) of a time in seconds, as a number. */
function sessionOf(anchor: 'day' | 'week' | 'month', t: number): number {
  if (anchor === 'day') return Math.floor(t / DAY_S)
  if (anchor === 'week') return Math.floor((t + 3 * DAY_S) / (7 * DAY_S))
  const d = new Date(t * 1000)
  return d.getUTCFullYear() * 12 + d.getUTCMonth()
}

function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex)
  if (!m) return hex
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`
}
