import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  Logical,
  SeriesAttachedParameter,
  Time,
} from 'lightweight-charts'

type RenderTarget = Parameters<IPrimitivePaneRenderer['draw']>[0]

export interface VolumeColors {
  up: string
  down: string
}

/**
 * Volume as a histogram in the bottom band of the price pane, scaled to the largest volume in
 * view (its own scale, like an overlay price scale).
 *
 * Why a primitive instead of a second HistogramSeries: lightweight-charts indexes every
 * series' points by time on setData, and with 100,000 bars the second series roughly doubled
 * the time to first paint (measured: bench/chart.bench.ts). The primitive reads the volume
 * column directly and draws only the bars in view, in the same frame as the candles.
 */
export class VolumeOverlay implements ISeriesPrimitive<Time> {
  private param: SeriesAttachedParameter<Time> | null = null
  private volumes: number[] = []
  private rising: boolean[] = []
  private visible = true
  private readonly renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) }
  private readonly view: IPrimitivePaneView = { zOrder: () => 'bottom', renderer: () => this.renderer }
  private readonly views: readonly IPrimitivePaneView[] = [this.view]

  constructor(
    private readonly colors: VolumeColors,
    /** Share of the pane's height the tallest bar in view reaches. */
    private readonly band = 0.2,
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

  /** Replaces the columns; the arrays are read (never copied or changed) until the next call. */
  setData(volumes: number[], rising: boolean[]): void {
    this.volumes = volumes
    this.rising = rising
    this.param?.requestUpdate()
  }

  setVisible(visible: boolean): void {
    this.visible = visible
    this.param?.requestUpdate()
  }

  private draw(target: RenderTarget): void {
    const param = this.param
    const n = this.volumes.length
    if (!param || !this.visible || n === 0) return
    const ts = param.chart.timeScale()
    const range = ts.getVisibleLogicalRange()
    if (!range) return
    const from = Math.max(0, Math.floor(range.from))
    const to = Math.min(n - 1, Math.ceil(range.to))
    if (to < from) return
    let max = 0
    for (let i = from; i <= to; i++) max = Math.max(max, this.volumes[i]!)
    if (!(max > 0)) return
    const x0 = ts.logicalToCoordinate(from as Logical)
    const x1 = ts.logicalToCoordinate((from + 1) as Logical)
    if (x0 === null || x1 === null) return
    const spacing = x1 - x0

    target.useBitmapCoordinateSpace(
      ({ context: ctx, bitmapSize, horizontalPixelRatio: hpr, verticalPixelRatio: vpr }) => {
        const bottom = bitmapSize.height
        const bandHeight = bitmapSize.height * this.band
        // Like the candle bodies: most of the spacing, at least one device pixel, odd widths centred.
        const width = Math.max(1, Math.floor(spacing * hpr * 0.8))
        const half = Math.floor(width / 2)
        for (const rising of [true, false]) {
          ctx.fillStyle = rising ? this.colors.up : this.colors.down
          for (let i = from; i <= to; i++) {
            if (this.rising[i] !== rising) continue
            const v = this.volumes[i]!
            if (!(v > 0)) continue
            const x = ts.logicalToCoordinate(i as Logical)
            if (x === null) continue
            const h = Math.max(Math.round(vpr), Math.round((v / max) * bandHeight))
            ctx.fillRect(Math.round(x * hpr) - half, bottom - h, width, h)
          }
        }
      },
    )
  }
}
