import type { Order, OrderSide } from '../../../../shared/domain/trading'
import { client } from '../../connection'
import { inputLocale, toInputText } from '../../lib/number-input'
import { notify, reportError } from '../notices/store'
import { cancelOrder } from '../blotter/actions'
import { editTicket, pricePrecision, setTicketOpen } from '../ticket/actions'
import { describeOrder } from '../desk/format'
import { selectAccount, useTradingStore } from '../desk/store'
import type { ChartPick } from './chart-order-entry'
import type { ChartLine, LineMove } from './order-lines-model'
import { useChartTradingStore } from './order-lines-store'
import { snapToTick } from './tick-price'

const get = useChartTradingStore.getState
const set = useChartTradingStore.setState

/** How long a move the engine answered is drawn at its new price while the order list catches up. */
const SENT_HOLD_MS = 5_000

function setMove(lineId: string, move: LineMove): void {
  set((s) => ({ moves: { ...s.moves, [lineId]: move } }))
}

function dropMove(lineId: string): void {
  set((s) => {
    if (!(lineId in s.moves)) return s
    const moves = { ...s.moves }
    delete moves[lineId]
    return { moves }
  })
}

// ------------------------------------------------------------------ moving and canceling from a line

/**
 * The trader let go of an order's line at `price` (exact, at the tick). A paper order is moved
 * at once; a live one waits for the trader's confirmation (`confirmMove`). The line stays at the
 * new price meanwhile, and goes back if the move is refused or given up.
 */
export function moveOrderLine(line: ChartLine, price: string): void {
  const order = line.order
  if (!order || line.field === null) return
  const account = selectAccount(useTradingStore.getState())
  if (account?.mode === 'live') {
    setMove(line.id, { price, state: 'confirm' })
    set({ confirm: { lineId: line.id, order, field: line.field, from: line.price, to: price } })
    return
  }
  void sendMove(line.id, order, line.field, price, false)
}

export function confirmMove(): void {
  const c = get().confirm
  if (!c) return
  set({ confirm: null })
  void sendMove(c.lineId, c.order, c.field, c.to, true)
}

export function cancelMove(): void {
  const c = get().confirm
  if (!c) return
  set({ confirm: null })
  dropMove(c.lineId)
}

async function sendMove(
  lineId: string,
  order: Order,
  field: 'price' | 'stopPrice',
  price: string,
  confirm: boolean,
): Promise<void> {
  setMove(lineId, { price, state: 'sending' })
  // The price goes as the exact decimal text the line was snapped to (tick-price.ts).
  const res = await client().invoke('trading.modifyOrder', {
    accountId: order.accountId,
    clientOrderId: order.clientOrderId,
    ...(field === 'price' ? { price } : { stopPrice: price }),
    ...(confirm ? { confirm: true } : {}),
  })
  if (!res.ok) {
    dropMove(lineId)
    reportError(`Could not move the ${order.symbol} ${order.side} ${order.type} order`, res.error)
    return
  }
  setMove(lineId, { price, state: 'sent' })
  setTimeout(() => {
    if (get().moves[lineId]?.state === 'sent') dropMove(lineId)
  }, SENT_HOLD_MS)
  const m = res.value
  notify(
    'info',
    m.method === 'amended' ? 'Order moved' : 'Order replaced',
    `${describeOrder(m.order, pricePrecision(order.symbol))}${m.previous ? ` (replaces ${m.previous.clientOrderId})` : ''}`,
  )
}

/** The line's cancel button. */
export function cancelOrderLine(line: ChartLine): void {
  if (line.order) void cancelOrder(line.order)
}

// ------------------------------------------------------------------ orders from a price on the chart

/** The side a limit order at `price` takes: a buy below the last price, a sell above it. */
export function limitSideAt(price: number, last: number | undefined, fallback: OrderSide): OrderSide {
  if (last === undefined || !Number.isFinite(last) || price === last) return fallback
  return price < last ? 'buy' : 'sell'
}

/** Fills the ticket with an order at `price` (exact, at the tick), opens it and puts the cursor in its size. */
export function prefillOrder(type: 'limit' | 'stop', side: OrderSide, price: string): void {
  const text = toInputText(price, inputLocale())
  editTicket(type === 'limit' ? { side, type, price: text } : { side, type, stopPrice: text })
  setTicketOpen(true)
  closeChartMenu()
  requestAnimationFrame(() => document.getElementById('tk-size')?.focus())
}

/** Shift-click on the chart: a limit order at that price, on the side that rests there. */
export function pickLimit(pick: ChartPick, tick: string, last: number | undefined): void {
  const price = snapToTick(pick.price, tick)
  const side = limitSideAt(Number(price), last, useTradingStore.getState().form.side)
  prefillOrder('limit', side, price)
}

export function openChartMenu(pick: ChartPick, tick: string, last: number | undefined): void {
  const price = snapToTick(pick.price, tick)
  const limitSide = limitSideAt(Number(price), last, useTradingStore.getState().form.side)
  set({ menu: { clientX: pick.clientX, clientY: pick.clientY, price, limitSide } })
}

export function closeChartMenu(): void {
  if (get().menu) set({ menu: null })
}
