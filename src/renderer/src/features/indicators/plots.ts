import type {
  AutoscaleInfo,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  ISeriesPrimitiveAxisView,
  Logical,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts'

type RenderTarget = Parameters<IPrimitivePaneRenderer['draw']>[0]

/** One drawn output of an indicator, read (never copied) at every paint. */
export interface PlotLine {
  /** Values by display position (= logical index on the time scale); NaN where none. */
  disp: ArrayLike<number>
  kind: 'line' | 'dots' | 'histogram'
  color: string
  width: number
  /** Per-point colour; null leaves a gap (Supertrend draws its up and down runs apart). */
  colorAt?: (p: number) => string | null
  /** True where the line must not join the previous point (VWAP's session starts). */
  breakBefore?: (p: number) => boolean
  /** Shows its last value on the price axis. */
  axisLabel: boolean
  format: (v: number) => string
}

export interface PlotSource {
  visible(): boolean
  lines(): readonly PlotLine[]
  /** Reference levels the scale keeps in view (RSI's 30 and 70...). */
  levels(): readonly number[]
  /** Display position under the crosshair, or null. */
  hovered(): number | null
  /** Display position of the newest bar. */
  lastBar(): number
}

const HIST_UP_FADED = 'rgba(38, 166, 154, 0.45)'
const HIST_DOWN = '#ef5350'
const HIST_DOWN_FADED = 'rgba(239, 83, 80, 0.45)'

/**
 * Draws an indicator's lines, dots and histograms straight from its value columns, for the
 * bars in view only, on the price scale of the series it is attached to (the candles for
 * overlays, a one-point host series for an indicator pane).
 *
 * Why not one lightweight-charts series per output: setData indexes every point by time, about
 * 60-100 ms per 100,000-point series (measured in Chromium on this machine), so five indicators
 * (eleven outputs) on a 100k-bar chart took 1.7-2 s to first paint against 0.2-0.4 s for the
 * candles alone. Read this way they cost a few ms, and a live point is a write into the column
 * plus a repaint.
 */
export class IndicatorPlots implements ISeriesPrimitive<Time> {
  private param: SeriesAttachedParameter<Time> | null = null
  private readonly renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) }
  private readonly view: IPrimitivePaneView = { zOrder: () => 'normal', renderer: () => this.renderer }
  private readonly views: readonly IPrimitivePaneView[] = [this.view]
  private axisViews: ISeriesPrimitiveAxisView[] = []

  constructor(
    private readonly series: ISeriesApi<SeriesType, Time>,
    private readonly source: PlotSource,
  ) {}

  attached(param: SeriesAttachedParameter<Time>): void {
    this.param = param
  }

  detached(): void {
    this.param = null
  }

  requestUpdate(): void {
    this.param?.requestUpdate()
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views
  }

  updateAllViews(): void {
    const lines = this.source.visible() ? this.source.lines() : []
    const last = this.source.lastBar()
    this.axisViews = lines
      .filter((l) => l.axisLabel)
      .map((l) => {
        const v = lastFinite(l.disp, last)
        const y = v === null ? null : this.series.priceToCoordinate(v)
        const color =
          v === null
            ? l.color
            : l.kind === 'histogram' && v < 0
              ? HIST_DOWN
              : (l.colorAt?.(lastIndex(l.disp, last)) ?? l.color)
        return {
          coordinate: () => y ?? -100,
          text: () => (v === null ? '' : l.format(v)),
          textColor: () => '#ffffff',
          backColor: () => color,
          visible: () => y !== null,
        }
      })
  }

  priceAxisViews(): readonly ISeriesPrimitiveAxisView[] {
    return this.axisViews
  }

  autoscaleInfo(start: Logical, end: Logical): AutoscaleInfo | null {
    if (!this.source.visible()) return null
    let min = Infinity
    let max = -Infinity
    const from = Math.max(0, Math.floor(start))
    for (const l of this.source.lines()) {
      const to = Math.min(l.disp.length - 1, Math.ceil(end))
      for (let i = from; i <= to; i++) {
        const v = l.disp[i]!
        if (v < min) min = v
        if (v > max) max = v
      }
      if (l.kind === 'histogram' && min <= max) {
        min = Math.min(min, 0)
        max = Math.max(max, 0)
      }
    }
    if (!(min <= max)) return null
    for (const level of this.source.levels()) {
      min = Math.min(min, level)
      max = Math.max(max, level)
    }
    return { priceRange: { minValue: min, maxValue: max } }
  }

  private draw(target: RenderTarget): void {
    const param = this.param
    if (!param || !this.source.visible()) return
    const ts = param.chart.timeScale()
    const range = ts.getVisibleLogicalRange()
    if (!range) return
    const x0 = ts.logicalToCoordinate(0 as Logical)
    const x1 = ts.logicalToCoordinate(1 as Logical)
    if (x0 === null || x1 === null) return
    const spacing = x1 - x0
    const lines = this.source.lines()
    const hovered = this.source.hovered()
    target.useBitmapCoordinateSpace(
      ({ context: ctx, horizontalPixelRatio: hpr, verticalPixelRatio: vpr }) => {
        // Histograms first (under the lines), then lines, then dots.
        for (const kind of ['histogram', 'line', 'dots'] as const) {
          for (const l of lines) {
            if (l.kind !== kind) continue
            const from = Math.max(0, Math.floor(range.from) - 1)
            const to = Math.min(l.disp.length - 1, Math.ceil(range.to) + 1)
            if (to < from) continue
            // x for position i: x0 + i * spacing (the time scale is linear in logical index).
            const xAt = (i: number): number => (x0 + i * spacing) * hpr
            if (kind === 'histogram') this.drawHistogram(ctx, l, from, to, xAt, spacing * hpr, vpr)
            else if (kind === 'dots') this.drawDots(ctx, l, from, to, xAt, hpr, vpr)
            else this.drawLine(ctx, l, from, to, xAt, hpr, vpr)
          }
        }
        if (hovered !== null) this.drawCrosshairDots(ctx, lines, hovered, x0 + hovered * spacing, hpr, vpr)
      },
    )
  }

  private y(v: number, vpr: number): number | null {
    const y = this.series.priceToCoordinate(v)
    return y === null ? null : y * vpr
  }

  private drawLine(
    ctx: CanvasRenderingContext2D,
    l: PlotLine,
    from: number,
    to: number,
    xAt: (i: number) => number,
    hpr: number,
    vpr: number,
  ): void {
    ctx.lineWidth = Math.max(1, Math.round(l.width * hpr))
    ctx.lineJoin = 'round'
    ctx.lineCap = 'butt'
    let color: string | null = null
    let pen = false
    const flush = (): void => {
      if (pen && color) ctx.stroke()
      pen = false
    }
    for (let i = from; i <= to; i++) {
      const v = l.disp[i]!
      const c = Number.isFinite(v) ? (l.colorAt ? l.colorAt(i) : l.color) : null
      const y = c === null ? null : this.y(v, vpr)
      if (y === null || c === null) {
        flush()
        continue
      }
      const x = xAt(i)
      if (!pen || c !== color || l.breakBefore?.(i)) {
        flush()
        color = c
        ctx.strokeStyle = c
        ctx.beginPath()
        ctx.moveTo(x, y)
        pen = true
        continue
      }
      ctx.lineTo(x, y)
    }
    flush()
  }

  private drawDots(
    ctx: CanvasRenderingContext2D,
    l: PlotLine,
    from: number,
    to: number,
    xAt: (i: number) => number,
    hpr: number,
    vpr: number,
  ): void {
    const r = Math.max(1, 1.6 * hpr)
    ctx.fillStyle = l.color
    ctx.beginPath()
    for (let i = from; i <= to; i++) {
      const v = l.disp[i]!
      if (!Number.isFinite(v)) continue
      const y = this.y(v, vpr)
      if (y === null) continue
      const x = xAt(i)
      ctx.moveTo(x + r, y)
      ctx.arc(x, y, r, 0, Math.PI * 2)
    }
    ctx.fill()
  }

  /** MACD-style shading: strong while a bar grows away from zero, faded while it shrinks. */
  private drawHistogram(
    ctx: CanvasRenderingContext2D,
    l: PlotLine,
    from: number,
    to: number,
    xAt: (i: number) => number,
    spacing: number,
    vpr: number,
  ): void {
    const zero = this.y(0, vpr)
    if (zero === null) return
    const width = Math.max(1, Math.floor(spacing * 0.7))
    const half = Math.floor(width / 2)
    for (let i = from; i <= to; i++) {
      const v = l.disp[i]!
      if (!Number.isFinite(v)) continue
      const y = this.y(v, vpr)
      if (y === null) continue
      const prev = l.disp[i - 1]
      const growing = prev === undefined || !Number.isFinite(prev) || Math.abs(v) >= Math.abs(prev)
      ctx.fillStyle = v >= 0 ? (growing ? l.color : HIST_UP_FADED) : growing ? HIST_DOWN : HIST_DOWN_FADED
      const top = Math.round(Math.min(y, zero))
      const h = Math.max(1, Math.round(Math.abs(zero - y)))
      ctx.fillRect(Math.round(xAt(i)) - half, top, width, h)
    }
  }

  /** The crosshair's marker on each line, as lightweight-charts draws it on its own series. */
  private drawCrosshairDots(
    ctx: CanvasRenderingContext2D,
    lines: readonly PlotLine[],
    i: number,
    x: number,
    hpr: number,
    vpr: number,
  ): void {
    for (const l of lines) {
      if (l.kind !== 'line') continue
      const v = l.disp[i]
      if (v === undefined || !Number.isFinite(v)) continue
      const color = l.colorAt ? l.colorAt(i) : l.color
      const y = this.y(v, vpr)
      if (y === null || color === null) continue
      ctx.beginPath()
      ctx.arc(x * hpr, y, 3 * hpr, 0, Math.PI * 2)
      ctx.fillStyle = color
      ctx.fill()
      ctx.lineWidth = Math.max(1, hpr)
      ctx.strokeStyle = '#0d1117'
      ctx.stroke()
    }
  }
}

function lastIndex(disp: ArrayLike<number>, last: number): number {
  for (let i = Math.min(last, disp.length - 1); i >= 0; i--) if (Number.isFinite(disp[i]!)) return i
  return -1
}

function lastFinite(disp: ArrayLike<number>, last: number): number | null {
  const i = lastIndex(disp, last)
  return i < 0 ? null : disp[i]!
}
