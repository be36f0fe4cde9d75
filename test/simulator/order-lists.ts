import { BinanceError, err } from './errors'
import type { MarketData } from './market-data'
import type { OrderType } from './markets'
import { parseNewOrder } from './order-request'
import { newOrderJson, type NewOrder, type Order, type RespType, type Side } from './orders'
import { Params } from './params'

/**
 * OCO order lists: POST /api/v3/orderList/oco (above and below legs) and the older
 * POST /api/v3/order/oco (limit and stop legs), their answers and the list's JSON.
 *
 * An OCO's legs: for a SELL, the above leg is LIMIT_MAKER, TAKE_PROFIT or TAKE_PROFIT_LIMIT and
 * the below leg STOP_LOSS or STOP_LOSS_LIMIT; for a BUY the other way round. Each leg is checked
 * like a single order (its parameters and the symbol's filters, by parseNewOrder).
 */

export interface NewOrderList {
  symbol: string
  side: Side
  listClientOrderId?: string
  above: NewOrder
  below: NewOrder
  respType: RespType
}

export interface OrderList {
  orderListId: number
  listClientOrderId: string
  apiKey: string
  symbol: string
  /** Its legs' order ids: below first, then above (Binance's order). */
  orderIds: number[]
  transactionTime: number
}

const TAKE: readonly OrderType[] = ['LIMIT_MAKER', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']
const STOP: readonly OrderType[] = ['STOP_LOSS', 'STOP_LOSS_LIMIT']
const LEG_TYPES: readonly OrderType[] = [...TAKE, ...STOP]

export const ocoTypeError = () => new BinanceError(-1158, 'Order type not supported in OCO.')
export const ocoPriceError = () =>
  new BinanceError(-2010, 'The relationship of the prices for the orders is not correct.')

/** One leg's parameters, read under its prefix into a single-order request and checked as one. */
function leg(
  p: Params,
  names: {
    type?: OrderType
    prefix?: string
    price: string
    stopPrice: string
    tif: string
    clientId: string
  },
  common: Record<string, string>,
  data: MarketData,
  now: number,
): NewOrder {
  const map = new Map(Object.entries(common))
  const type = names.type ?? p.oneOf<OrderType>(`${names.prefix}Type`, LEG_TYPES, ocoTypeError)
  if (!type) throw err.mandatory(`${names.prefix}Type`)
  map.set('type', type)
  const read: Array<[string, string]> = [
    [names.price, 'price'],
    [names.stopPrice, 'stopPrice'],
    [names.tif, 'timeInForce'],
    [names.clientId, 'newClientOrderId'],
  ]
  if (names.prefix)
    read.push([`${names.prefix}TrailingDelta`, 'trailingDelta'], [`${names.prefix}IcebergQty`, 'icebergQty'])
  for (const [from, to] of read) {
    const v = p.str(from)
    if (v !== undefined) map.set(to, v)
  }
  return parseNewOrder(new Params(map), data, now)
}

/** POST /api/v3/orderList/oco. */
export function parseOrderListOco(p: Params, data: MarketData, now: number): NewOrderList {
  const symbol = p.reqStr('symbol')
  if (!data.market(symbol)) throw err.invalidSymbol()
  const side = p.oneOf<Side>('side', ['BUY', 'SELL'], err.invalidSide)
  if (!side) throw err.mandatory('side')
  const quantity = p.reqStr('quantity')
  const listClientOrderId = p.clientId('listClientOrderId')
  const respType = p.oneOf<RespType>('newOrderRespType', ['ACK', 'RESULT', 'FULL'], err.invalidRespType)
  p.str('selfTradePreventionMode')
  const common = { symbol, side, quantity, newOrderRespType: 'RESULT' }
  const names = (prefix: string) => ({
    prefix,
    price: `${prefix}Price`,
    stopPrice: `${prefix}StopPrice`,
    tif: `${prefix}TimeInForce`,
    clientId: `${prefix}ClientOrderId`,
  })
  const above = leg(p, names('above'), common, data, now)
  const below = leg(p, names('below'), common, data, now)
  const [wantAbove, wantBelow] = side === 'SELL' ? [TAKE, STOP] : [STOP, TAKE]
  if (!wantAbove.includes(above.type) || !wantBelow.includes(below.type)) throw ocoTypeError()
  return {
    symbol,
    side,
    ...(listClientOrderId !== undefined ? { listClientOrderId } : {}),
    above,
    below,
    respType: respType ?? 'ACK',
  }
}

/** POST /api/v3/order/oco (deprecated by Binance, still served): a LIMIT_MAKER and a stop. */
export function parseOrderOco(p: Params, data: MarketData, now: number): NewOrderList {
  const symbol = p.reqStr('symbol')
  if (!data.market(symbol)) throw err.invalidSymbol()
  const side = p.oneOf<Side>('side', ['BUY', 'SELL'], err.invalidSide)
  if (!side) throw err.mandatory('side')
  const quantity = p.reqStr('quantity')
  const listClientOrderId = p.clientId('listClientOrderId')
  const respType = p.oneOf<RespType>('newOrderRespType', ['ACK', 'RESULT', 'FULL'], err.invalidRespType)
  const common = { symbol, side, quantity, newOrderRespType: 'RESULT' }
  const limit = leg(
    p,
    { type: 'LIMIT_MAKER', price: 'price', stopPrice: '-', tif: '-', clientId: 'limitClientOrderId' },
    common,
    data,
    now,
  )
  const stopType: OrderType = p.has('stopLimitPrice') ? 'STOP_LOSS_LIMIT' : 'STOP_LOSS'
  const stop = leg(
    p,
    {
      type: stopType,
      price: 'stopLimitPrice',
      stopPrice: 'stopPrice',
      tif: 'stopLimitTimeInForce',
      clientId: 'stopClientOrderId',
    },
    common,
    data,
    now,
  )
  const [above, below] = side === 'SELL' ? [limit, stop] : [stop, limit]
  return {
    symbol,
    side,
    ...(listClientOrderId !== undefined ? { listClientOrderId } : {}),
    above,
    below,
    respType: respType ?? 'ACK',
  }
}

/** The list as its endpoints answer (`orderReports` for placing and canceling). */
export function orderListJson(
  list: OrderList,
  orders: readonly Order[],
  opts: { reports?: boolean; now?: number } = {},
): Record<string, unknown> {
  const working = orders.some((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')
  const json: Record<string, unknown> = {
    orderListId: list.orderListId,
    contingencyType: 'OCO',
    listStatusType: working ? 'EXEC_STARTED' : 'ALL_DONE',
    listOrderStatus: working ? 'EXECUTING' : 'ALL_DONE',
    listClientOrderId: list.listClientOrderId,
    transactionTime: opts.now ?? list.transactionTime,
    symbol: list.symbol,
    orders: orders.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
  }
  if (opts.reports) json.orderReports = orders.map((o) => newOrderJson(o, [], 'RESULT', opts.now ?? o.time))
  return json
}
