import type { IChartApi, ISeriesApi, MouseEventParams, Time } from 'lightweight-charts'

/** A price the trader picked on the chart, and where (client coordinates, for a menu). */
export interface ChartPick {
  price: number
  clientX: number
  clientY: number
}

export interface OrderEntryHandlers {
  /** Shift-click on the price pane: a limit order at that price. */
  onShiftClick(pick: ChartPick): void
  /** Right-click on the price pane: the order menu at that price. */
  onMenu(pick: ChartPick): void
}

/**
 * Orders from the chart, as TradingView does them: Shift-click on the price pane prefills the
 * ticket with a limit order at that price, and the context menu (right-click) offers the orders
 * that make sense there. Elsewhere (indicator panes, the scales) the browser's own menu stays.
 */
export class ChartOrderEntry {
  private handlers: OrderEntryHandlers | null = null

  constructor(
    private readonly chart: IChartApi,
    private readonly series: ISeriesApi<'Candlestick', Time>,
    private readonly host: HTMLElement,
  ) {
    chart.subscribeClick(this.onClick)
    host.addEventListener('contextmenu', this.onContextMenu)
  }

  setHandlers(handlers: OrderEntryHandlers | null): void {
    this.handlers = handlers
  }

  dispose(): void {
    this.chart.unsubscribeClick(this.onClick)
    this.host.removeEventListener('contextmenu', this.onContextMenu)
  }

  private readonly onClick = (param: MouseEventParams<Time>): void => {
    const e = param.sourceEvent
    if (!e?.shiftKey || !param.point || (param.paneIndex ?? 0) !== 0) return
    const price = this.series.coordinateToPrice(param.point.y)
    if (price === null) return
    this.handlers?.onShiftClick({ price, clientX: e.clientX, clientY: e.clientY })
  }

  private readonly onContextMenu = (e: MouseEvent): void => {
    // On an order's label the label is what was pointed at, not a price.
    if ((e.target as Element | null)?.closest?.('.ol-label')) return
    const rect = this.host.getBoundingClientRect()
    const x = e.clientX - rect.left
    const y = e.clientY - rect.top
    const pane = this.chart.paneSize(0)
    // The price pane is the chart's top left; the price scale sits on its right.
    if (x < 0 || y < 0 || x > pane.width || y > pane.height) return
    const price = this.series.coordinateToPrice(y)
    if (price === null || !this.handlers) return
    e.preventDefault()
    this.handlers.onMenu({ price, clientX: e.clientX, clientY: e.clientY })
  }
}
