import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  ISeriesPrimitiveAxisView,
  PrimitiveHoveredItem,
  SeriesAttachedParameter,
  Time,
} from 'lightweight-charts'

type RenderTarget = Parameters<IPrimitivePaneRenderer['draw']>[0]

/** One horizontal line as the primitive draws it. */
export interface DrawnLine {
  id: string
  price: number
  color: string
  /** Text colour of its price on the scale (dark on a light line). */
  textColor: string
  /** Orders dashed, the position solid (as TradingView draws them). */
  dashed: boolean
  /** The price scale's label. */
  axisText: string
  /** Drawn thicker while it is dragged. */
  active: boolean
  draggable: boolean
}

/** Where the lines are, in CSS pixels of the price pane, each time it is painted. */
export type LinesPainted = (
  ys: ReadonlyMap<string, number | null>,
  pane: { width: number; height: number },
) => void

/** Pixels either side of a draggable line that grab it. */
export const GRAB_PX = 4

/**
 * The lines of orders and the position on the price pane, with their prices on the price scale
 * (lightweight-charts keeps those labels from overlapping each other), painted in the pane's own
 * frame so they never lag the candles when the chart scrolls or rescales. Each paint reports where
 * the lines are (`onPainted`), which is when the labels (order-lines-overlay.ts) follow them.
 * The hit test gives a draggable line the resize cursor.
 */
export class OrderLinesPrimitive implements ISeriesPrimitive<Time> {
  private param: SeriesAttachedParameter<Time> | null = null
  private lines: readonly DrawnLine[] = []
  private axisViews: readonly ISeriesPrimitiveAxisView[] = []
  private readonly renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) }
  private readonly view: IPrimitivePaneView = { zOrder: () => 'top', renderer: () => this.renderer }
  private readonly views: readonly IPrimitivePaneView[] = [this.view]

  constructor(private readonly onPainted: LinesPainted) {}

  attached(param: SeriesAttachedParameter<Time>): void {
    this.param = param
  }

  detached(): void {
    this.param = null
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views
  }

  priceAxisViews(): readonly ISeriesPrimitiveAxisView[] {
    return this.axisViews
  }

  setLines(lines: readonly DrawnLine[]): void {
    this.lines = lines
    // A new array: lightweight-charts caches the axis views by the array's identity.
    this.axisViews = lines.map((l) => this.axisView(l))
    this.param?.requestUpdate()
  }

  /** The pane's height of a price, or null (not attached, or no price scale yet). */
  yOf(price: number): number | null {
    return this.param?.series.priceToCoordinate(price) ?? null
  }

  /** The price at a height of the pane, or null. */
  priceAt(y: number): number | null {
    return this.param?.series.coordinateToPrice(y) ?? null
  }

  hitTest(_x: number, y: number): PrimitiveHoveredItem | null {
    let best: PrimitiveHoveredItem | null = null
    for (const l of this.lines) {
      if (!l.draggable) continue
      const ly = this.yOf(l.price)
      if (ly === null) continue
      const distance = Math.abs(ly - y)
      if (distance > GRAB_PX || (best && (best.distance ?? Infinity) <= distance)) continue
      best = { externalId: l.id, zOrder: 'top', cursorStyle: 'ns-resize', distance, hitTestPriority: 1 }
    }
    return best
  }

  private axisView(l: DrawnLine): ISeriesPrimitiveAxisView {
    return {
      coordinate: () => this.yOf(l.price) ?? -1000,
      text: () => l.axisText,
      textColor: () => l.textColor,
      backColor: () => l.color,
      visible: () => this.yOf(l.price) !== null,
    }
  }

  private draw(target: RenderTarget): void {
    const ys = new Map<string, number | null>()
    for (const l of this.lines) ys.set(l.id, this.yOf(l.price))
    let pane = { width: 0, height: 0 }
    target.useBitmapCoordinateSpace(
      ({ context: ctx, bitmapSize, mediaSize, verticalPixelRatio: vpr, horizontalPixelRatio: hpr }) => {
        pane = { width: mediaSize.width, height: mediaSize.height }
        for (const l of this.lines) {
          const y = ys.get(l.id)
          if (y === null || y === undefined || y < 0 || y > mediaSize.height) continue
          const width = Math.max(1, Math.floor((l.active ? 2 : 1) * vpr))
          // Centred on a device pixel row, so a one-pixel line is crisp.
          const row = Math.round(y * vpr) - Math.floor(width / 2)
          ctx.fillStyle = l.color
          if (!l.dashed) {
            ctx.fillRect(0, row, bitmapSize.width, width)
            continue
          }
          const dash = Math.round(6 * hpr)
          const space = Math.round(4 * hpr)
          for (let x = 0; x < bitmapSize.width; x += dash + space) ctx.fillRect(x, row, dash, width)
        }
      },
    )
    this.onPainted(ys, pane)
  }
}
