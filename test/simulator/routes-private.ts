import type { Account } from './accounts'
import { formatUnits, type Units } from './decimal'
import { convertDust } from './dust'
import { BinanceError, err } from './errors'
import type { OrderRef } from './matching'
import { orderListJson, parseOrderListOco, parseOrderOco } from './order-lists'
import { cancelJson, isOpen, myTradeJson, newOrderJson, orderJson } from './orders'
import { parseNewOrder } from './order-request'
import type { Params } from './params'
import { requireAccount, type Route, type RouteContext } from './route'

const DAY = 86_400_000

function symbolOf(ctx: RouteContext, required = true): string | undefined {
  const symbol = required ? ctx.params.reqStr('symbol') : ctx.params.str('symbol')
  if (symbol !== undefined && !ctx.data.market(symbol)) throw err.invalidSymbol()
  return symbol
}

/** orderId or origClientOrderId (one is mandatory), under the names the endpoint uses. */
function refOf(p: Params, idName = 'orderId', clientName = 'origClientOrderId'): OrderRef {
  const orderId = p.int(idName)
  const origClientOrderId = p.str(clientName)
  if (orderId === undefined && origClientOrderId === undefined) throw err.eitherMandatory(idName, clientName)
  return orderId !== undefined ? { orderId } : { origClientOrderId: origClientOrderId as string }
}

function limitOf(p: Params): number {
  const limit = p.int('limit') ?? 500
  if (limit < 1) throw err.invalidParam('limit')
  return Math.min(limit, 1000)
}

/** startTime/endTime of at most 24 hours (-1127), as allOrders and myTrades require. */
function windowOf(p: Params): { start?: number; end?: number } {
  const start = p.int('startTime')
  const end = p.int('endTime')
  if (start !== undefined && end !== undefined && end - start > DAY) throw err.window24h()
  if (start !== undefined && end === undefined) return { start, end: start + DAY }
  if (end !== undefined && start === undefined) return { start: end - DAY, end }
  return { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) }
}

/** Rows ascending by id: from `fromId`, or within the window, else the latest `limit`. */
function page<T>(rows: T[], id: (r: T) => number, time: (r: T) => number, p: Params, fromName: string): T[] {
  const from = p.int(fromName)
  const w = windowOf(p)
  const sorted = [...rows].sort((a, b) => id(a) - id(b))
  const limit = limitOf(p)
  if (from !== undefined) return sorted.filter((r) => id(r) >= from).slice(0, limit)
  if (w.start !== undefined || w.end !== undefined) {
    return sorted.filter((r) => time(r) >= (w.start ?? 0) && time(r) <= (w.end ?? Infinity)).slice(0, limit)
  }
  return sorted.slice(-limit)
}

function createOrder(ctx: RouteContext): unknown {
  const account = requireAccount(ctx)
  const req = parseNewOrder(ctx.params, ctx.data, ctx.now)
  const fault = ctx.partialFraction !== undefined ? { partialFraction: ctx.partialFraction } : {}
  const { order, fills } = ctx.engine.place(account, req, ctx.now, fault)
  return newOrderJson(order, fills, req.respType, ctx.now)
}

function testOrder(ctx: RouteContext): unknown {
  parseNewOrder(ctx.params, ctx.data, ctx.now)
  ctx.params.str('computeCommissionRates')
  return {}
}

function getOrder(ctx: RouteContext): unknown {
  const symbol = symbolOf(ctx) as string
  const o = ctx.engine.find(requireAccount(ctx).apiKey, symbol, refOf(ctx.params))
  if (!o) throw err.noSuchOrder()
  return orderJson(o)
}

function cancelOrder(ctx: RouteContext): unknown {
  const account = requireAccount(ctx)
  const symbol = symbolOf(ctx) as string
  const ref = refOf(ctx.params)
  const cancelId = ctx.params.clientId('newClientOrderId') ?? ctx.engine.generateClientId()
  ctx.params.str('cancelRestrictions')
  const o = ctx.engine.cancel(account, symbol, ref, ctx.now)
  return cancelJson(o, cancelId, ctx.now)
}

function cancelAll(ctx: RouteContext): unknown {
  const account = requireAccount(ctx)
  const symbol = symbolOf(ctx) as string
  const open = ctx.engine.openOrdersOf(account.apiKey, symbol)
  if (open.length === 0) throw err.unknownOrder()
  return open.map((o) =>
    cancelJson(
      ctx.engine.cancel(account, symbol, { orderId: o.orderId }, ctx.now),
      ctx.engine.generateClientId(),
      ctx.now,
    ),
  )
}

