import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  Logical,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts'

type RenderTarget = Parameters<IPrimitivePaneRenderer['draw']>[0]

export interface BandColors {
  /** Fill where upper >= lower (the whole band when it is a channel). */
  above: string
  /** Fill where the lines have crossed (Ichimoku's bearish cloud). */
  below: string
}

/**
 * Shades the area between two lines of an indicator: Bollinger, Keltner and Donchian channels,
 * and Ichimoku's cloud (green where span A is above span B, red where below, split exactly where
 * they cross). Like the volume overlay it reads the display columns directly and draws only the
 * bars in view, so it costs nothing when the series are set.
 */
export class BandFill implements ISeriesPrimitive<Time> {
  private param: SeriesAttachedParameter<Time> | null = null
  private visible = true
  private readonly renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) }
  private readonly view: IPrimitivePaneView = { zOrder: () => 'bottom', renderer: () => this.renderer }
  private readonly views: readonly IPrimitivePaneView[] = [this.view]

  constructor(
    /** The series whose price scale converts values (any line of the indicator). */
    private readonly series: ISeriesApi<SeriesType, Time>,
    private readonly upper: () => ArrayLike<number>,
    private readonly lower: () => ArrayLike<number>,
    private colors: BandColors,
  ) {}

  attached(param: SeriesAttachedParameter<Time>): void {
    this.param = param
  }

  detached(): void {
    this.param = null
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views
  }

  setVisible(visible: boolean): void {
    this.visible = visible
    this.param?.requestUpdate()
  }

  setColors(colors: BandColors): void {
    this.colors = colors
    this.param?.requestUpdate()
  }

  requestUpdate(): void {
    this.param?.requestUpdate()
  }

  private draw(target: RenderTarget): void {
    const param = this.param
    if (!param || !this.visible) return
    const up = this.upper()
    const lo = this.lower()
    const n = Math.min(up.length, lo.length)
    const ts = param.chart.timeScale()
    const range = ts.getVisibleLogicalRange()
    if (!range || n === 0) return
    const from = Math.max(0, Math.floor(range.from) - 1)
    const to = Math.min(n - 1, Math.ceil(range.to) + 1)
    if (to <= from) return

    target.useMediaCoordinateSpace(({ context: ctx }) => {
      // Runs of consecutive bars where both lines have values; each run is filled as polygons
      // split at the crossings so each part gets the colour of its side.
      let i = from
      while (i <= to) {
        while (i <= to && !(Number.isFinite(up[i]!) && Number.isFinite(lo[i]!))) i++
        const start = i
        while (i <= to && Number.isFinite(up[i]!) && Number.isFinite(lo[i]!)) i++
        if (i - start >= 2) this.fillRun(ctx, ts, up, lo, start, i - 1)
      }
    })
  }

  private fillRun(
    ctx: CanvasRenderingContext2D,
    ts: ReturnType<SeriesAttachedParameter<Time>['chart']['timeScale']>,
    up: ArrayLike<number>,
    lo: ArrayLike<number>,
    a: number,
    b: number,
  ): void {
    const xs: number[] = []
    const yu: number[] = []
    const yl: number[] = []
    for (let i = a; i <= b; i++) {
      const x = ts.logicalToCoordinate(i as Logical)
      const u = this.series.priceToCoordinate(up[i]!)
      const l = this.series.priceToCoordinate(lo[i]!)
      if (x === null || u === null || l === null) return
      xs.push(x)
      yu.push(u)
      yl.push(l)
    }
    // Split into segments of one sign (upper above lower means a smaller y on screen).
    let above = up[a]! >= lo[a]!
    let pts: [number, number, number][] = [[xs[0]!, yu[0]!, yl[0]!]]
    const flush = (): void => {
      if (pts.length < 2) return
      ctx.beginPath()
      ctx.moveTo(pts[0]![0], pts[0]![1])
      for (const p of pts) ctx.lineTo(p[0], p[1])
      for (let k = pts.length - 1; k >= 0; k--) ctx.lineTo(pts[k]![0], pts[k]![2])
      ctx.closePath()
      ctx.fillStyle = above ? this.colors.above : this.colors.below
      ctx.fill()
    }
    for (let k = 1; k < xs.length; k++) {
      const nowAbove = up[a + k]! >= lo[a + k]!
      if (nowAbove !== above) {
        // Crossing between k-1 and k: interpolate where the two lines meet.
        const d0 = yu[k - 1]! - yl[k - 1]!
        const d1 = yu[k]! - yl[k]!
        const t = d0 === d1 ? 0.5 : d0 / (d0 - d1)
        const cx = xs[k - 1]! + (xs[k]! - xs[k - 1]!) * t
        const cy = yu[k - 1]! + (yu[k]! - yu[k - 1]!) * t
        pts.push([cx, cy, cy])
        flush()
        above = nowAbove
        pts = [[cx, cy, cy]]
      }
      pts.push([xs[k]!, yu[k]!, yl[k]!])
    }
    flush()
  }
}
