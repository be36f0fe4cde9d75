import type { OrderSide, OrderType } from '../../shared/domain/trading'
import { ceilTo, Decimal, floorTo } from './decimal'

/**
 * When a conditional order fires: every rule on prices of stops, take-profits and trailing
 * stops lives here (the paper venue, the engine's emulation and validation all ask this module),
 * so that the arithmetic on prices is in one place. Triggers watch the LAST traded price.
 *
 * - stop, stop_limit, trailing_stop: a buy fires when the last price rises to the stop (at or
 *   above), a sell when it falls to it (at or below).
 * - take_profit, take_profit_limit: the other way round (a sell fires at or above, a buy at or
 *   below).
 * - trailing_stop: inactive until the last price reaches `activationPrice` (a sell at or above
 *   it, a buy at or below it; no activation price: active at once). Active, it keeps the water
 *   mark (the highest last price for a sell, the lowest for a buy) and its stop sits the
 *   trailing distance behind it: `trailingPercent` % of the water mark, or `trailingAmount`
 *   quote units, rounded to the tick away from the market (down for a sell, up for a buy).
 *
 * Prices are exact decimals: a trigger is reached or it is not, with no tolerance.
 */

/** What firing needs to know of an order. */
export interface TriggerState {
  type: OrderType
  side: OrderSide
  stopPrice: Decimal | null
  trailingPercent: Decimal | null
  trailingAmount: Decimal | null
  activationPrice: Decimal | null
  waterMark: Decimal | null
}

/** The outcome of watching one last price. */
export interface TriggerStep {
  /** The water mark after this price (trailing stops; unchanged otherwise). */
  waterMark: Decimal | null
  /** The stop after this price (a trailing stop's moves with its water mark). */
  stopPrice: Decimal | null
  fires: boolean
}

const CONDITIONAL: readonly OrderType[] = [
  'stop',
  'stop_limit',
  'take_profit',
  'take_profit_limit',
  'trailing_stop',
]

/** Whether the order waits for a trigger before it can trade. */
export function isConditional(type: OrderType): boolean {
  return CONDITIONAL.includes(type)
}

/**
 * Whether checking an order needs the last price: market orders (their notional), triggers
 * (their side of the market) and brackets (their legs' side of it).
 */
export function needsLastPrice(o: { type: OrderType; takeProfit?: unknown; stopLoss?: unknown }): boolean {
  return (
    o.type === 'market' || isConditional(o.type) || o.takeProfit !== undefined || o.stopLoss !== undefined
  )
}

/** What a fired order becomes: a limit order at its price, or a market order. */
export function firesAs(type: OrderType): 'limit' | 'market' {
  return type === 'stop_limit' || type === 'take_profit_limit' ? 'limit' : 'market'
}

/** `rise`: fires when the last price is at or above the trigger; `fall`: at or below. */
export function direction(type: OrderType, side: OrderSide): 'rise' | 'fall' {
  const takeProfit = type === 'take_profit' || type === 'take_profit_limit'
  return (side === 'buy') !== takeProfit ? 'rise' : 'fall'
}

/** Whether `last` has reached `trigger` in the direction given. */
export function reached(dir: 'rise' | 'fall', last: Decimal, trigger: Decimal): boolean {
  return dir === 'rise' ? last.gte(trigger) : last.lte(trigger)
}

/** Whether a trailing stop's activation price is reached (a sell at or above, a buy at or below). */
export function activationReached(side: OrderSide, last: Decimal, activation: Decimal): boolean {
  return side === 'sell' ? last.gte(activation) : last.lte(activation)
}

/** A trailing stop's stop for a water mark, rounded to the tick away from the market. */
export function trailingStopPrice(
  side: OrderSide,
  waterMark: Decimal,
  trailing: { percent: Decimal | null; amount: Decimal | null },
  tick: Decimal,
): Decimal {
  // The distance is exact (percent / 100 of the water mark, or the amount); only the stop is rounded.
  const distance = trailing.percent !== null ? waterMark.times(trailing.percent).shift(-2) : trailing.amount!
  return side === 'sell' ? floorTo(waterMark.minus(distance), tick) : ceilTo(waterMark.plus(distance), tick)
}

