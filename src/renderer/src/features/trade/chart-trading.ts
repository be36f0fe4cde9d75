import { useTradingStore } from '../trading/store'
import type { CandleChart } from './candle-chart'
import {
  cancelMove,
  cancelOrderLine,
  closeChartMenu,
  moveOrderLine,
  openChartMenu,
  pickLimit,
} from './chart-trading-actions'
import { buildLines } from './order-lines-model'
import { useChartTradingStore } from './order-lines-store'
import { symbolKey, useTradeStore } from './store'

/** The chart's symbol, its price decimals and its last price. */
function shown(): { symbol: string; precision: number; last: number | undefined } | null {
  const { series, tickers } = useTradeStore.getState()
  if (!series) return null
  return {
    symbol: series.symbol,
    precision: series.precision,
    last: tickers[symbolKey(series.source, series.symbol)]?.last,
  }
}

/**
 * Connects a candle chart to trading: the selected account's working orders and its position
 * in the chart's symbol become lines (redrawn when orders, positions, moves or the last price
 * change), a line's drag and cancel button act on its order, and Shift-click and the context
 * menu fill the ticket. Returns what disconnects it.
 */
export function connectChartTrading(chart: CandleChart): () => void {
  const update = (): void => {
    const s = shown()
    const t = useTradingStore.getState()
    if (!s || t.accountId === null) {
      chart.orderLines.setLines([], s?.precision ?? 2)
      return
    }
    const lines = buildLines({
      symbol: s.symbol,
      orders: t.orders,
      positions: t.positions,
      last: s.last,
      precision: s.precision,
      moves: useChartTradingStore.getState().moves,
      cancelling: t.cancelling,
    })
    chart.orderLines.setLines(lines, s.precision)
  }
  chart.orderLines.setHandlers({ onMove: moveOrderLine, onCancel: cancelOrderLine })
  chart.orderEntry.setHandlers({
    onShiftClick: (pick) => {
      const s = shown()
      if (s) pickLimit(pick, s.precision, s.last)
    },
    onMenu: (pick) => {
      const s = shown()
      if (s) openChartMenu(pick, s.precision, s.last)
    },
  })
  const offs = [
    useTradingStore.subscribe((s, prev) => {
      if (
        s.orders !== prev.orders ||
        s.positions !== prev.positions ||
        s.accountId !== prev.accountId ||
        s.cancelling !== prev.cancelling
      )
        update()
    }),
    useTradeStore.subscribe((s, prev) => {
      if (s.series?.symbol !== prev.series?.symbol) closeChartMenu()
      if (s.series !== prev.series) return update()
      // Every symbol's ticks arrive here; only the shown one's last price moves a P&L.
      const k = s.series ? symbolKey(s.series.source, s.series.symbol) : null
      if (k !== null && s.tickers[k]?.last !== prev.tickers[k]?.last) update()
    }),
    useChartTradingStore.subscribe((s, prev) => {
      if (s.moves !== prev.moves) update()
    }),
  ]
  update()
  return () => {
    for (const off of offs) off()
    chart.orderLines.setHandlers(null)
    chart.orderEntry.setHandlers(null)
    closeChartMenu()
    cancelMove()
  }
}