/**
 * POST /api/v3/order/cancelReplace: cancel one order and place another in one request. The new
 * order is validated first; a failed cancel stops there under STOP_ON_FAILURE (-2022), a failed
 * placement after a good cancel is -2021, both with Binance's per-step `data`.
 */
function cancelReplace(ctx: RouteContext): unknown {
  const account = requireAccount(ctx)
  const p = ctx.params
  const symbol = symbolOf(ctx) as string
  const mode = p.oneOf('cancelReplaceMode', ['STOP_ON_FAILURE', 'ALLOW_FAILURE'], () =>
    err.invalidParam('cancelReplaceMode'),
  )
  if (!mode) throw err.mandatory('cancelReplaceMode')
  const ref = refOf(p, 'cancelOrderId', 'cancelOrigClientOrderId')
  const cancelId = p.clientId('cancelNewClientOrderId') ?? ctx.engine.generateClientId()
  p.str('cancelRestrictions')
  p.str('orderRateLimitExceededMode')
  const req = parseNewOrder(p, ctx.data, ctx.now)
  let cancelResponse: unknown
  let cancelled = false
  try {
    cancelResponse = cancelJson(ctx.engine.cancel(account, symbol, ref, ctx.now), cancelId, ctx.now)
    cancelled = true
  } catch (e) {
    if (!(e instanceof BinanceError)) throw e
    cancelResponse = e.body()
    if (mode === 'STOP_ON_FAILURE') {
      throw new BinanceError(-2022, 'Order cancel-replace failed.', 400, {
        cancelResult: 'FAILURE',
        newOrderResult: 'NOT_ATTEMPTED',
        cancelResponse,
        newOrderResponse: null,
      })
    }
  }
  try {
    const fault = ctx.partialFraction !== undefined ? { partialFraction: ctx.partialFraction } : {}
    const { order, fills } = ctx.engine.place(account, req, ctx.now, fault)
    const newOrderResponse = newOrderJson(order, fills, req.respType, ctx.now)
    if (!cancelled) {
      throw new BinanceError(-2021, 'Order cancel-replace partially failed.', 409, {
        cancelResult: 'FAILURE',
        newOrderResult: 'SUCCESS',
        cancelResponse,
        newOrderResponse,
      })
    }
    return { cancelResult: 'SUCCESS', newOrderResult: 'SUCCESS', cancelResponse, newOrderResponse }
  } catch (e) {
    if (!(e instanceof BinanceError) || e.code === -2021) throw e
    throw new BinanceError(-2021, 'Order cancel-replace partially failed.', 409, {
      cancelResult: cancelled ? 'SUCCESS' : 'FAILURE',
      newOrderResult: 'FAILURE',
      cancelResponse,
      newOrderResponse: e.body(),
    })
  }
}

/** POST /api/v3/orderList/oco and the older POST /api/v3/order/oco: an OCO list. */
function createOrderList(parse: typeof parseOrderListOco) {
  return (ctx: RouteContext): unknown => {
    const account = requireAccount(ctx)
    const req = parse(ctx.params, ctx.data, ctx.now)
    const { list, orders } = ctx.engine.placeOrderList(account, req, ctx.now)
    return orderListJson(list, orders, { reports: req.respType !== 'ACK', now: ctx.now })
  }
}

function listRef(p: Params): { orderListId?: number; listClientOrderId?: string } {
  const orderListId = p.int('orderListId')
  const listClientOrderId = p.str('listClientOrderId') ?? p.str('origClientOrderId')
  if (orderListId === undefined && listClientOrderId === undefined)
    throw err.eitherMandatory('orderListId', 'listClientOrderId')
  return orderListId !== undefined ? { orderListId } : { listClientOrderId: listClientOrderId as string }
}

/** DELETE /api/v3/orderList: cancels every open leg of a list. */
function cancelOrderList(ctx: RouteContext): unknown {
  const account = requireAccount(ctx)
  symbolOf(ctx)
  ctx.params.clientId('newClientOrderId')
  const list = ctx.engine.findList(account.apiKey, listRef(ctx.params))
  const legs = list ? ctx.engine.legsOf(list) : []
  const open = legs.find(isOpen)
  if (!list || !open) throw new BinanceError(-2011, 'Unknown order list sent.')
  ctx.engine.cancel(account, list.symbol, { orderId: open.orderId }, ctx.now)
  return orderListJson(list, ctx.engine.legsOf(list), { reports: true, now: ctx.now })
}

/** GET /api/v3/orderList. */
function getOrderList(ctx: RouteContext): unknown {
  const list = ctx.engine.findList(requireAccount(ctx).apiKey, listRef(ctx.params))
  if (!list) throw new BinanceError(-2018, 'Order list does not exist.')
  return orderListJson(list, ctx.engine.legsOf(list))
}