/** The better of two water marks for a trailing stop of this side (higher for a sell). */
function better(side: OrderSide, a: Decimal, b: Decimal): Decimal {
  return side === 'sell' ? Decimal.max(a, b) : Decimal.min(a, b)
}

/**
 * Watches one last price: whether the order fires, and a trailing stop's new water mark and stop.
 * A trailing stop activated by this price does not fire on it (its stop is behind it).
 */
export function step(o: TriggerState, last: Decimal, tick: Decimal): TriggerStep {
  if (o.type !== 'trailing_stop') {
    const fires = o.stopPrice !== null && reached(direction(o.type, o.side), last, o.stopPrice)
    return { waterMark: o.waterMark, stopPrice: o.stopPrice, fires }
  }
  const trailing = { percent: o.trailingPercent, amount: o.trailingAmount }
  if (o.waterMark === null) {
    if (o.activationPrice !== null && !activationReached(o.side, last, o.activationPrice)) {
      return { waterMark: null, stopPrice: null, fires: false }
    }
    return { waterMark: last, stopPrice: trailingStopPrice(o.side, last, trailing, tick), fires: false }
  }
  const waterMark = better(o.side, o.waterMark, last)
  const stopPrice = trailingStopPrice(o.side, waterMark, trailing, tick)
  return { waterMark, stopPrice, fires: reached(direction(o.type, o.side), last, stopPrice) }
}

/**
 * The price a conditional order is valued at when placed (its notional and the funds it needs):
 * its stop, or for a trailing stop its activation price or the stop it would have now.
 */
export function conditionalReference(
  o: TriggerState,
  last: Decimal | undefined,
  tick: Decimal,
): Decimal | undefined {
  if (o.type !== 'trailing_stop') return o.stopPrice ?? undefined
  if (o.activationPrice !== null) {
    return trailingStopPrice(
      o.side,
      o.activationPrice,
      { percent: o.trailingPercent, amount: o.trailingAmount },
      tick,
    )
  }
  if (last === undefined) return undefined
  return trailingStopPrice(o.side, last, { percent: o.trailingPercent, amount: o.trailingAmount }, tick)
}

/** A trailing percentage in Binance's trailingDelta units (basis points: 1% = 100). */
export function percentToBips(percent: Decimal): number {
  return Number(percent.shift(2).round(0, 'half_up').toString())
}

/** Binance's trailingDelta range, in percent (10 to 2000 basis points). */
export const TRAILING_PERCENT_RANGE = { min: Decimal.parse('0.1'), max: Decimal.parse('20') } as const

/**
 * Where a trigger must be, for the order not to fire the moment it is placed: `above` or
 * `below` the market. (A buy stop above it, a sell stop below it; take-profits the reverse; a
 * trailing stop's activation price: a sell above it, a buy below it.)
 */
export function requiredSide(
  type: OrderType,
  side: OrderSide,
  what: 'trigger' | 'activation',
): 'above' | 'below' {
  if (what === 'activation') return side === 'sell' ? 'above' : 'below'
  return direction(type, side) === 'rise' ? 'above' : 'below'
}

/** Whether `price` is strictly on `want` side of `last`. */
export function onSide(want: 'above' | 'below', price: Decimal, last: Decimal): boolean {
  return want === 'above' ? price.gt(last) : price.lt(last)
}

/**
 * The bracket legs' sides of an entry price: for a buy entry the take-profit sells above it and
 * the stop-loss below it; for a sell entry the reverse.
 */
export function bracketSides(entrySide: OrderSide): {
  takeProfit: 'above' | 'below'
  stopLoss: 'above' | 'below'
} {
  return entrySide === 'buy'
    ? { takeProfit: 'above', stopLoss: 'below' }
    : { takeProfit: 'below', stopLoss: 'above' }
}
