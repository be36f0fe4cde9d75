import type { ISeriesApi, Time } from 'lightweight-charts'
import { formatPrice } from '../../lib/format'
import type { ChartLine } from './order-lines-model'
import { OrderLinesOverlay } from './order-lines-overlay'
import { OrderLinesPrimitive, type DrawnLine } from './order-lines-primitive'
import { tickOfPrecision } from './tick-price'

export interface OrderLineHandlers {
  onMove(line: ChartLine, price: string): void
  onCancel(line: ChartLine): void
}

/**
 * As in TradingView's trading panel: buy orders blue and sell orders red (the last price's own
 * line is green or red, so a buy order never looks like it), the position light, pending grey.
 */
export const LINE_COLORS: Record<ChartLine['tone'], string> = {
  buy: '#4f8cff',
  sell: '#ef5350',
  position: '#d3d9e2',
  pending: '#8b95a5',
}

/**
 * The trader's orders and position on the candle chart: the lines and their prices on the
 * scale (OrderLinesPrimitive) and their labels with the drag and the cancel button
 * (OrderLinesOverlay), fed with the lines of order-lines-model.ts. What a move or a cancel does
 * is the handlers' business (chart-trading.ts).
 */
export class OrderLines {
  private readonly primitive: OrderLinesPrimitive
  private readonly overlay: OrderLinesOverlay
  private lines: readonly ChartLine[] = []
  private precision = 2
  private tick = tickOfPrecision(2)
  private dragged: { id: string; price: number } | null = null
  private handlers: OrderLineHandlers | null = null

  constructor(
    private readonly series: ISeriesApi<'Candlestick', Time>,
    host: HTMLElement,
  ) {
    this.primitive = new OrderLinesPrimitive((ys, pane) => this.overlay.place(ys, pane))
    this.overlay = new OrderLinesOverlay(host, {
      priceAt: (y) => this.primitive.priceAt(y),
      tick: () => this.tick,
      dragTo: (id, price) => {
        this.dragged = price === null ? null : { id, price }
        this.draw()
      },
      onMove: (line, price) => this.handlers?.onMove(line, price),
      onCancel: (line) => this.handlers?.onCancel(line),
      formatPrice: (p) => formatPrice(p, this.precision),
    })
    series.attachPrimitive(this.primitive)
  }

  setHandlers(handlers: OrderLineHandlers | null): void {
    this.handlers = handlers
  }

  /** The lines to draw, with the market's price decimals and the tick a dragged line snaps to. */
  setLines(lines: readonly ChartLine[], precision: number, tick: string): void {
    // Nothing to draw, still: no repaint.
    if (lines.length === 0 && this.lines.length === 0 && precision === this.precision && tick === this.tick)
      return
    this.lines = lines
    this.precision = precision
    this.tick = tick
    this.overlay.setLines(lines)
    this.draw()
  }

  /** How many lines are drawn, for the chart's probe. */
  count(): number {
    return this.lines.length
  }

  dispose(): void {
    this.overlay.dispose()
    this.series.detachPrimitive(this.primitive)
  }

  private draw(): void {
    const drawn: DrawnLine[] = this.lines.map((l) => {
      const price = this.dragged?.id === l.id ? this.dragged.price : l.price
      return {
        id: l.id,
        price,
        color: LINE_COLORS[l.tone],
        textColor: l.tone === 'position' ? '#0d1117' : '#ffffff',
        dashed: l.kind === 'order',
        axisText: formatPrice(price, this.precision),
        active: this.dragged?.id === l.id,
        draggable: l.draggable,
      }
    })
    this.primitive.setLines(drawn)
  }
}