/** GET /api/v3/openOrderList. */
function openOrderLists(ctx: RouteContext): unknown {
  const apiKey = requireAccount(ctx).apiKey
  return ctx.engine
    .allLists()
    .filter((l) => l.apiKey === apiKey && ctx.engine.legsOf(l).some(isOpen))
    .map((l) => orderListJson(l, ctx.engine.legsOf(l)))
}

function openOrders(ctx: RouteContext): unknown {
  const symbol = symbolOf(ctx, false)
  return ctx.engine
    .openOrdersOf(requireAccount(ctx).apiKey, symbol)
    .sort((a, b) => a.orderId - b.orderId)
    .map(orderJson)
}

function allOrders(ctx: RouteContext): unknown {
  const symbol = symbolOf(ctx) as string
  const rows = ctx.engine.ordersOf(requireAccount(ctx).apiKey, symbol)
  return page(
    rows,
    (o) => o.orderId,
    (o) => o.time,
    ctx.params,
    'orderId',
  ).map(orderJson)
}

function rate(bps: number): string {
  return formatUnits(BigInt(bps) * 10_000n)
}

function accountJson(ctx: RouteContext): unknown {
  const account: Account = requireAccount(ctx)
  const omitZero = ctx.params.str('omitZeroBalances') === 'true'
  const bps = ctx.engine.opts.feeBps
  const balances = account
    .entries()
    .filter(([, b]) => !omitZero || b.free + b.locked > 0n)
    .map(([asset, b]) => ({ asset, free: formatUnits(b.free), locked: formatUnits(b.locked) }))
  return {
    makerCommission: bps,
    takerCommission: bps,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: rate(bps), taker: rate(bps), buyer: rate(0), seller: rate(0) },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: account.updateTime,
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: account.uid,
  }
}

function myTrades(ctx: RouteContext): unknown {
  const symbol = symbolOf(ctx) as string
  const orderId = ctx.params.int('orderId')
  const rows = ctx.engine
    .fillsOf(requireAccount(ctx).apiKey, symbol)
    .filter((f) => orderId === undefined || f.orderId === orderId)
  return page(
    rows,
    (f) => f.id,
    (f) => f.time,
    ctx.params,
    'fromId',
  ).map(myTradeJson)
}

function tradeFee(ctx: RouteContext): unknown {
  const symbol = symbolOf(ctx, false)
  const bps = ctx.engine.opts.feeBps
  const fee = (BigInt(bps) * 10_000n) as Units
  const text = formatUnits(fee).replace(/0+$/, '').replace(/\.$/, '')
  return (symbol !== undefined ? [symbol] : ctx.data.symbols()).map((s) => ({
    symbol: s,
    makerCommission: text,
    takerCommission: text,
  }))
}

const signed = (kind: string, weight: number | ((p: Params) => number), handle: Route['handle']): Route => ({
  kind,
  security: 'SIGNED',
  weight: typeof weight === 'number' ? () => weight : weight,
  handle,
})

/** Binance's signed account and trading endpoints (/api/v3, plus sapi's trade fee and dust conversion). */
export const privateRoutes: Record<string, Route> = {
  'POST /api/v3/order': signed('createOrder', 1, createOrder),
  'POST /api/v3/order/test': signed('testOrder', 1, testOrder),
  'GET /api/v3/order': signed('getOrder', 4, getOrder),
  'DELETE /api/v3/order': signed('cancelOrder', 1, cancelOrder),
  'DELETE /api/v3/openOrders': signed('cancelAll', 1, cancelAll),
  'POST /api/v3/order/cancelReplace': signed('cancelReplace', 1, cancelReplace),
  'POST /api/v3/orderList/oco': signed('createOrderList', 1, createOrderList(parseOrderListOco)),
  'POST /api/v3/order/oco': signed('createOrderList', 1, createOrderList(parseOrderOco)),
  'DELETE /api/v3/orderList': signed('cancelOrderList', 1, cancelOrderList),
  'GET /api/v3/orderList': signed('getOrderList', 4, getOrderList),
  'GET /api/v3/openOrderList': signed('openOrderLists', 6, openOrderLists),
  'GET /api/v3/openOrders': signed('openOrders', (p) => (p.has('symbol') ? 6 : 80), openOrders),
  'GET /api/v3/allOrders': signed('allOrders', 20, allOrders),
  'GET /api/v3/account': signed('account', 20, accountJson),
  'GET /api/v3/myTrades': signed('myTrades', (p) => (p.has('orderId') ? 5 : 20), myTrades),
  'GET /sapi/v1/asset/tradeFee': signed('tradeFee', 1, tradeFee),
  'POST /sapi/v1/asset/dust': { ...signed('convertDust', 10, convertDust), repeated: ['asset'] },
}
