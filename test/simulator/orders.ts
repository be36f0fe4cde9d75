import { formatUnits, type Units } from './decimal'
import type { OrderType } from './markets'

export type Side = 'BUY' | 'SELL'
export type TimeInForce = 'GTC' | 'IOC' | 'FOK'
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED'
export type RespType = 'ACK' | 'RESULT' | 'FULL'

export const OPEN_STATUSES: readonly OrderStatus[] = ['NEW', 'PARTIALLY_FILLED']

/** A validated POST /api/v3/order request. */
export interface NewOrder {
  symbol: string
  side: Side
  type: OrderType
  timeInForce?: TimeInForce
  quantity?: Units
  quoteOrderQty?: Units
  price?: Units
  stopPrice?: Units
  trailingDelta?: number
  icebergQty?: Units
  newClientOrderId?: string
  selfTradePreventionMode: string
  respType: RespType
}

export interface Order {
  apiKey: string
  symbol: string
  orderId: number
  clientOrderId: string
  side: Side
  type: OrderType
  timeInForce: TimeInForce
  /** Limit price; 0 for market orders. */
  price: Units
  origQty: Units
  origQuoteOrderQty: Units
  executedQty: Units
  cumQuote: Units
  status: OrderStatus
  stopPrice: Units
  trailingDelta?: number
  icebergQty: Units
  selfTradePreventionMode: string
  time: number
  updateTime: number
  /** -1 until a stop order triggers (Binance's convention). */
  workingTime: number
  /** What this order still holds locked: quote for buys, base for sells. */
  locked: Units
  /** Trailing stops: whether tracking has started and the best price seen since. */
  trailingActive: boolean
  trailingExtreme: Units
  /** Price when placed, to tell which way a stop's activation price is crossed. */
  placedAt: Units
  /** The OCO list it is a leg of, or -1. */
  orderListId: number
}

export interface Fill {
  apiKey: string
  symbol: string
  id: number
  orderId: number
  price: Units
  qty: Units
  quoteQty: Units
  commission: Units
  commissionAsset: string
  time: number
  isBuyer: boolean
  isMaker: boolean
}

export const isOpen = (o: Order): boolean => OPEN_STATUSES.includes(o.status)

const isStop = (o: Order): boolean => o.type !== 'LIMIT' && o.type !== 'LIMIT_MAKER' && o.type !== 'MARKET'

/** Fields common to every order answer, in Binance's order. */
function core(o: Order): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: o.clientOrderId,
  }
}

function amounts(o: Order): Record<string, unknown> {
  return {
    price: formatUnits(o.price),
    origQty: formatUnits(o.origQty),
    executedQty: formatUnits(o.executedQty),
  }
}

function extras(o: Order): Record<string, unknown> {
  const x: Record<string, unknown> = {}
  if (o.icebergQty > 0n) x.icebergQty = formatUnits(o.icebergQty)
  if (isStop(o) && o.stopPrice > 0n) x.stopPrice = formatUnits(o.stopPrice)
  if (o.trailingDelta !== undefined) {
    x.trailingDelta = o.trailingDelta
    x.trailingTime = o.trailingActive ? o.updateTime : -1
  }
  return x
}

/** GET /api/v3/order, openOrders and allOrders entries. */
export function orderJson(o: Order): Record<string, unknown> {
  return {
    ...core(o),
    ...amounts(o),
    cummulativeQuoteQty: formatUnits(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    stopPrice: formatUnits(o.stopPrice),
    icebergQty: formatUnits(o.icebergQty),
    time: o.time,
    updateTime: o.updateTime,
    isWorking: o.workingTime !== -1,
    workingTime: o.workingTime,
    origQuoteOrderQty: formatUnits(o.origQuoteOrderQty),
    selfTradePreventionMode: o.selfTradePreventionMode,
    ...(o.trailingDelta !== undefined
      ? { trailingDelta: o.trailingDelta, trailingTime: o.trailingActive ? o.updateTime : -1 }
      : {}),
  }
}

export function fillJson(f: Fill): Record<string, unknown> {
  return {
    price: formatUnits(f.price),
    qty: formatUnits(f.qty),
    commission: formatUnits(f.commission),
    commissionAsset: f.commissionAsset,
    tradeId: f.id,
  }
}

/** POST /api/v3/order answer in the requested newOrderRespType. */
export function newOrderJson(
  o: Order,
  fills: readonly Fill[],
  respType: RespType,
  transactTime: number,
): Record<string, unknown> {
  const ack = { ...core(o), transactTime }
  if (respType === 'ACK') return ack
  const result = {
    ...ack,
    ...amounts(o),
    origQuoteOrderQty: formatUnits(o.origQuoteOrderQty),
    cummulativeQuoteQty: formatUnits(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    workingTime: o.workingTime,
    ...extras(o),
  }
  if (respType === 'RESULT') return { ...result, selfTradePreventionMode: o.selfTradePreventionMode }
  return { ...result, fills: fills.map(fillJson), selfTradePreventionMode: o.selfTradePreventionMode }
}

/** DELETE /api/v3/order answer. `cancelId` is the new client id the cancel itself gets. */
export function cancelJson(o: Order, cancelId: string, transactTime: number): Record<string, unknown> {
  return {
    symbol: o.symbol,
    origClientOrderId: o.clientOrderId,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: cancelId,
    transactTime,
    ...amounts(o),
    cummulativeQuoteQty: formatUnits(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    ...extras(o),
    selfTradePreventionMode: o.selfTradePreventionMode,
  }
}

/** GET /api/v3/myTrades entry. */
export function myTradeJson(f: Fill): Record<string, unknown> {
  return {
    symbol: f.symbol,
    id: f.id,
    orderId: f.orderId,
    orderListId: -1,
    price: formatUnits(f.price),
    qty: formatUnits(f.qty),
    quoteQty: formatUnits(f.quoteQty),
    commission: formatUnits(f.commission),
    commissionAsset: f.commissionAsset,
    time: f.time,
    isBuyer: f.isBuyer,
    isMaker: f.isMaker,
    isBestMatch: true,
  }
}
