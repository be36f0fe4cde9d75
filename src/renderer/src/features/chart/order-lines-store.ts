import { create } from 'zustand'
import type { Order, OrderSide } from '../../../../shared/domain/trading'
import type { LineMove } from './order-lines-model'

/** A live order's move waiting for the trader's confirmation. */
export interface MoveConfirm {
  lineId: string
  order: Order
  field: 'price' | 'stopPrice'
  /** The price it has, and the one it is to have (an exact decimal string at the tick). */
  from: number
  to: string
}

/** The chart's order menu (right-click), at a price. */
export interface ChartMenu {
  clientX: number
  clientY: number
  /** The price pointed at, at the tick. */
  price: string
  /** The side a limit order at that price takes: below the last price a buy, above it a sell. */
  limitSide: OrderSide
}

interface ChartTradingState {
  /** Lines moved on the chart whose orders have not caught up yet, by line id. */
  moves: Record<string, LineMove>
  confirm: MoveConfirm | null
  menu: ChartMenu | null
}

/**
 * What the chart's trading layer holds beyond the trading store: moves in flight, the live
 * confirmation of a move, and the order menu. Written only by chart-trading-actions.ts.
 */
export const useChartTradingStore = create<ChartTradingState>()(() => ({
  moves: {},
  confirm: null,
  menu: null,
}))
