import { ticketMarketNow } from '../accounts/account-market'
import { useTradingStore } from '../desk/store'
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
import { tickOfPrecision } from './tick-price'

interface Shown {
  symbol: string
  precision: number
  /** The price step lines snap to: the account market's tick (0.5 on some markets), else one unit of the last decimal. */
  tick: string
  last: number | undefined
}

/** The chart's symbol, its price decimals and tick, and its last price. */
function shown(): Shown | null {
  const { series, tickers } = useTradeStore.getState()
  if (!series) return null
  const m = ticketMarketNow()
  return {
    symbol: series.symbol,
    precision: series.precision,
    tick: m.market?.symbol === series.symbol ? m.tick : tickOfPrecision(series.precision),
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
      chart.orderLines.setLines([], s?.precision ?? 2, s?.tick ?? tickOfPrecision(2))
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
    chart.orderLines.setLines(lines, s.precision, s.tick)
  }
  chart.orderLines.setHandlers({ onMove: moveOrderLine, onCancel: cancelOrderLine })
  chart.orderEntry.setHandlers({
    onShiftClick: (pick) => {
      const s = shown()
      if (s) pickLimit(pick, s.tick, s.last)
    },
    onMenu: (pick) => {
      const s = shown()
      if (s) openChartMenu(pick, s.tick, s.last)
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
