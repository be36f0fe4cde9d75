import { mulUnits, unitsFromNumber, type Units } from './decimal'
import { err } from './errors'
import type { MarketData } from './market-data'
import {
  ICEBERG_PARTS,
  ORDER_TYPES,
  STP_MODES,
  TRAILING_DELTA_RANGE,
  type Market,
  type OrderType,
} from './markets'
import type { NewOrder, RespType, Side, TimeInForce } from './orders'
import type { Params } from './params'

const WITH_TIF: readonly OrderType[] = ['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']
const WITH_PRICE: readonly OrderType[] = ['LIMIT', 'LIMIT_MAKER', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']
const WITH_STOP: readonly OrderType[] = ['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']

function checkPrice(m: Market, price: Units): void {
  if (price < m.minPrice || price > m.maxPrice || (price - m.minPrice) % m.tick !== 0n)
    throw err.filter('PRICE_FILTER')
}

function checkLot(m: Market, qty: Units): void {
  if (qty < m.minQty || qty > m.maxQty || (qty - m.minQty) % m.step !== 0n) throw err.filter('LOT_SIZE')
}

/**
 * Reads and validates POST /api/v3/order (and the new-order half of cancelReplace): which
 * parameters each type needs or must not have (-1102 / -1106), enums (-1115/-1116/-1117) and the
 * symbol's filters (-1013 "Filter failure: X"), in Binance's order: parameters first, then filters.
 * NOTIONAL for market orders uses the current price, standing in for Binance's 5-minute average.
 */
export function parseNewOrder(p: Params, data: MarketData, now: number): NewOrder {
  const symbol = p.reqStr('symbol')
  const m = data.market(symbol)
  if (!m) throw err.invalidSymbol()
  const side = p.oneOf<Side>('side', ['BUY', 'SELL'], err.invalidSide)
  if (!side) throw err.mandatory('side')
  const type = p.oneOf<OrderType>('type', ORDER_TYPES, err.invalidOrderType)
  if (!type) throw err.mandatory('type')
  const timeInForce = p.oneOf<TimeInForce>('timeInForce', ['GTC', 'IOC', 'FOK'], err.invalidTimeInForce)
  const quantity = p.decimal('quantity')
  const quoteOrderQty = p.decimal('quoteOrderQty')
  const price = p.decimal('price')
  const stopPrice = p.decimal('stopPrice')
  const trailingDelta = p.int('trailingDelta')
  const icebergQty = p.decimal('icebergQty')
  const newClientOrderId = p.clientId('newClientOrderId')
  const stp = p.oneOf('selfTradePreventionMode', STP_MODES, () => err.invalidParam('selfTradePreventionMode'))
  const respType = p.oneOf<RespType>('newOrderRespType', ['ACK', 'RESULT', 'FULL'], err.invalidRespType)
  p.str('strategyId')
  p.str('strategyType')

  if (WITH_TIF.includes(type) && !timeInForce) throw err.mandatory('timeInForce')
  if (!WITH_TIF.includes(type) && timeInForce) throw err.notRequired('timeInForce')
  if (WITH_PRICE.includes(type) && price === undefined) throw err.mandatory('price')
  if (!WITH_PRICE.includes(type) && price !== undefined) throw err.notRequired('price')
  if (WITH_STOP.includes(type) && stopPrice === undefined && trailingDelta === undefined) {
    throw err.eitherMandatory('stopPrice', 'trailingDelta')
  }
  if (!WITH_STOP.includes(type) && stopPrice !== undefined) throw err.notRequired('stopPrice')
  if (!WITH_STOP.includes(type) && trailingDelta !== undefined) throw err.notRequired('trailingDelta')
  if (type === 'MARKET') {
    if (quantity === undefined && quoteOrderQty === undefined)
      throw err.eitherMandatory('quantity', 'quoteOrderQty')
    if (quantity !== undefined && quoteOrderQty !== undefined) throw err.notRequired('quoteOrderQty')
  } else {
    if (quantity === undefined) throw err.mandatory('quantity')
    if (quoteOrderQty !== undefined) throw err.notRequired('quoteOrderQty')
  }
  if (icebergQty !== undefined && !WITH_PRICE.includes(type)) throw err.notRequired('icebergQty')

  if (price !== undefined) checkPrice(m, price)
  if (stopPrice !== undefined) checkPrice(m, stopPrice)
  if (quantity !== undefined) {
    checkLot(m, quantity)
    if (type === 'MARKET' && quantity > m.marketMaxQty) throw err.filter('MARKET_LOT_SIZE')
  }
  if (icebergQty !== undefined && quantity !== undefined) {
    checkLot(m, icebergQty)
    if ((quantity + icebergQty - 1n) / icebergQty > ICEBERG_PARTS) throw err.filter('ICEBERG_PARTS')
  }
  if (
    trailingDelta !== undefined &&
    (trailingDelta < TRAILING_DELTA_RANGE.min || trailingDelta > TRAILING_DELTA_RANGE.max)
  ) {
    throw err.filter('TRAILING_DELTA')
  }
  const notional =
    quoteOrderQty ?? mulUnits(price ?? stopPrice ?? unitsFromNumber(data.price(symbol, now)), quantity ?? 0n)
  const isMarket = type === 'MARKET' || type === 'STOP_LOSS' || type === 'TAKE_PROFIT'
  if (notional < m.minNotional || (!isMarket && notional > m.maxNotional)) throw err.filter('NOTIONAL')

  return {
    symbol,
    side,
    type,
    ...(timeInForce ? { timeInForce } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    ...(quoteOrderQty !== undefined ? { quoteOrderQty } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(stopPrice !== undefined ? { stopPrice } : {}),
    ...(trailingDelta !== undefined ? { trailingDelta } : {}),
    ...(icebergQty !== undefined ? { icebergQty } : {}),
    ...(newClientOrderId !== undefined ? { newClientOrderId } : {}),
    selfTradePreventionMode: stp ?? 'EXPIRE_MAKER',
    respType: respType ?? (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK'),
  }
}
