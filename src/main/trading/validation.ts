import { AppError } from '../../shared/contract/errors'
import type { NormalizedLeg, NormalizedOrder, OrderSide, OrderType } from '../../shared/domain/trading'
import { amountForNotional, ceilTo, Decimal, floorTo, roundTo, toOptionalText } from './decimal'
import {
  TRAILING_PERCENT_RANGE,
  bracketSides,
  conditionalReference,
  isConditional,
  onSide,
  requiredSide,
} from './triggers'
import type { BalanceLookup, Quote, VenueMarket } from './venue'
import { ALL_FEATURES, mustEmulate, type VenueFeatures } from './venue-features'

/**
 * A number as an order's fields give it: decimal text from the contract (checked again here, as
 * internal callers bypass the contract's schema), or a Decimal from the engine itself (a close,
 * a bracket's legs, a fired emulated order).
 */
export type DecimalInput = Decimal | string

/** What validation reads: the contract's order request, or the engine's own order. */
export interface OrderInput {
  symbol: string
  side: OrderSide
  type: OrderType
  amount?: DecimalInput | undefined
  notional?: DecimalInput | undefined
  price?: DecimalInput | undefined
  stopPrice?: DecimalInput | undefined
  trailingPercent?: DecimalInput | undefined
  trailingAmount?: DecimalInput | undefined
  activationPrice?: DecimalInput | undefined
  postOnly?: boolean | undefined
  reduceOnly?: boolean | undefined
  takeProfit?: { price: DecimalInput } | undefined
  stopLoss?: { stopPrice: DecimalInput; price?: DecimalInput | undefined } | undefined
}

/** A bracket or OCO leg after rounding, as the engine holds it (`NormalizedLeg` on the wire). */
export interface CheckedLeg {
  type: OrderType
  side: OrderSide
  price: Decimal | null
  stopPrice: Decimal | null
}

/** An order after rounding to the market, as the engine holds it (`NormalizedOrder` on the wire). */
export interface CheckedOrder {
  symbol: string
  side: OrderSide
  type: OrderType
  amount: Decimal
  price: Decimal | null
  stopPrice: Decimal | null
  trailingPercent: Decimal | null
  trailingAmount: Decimal | null
  activationPrice: Decimal | null
  postOnly: boolean
  reduceOnly: boolean
  takeProfit: CheckedLeg | null
  stopLoss: CheckedLeg | null
  last: Decimal | null
  emulated: boolean
  referencePrice: Decimal
  notional: Decimal
  requires: { asset: string; amount: Decimal }
  feeRate: Decimal
  adjustments: string[]
}

function toNormalizedLeg(l: CheckedLeg | null): NormalizedLeg | null {
  return (
    l && {
      type: l.type,
      side: l.side,
      price: toOptionalText(l.price),
      stopPrice: toOptionalText(l.stopPrice),
    }
  )
}

/** A checked order as the contract shows it. */
export function toNormalizedOrder(c: CheckedOrder): NormalizedOrder {
  return {
    symbol: c.symbol,
    side: c.side,
    type: c.type,
    amount: c.amount.toString(),
    price: toOptionalText(c.price),
    stopPrice: toOptionalText(c.stopPrice),
    trailingPercent: toOptionalText(c.trailingPercent),
    trailingAmount: toOptionalText(c.trailingAmount),
    activationPrice: toOptionalText(c.activationPrice),
    postOnly: c.postOnly,
    reduceOnly: c.reduceOnly,
    takeProfit: toNormalizedLeg(c.takeProfit),
    stopLoss: toNormalizedLeg(c.stopLoss),
    last: toOptionalText(c.last),
    emulated: c.emulated,
    referencePrice: c.referencePrice.toString(),
    notional: c.notional.toString(),
    requires: { asset: c.requires.asset, amount: c.requires.amount.toString() },
    feeRate: c.feeRate.toString(),
    adjustments: c.adjustments,
  }
}

export interface ValidationContext {
  /** The market, or undefined when the venue does not list the symbol. */
  market: VenueMarket | undefined
  /**
   * Best bid/ask and last; needed for market orders (their notional), to spot marketable limits
   * and to check that triggers are on the right side of the market.
   */
  quote?: Quote | undefined
  /** Free balances; when given, the order must fit in them. */
  balances?: BalanceLookup | undefined
  /** Venue name for messages ("paper", "binance"). */
  venue?: string
  /** What the venue holds itself (default: everything); the rest is emulated or refused. */
  features?: VenueFeatures
  /** The account's position in the symbol (signed base amount), for reduce-only orders. */
  position?: Decimal | undefined
}

const NEEDS_PRICE: readonly OrderType[] = ['limit', 'stop_limit', 'take_profit_limit']
const NEEDS_STOP: readonly OrderType[] = ['stop', 'stop_limit', 'take_profit', 'take_profit_limit']
const TYPE_NAMES: Record<OrderType, string> = {
  market: 'market',
  limit: 'limit',
  stop: 'stop',
  stop_limit: 'stop-limit',
  take_profit: 'take-profit',
  take_profit_limit: 'take-profit-limit',
  trailing_stop: 'trailing stop',
}
const article = (t: OrderType) => (/^[aeiou]/.test(TYPE_NAMES[t]) ? 'An' : 'A')

/** An order's numbers, read exactly (see `readNumbers`). */
interface Numbers {
  amount: Decimal | undefined
  notional: Decimal | undefined
  price: Decimal | undefined
  stopPrice: Decimal | undefined
  trailingPercent: Decimal | undefined
  trailingAmount: Decimal | undefined
  activationPrice: Decimal | undefined
  takeProfitPrice: Decimal | undefined
  stopLossStop: Decimal | undefined
  stopLossPrice: Decimal | undefined
}

/**
 * Pre-trade checks, in the order a trader would want to hear about them, each refusing with
 * the limit it breaks and by how much:
 *
 * 1. the symbol is listed and trading; exactly one of amount/notional; every number positive
 *    and finite (zero, negative, NaN and infinity refused); each type has exactly the fields it
 *    takes (limit, stop-limit and take-profit-limit a price; stop, stop-limit, take-profit and
 *    take-profit-limit a stop price; a trailing stop one of trailingPercent (0.1 to 20) or
 *    trailingAmount, and optionally an activation price; post-only only on limits; a bracket's
 *    take-profit and stop-loss only on market or limit entries);
 * 2. rounding to the market: the amount is rounded DOWN to the step (never more than asked);
 *    a limit price is rounded to the tick in the trader's favour (buy down, sell up: never a
 *    worse price than typed); stop, activation and leg prices and a trailing amount to the
 *    nearest tick. An amount given as a notional is converted at the reference price first.
 *    Every change is listed in `adjustments`;
 * 3. the market side (when the last price is known): a trigger must not fire the moment it is
 *    placed (a buy stop above the last price, a sell stop below; take-profits the reverse; a
 *    trailing stop's activation a sell above, a buy below), a post-only limit must not take, and
 *    a bracket's take-profit must be on the profitable side of the entry price and its
 *    stop-loss on the other. Each refusal names the field and the market price;
 * 4. minimum and maximum amount, minimum and maximum notional (amount * reference price,
 *    where the reference is the limit price, the stop price, a trailing stop's activation stop
 *    or current stop, or the ask for market buys and the bid for market sells);
 * 5. reduce-only: the order must not grow or reverse the position (given as `position`);
 * 6. the free balance: buys need the notional in quote (Binance takes buy fees from the base
 *    received), sells need the amount in base.
 */
export function validateOrder(input: OrderInput, ctx: ValidationContext): CheckedOrder {
  const { market } = ctx
  const venue = ctx.venue ?? 'the exchange'
  if (!market) throw invalid(`Unknown symbol ${input.symbol} on ${venue}`, 'params.symbol')
  if (!market.active) throw invalid(`${input.symbol} is not trading on ${venue} right now`, 'params.symbol')

  const hasAmount = input.amount !== undefined
  const hasNotional = input.notional !== undefined
  if (hasAmount === hasNotional) {
    throw invalid(
      'Give either an amount (in base) or a notional (in quote), not both and not neither',
      'params.amount',
    )
  }
  const v = readNumbers(input)
  checkFields(input, v, ctx.features ?? ALL_FEATURES, venue)

  const adjustments: string[] = []
  const tick = market.priceTick
  const step = market.amountStep
  const quoteDecimals = Math.max(2, tick.decimals)
  const amountDecimals = step.decimals
  const priceDecimals = tick.decimals

  let price: Decimal | null = null
  if (v.price !== undefined) {
    price = input.side === 'buy' ? floorTo(v.price, tick) : ceilTo(v.price, tick)
    if (!price.isPositive()) {
      throw invalid(
        `price ${v.price.toString()} rounds to 0 at the tick ${tick.toString()} ${market.quote}`,
        'params.price',
      )
    }
    if (!price.eq(v.price)) {
      adjustments.push(
        `price rounded ${input.side === 'buy' ? 'down' : 'up'} from ${v.price.toString()} to ${price.toFixed(priceDecimals)} (tick ${tick.toString()})`,
      )
    }
  }
  const stopPrice = tickPrice(v.stopPrice, 'stop price', 'params.stopPrice', market, adjustments)
  const activationPrice = tickPrice(
    v.activationPrice,
    'activation price',
    'params.activationPrice',
    market,
    adjustments,
  )
  const trailingAmount = tickPrice(
    v.trailingAmount,
    'trailing amount',
    'params.trailingAmount',
    market,
    adjustments,
  )
  const trailingPercent = v.trailingPercent ?? null

  const last = ctx.quote !== undefined && ctx.quote.last.isPositive() ? ctx.quote.last : undefined
  const postOnly = input.postOnly === true
  const trigger = {
    type: input.type,
    side: input.side,
    stopPrice,
    trailingPercent,
    trailingAmount,
    activationPrice,
    waterMark: null,
  }
  if (last !== undefined) checkMarketSide(input, { stopPrice, activationPrice, price }, ctx.quote!, market)

  let referencePrice: Decimal
  if (NEEDS_PRICE.includes(input.type) && price !== null) referencePrice = price
  else if (isConditional(input.type)) {
    const ref = conditionalReference(trigger, last, tick)
    if (ref === undefined) {
      throw new AppError(
        'unavailable',
        `No current price for ${input.symbol}; a trailing stop without an activation price cannot be checked`,
        'params.symbol',
      )
    }
    referencePrice = ref
  } else {
    const q = ctx.quote
    const side = input.side === 'buy' ? q?.ask : q?.bid
    if (side === undefined || !side.isPositive()) {
      throw new AppError(
        'unavailable',
        `No current price for ${input.symbol}; a market order cannot be checked`,
        'params.symbol',
      )
    }
    referencePrice = side
  }

  const amountPath = hasAmount ? 'params.amount' : 'params.notional'
  // A notional becomes the largest amount at the step it pays for, in one exact rounding.
  const amount =
    v.amount !== undefined ? floorTo(v.amount, step) : amountForNotional(v.notional!, referencePrice, step)
  if (!amount.isPositive()) {
    throw invalid(
      v.amount !== undefined
        ? `amount ${v.amount.toString()} ${market.base} rounds down to 0 at the step ${step.toString()} ${market.base}`
        : `notional ${v.notional!.toString()} ${market.quote} buys less than one step (${step.toString()} ${market.base}) at ${referencePrice.toString()}`,
      amountPath,
    )
  }
  if (v.amount !== undefined ? !amount.eq(v.amount) : true) {
    if (v.amount !== undefined) {
      adjustments.push(
        `amount rounded down from ${v.amount.toString()} to ${amount.toFixed(amountDecimals)} (step ${step.toString()})`,
      )
    } else {
      adjustments.push(
        `notional ${v.notional!.toString()} ${market.quote} is ${amount.toFixed(amountDecimals)} ${market.base} at ${referencePrice.toString()} (rounded down to the step ${step.toString()})`,
      )
    }
  }
  if (amount.lt(market.minAmount)) {
    throw invalid(
      `amount ${amount.toFixed(amountDecimals)} ${market.base} is below the minimum ${market.minAmount.toString()} ${market.base} by ${market.minAmount.minus(amount).toFixed(amountDecimals, 'up')}`,
      amountPath,
    )
  }
  if (market.maxAmount !== null && amount.gt(market.maxAmount)) {
    throw invalid(
      `amount ${amount.toFixed(amountDecimals)} ${market.base} is above the maximum ${market.maxAmount.toString()} ${market.base} by ${amount.minus(market.maxAmount).toFixed(amountDecimals, 'up')}`,
      amountPath,
    )
  }
  const notional = amount.times(referencePrice)
  if (notional.lt(market.minNotional)) {
    throw invalid(
      `notional ${notional.toFixed(quoteDecimals)} ${market.quote} is below the minimum ${market.minNotional.toString()} ${market.quote} by ${market.minNotional.minus(notional).toFixed(quoteDecimals, 'up')}`,
      amountPath,
    )
  }
  if (market.maxNotional !== null && notional.gt(market.maxNotional)) {
    throw invalid(
      `notional ${notional.toFixed(quoteDecimals)} ${market.quote} is above the maximum ${market.maxNotional.toString()} ${market.quote} by ${notional.minus(market.maxNotional).toFixed(quoteDecimals, 'up')}`,
      amountPath,
    )
  }

  const legs = bracketLegs(input, v, referencePrice, market, adjustments, ctx.quote)
  if (input.reduceOnly === true) checkReduceOnly(input.side, amount, ctx.position, market, amountPath)

  const requires =
    input.side === 'buy' ? { asset: market.quote, amount: notional } : { asset: market.base, amount: amount }
  if (ctx.balances) {
    const free = ctx.balances.get(requires.asset)?.free ?? Decimal.ZERO
    if (requires.amount.gt(free)) {
      const d = input.side === 'buy' ? quoteDecimals : amountDecimals
      // What is short is rounded up, so "short by" never reads 0.00 for a real shortfall.
      throw new AppError(
        'insufficient_funds',
        `${input.side === 'buy' ? 'buying' : 'selling'} ${amount.toFixed(amountDecimals)} ${market.base} needs ${requires.amount.toFixed(d, 'up')} ${requires.asset}, ${free.toFixed(d, 'down')} ${requires.asset} is free: short by ${requires.amount.minus(free).toFixed(d, 'up')}`,
        amountPath,
      )
    }
  }

  const marketable =
    input.type === 'limit' &&
    price !== null &&
    ctx.quote !== undefined &&
    (input.side === 'buy' ? price.gte(ctx.quote.ask) : price.lte(ctx.quote.bid))
  const feeRate = input.type === 'limit' && !marketable ? market.makerFee : market.takerFee

  return {
    symbol: market.symbol,
    side: input.side,
    type: input.type,
    amount,
    price,
    stopPrice,
    trailingPercent,
    trailingAmount,
    activationPrice,
    postOnly,
    reduceOnly: input.reduceOnly === true,
    takeProfit: legs.takeProfit,
    stopLoss: legs.stopLoss,
    last: last ?? null,
    emulated: mustEmulate({ type: input.type, trailingAmount }, ctx.features ?? ALL_FEATURES),
    referencePrice,
    notional,
    requires,
    feeRate,
    adjustments,
  }
}

/**
 * Every number given is exact decimal text (or a Decimal) and greater than zero; anything else
 * (a JSON number, `1e5`, `0,1`, `NaN`) is refused naming its field.
 */
function readNumbers(input: OrderInput): Numbers {
  return {
    amount: readNumber('amount', input.amount),
    notional: readNumber('notional', input.notional),
    price: readNumber('price', input.price),
    stopPrice: readNumber('stopPrice', input.stopPrice),
    trailingPercent: readNumber('trailingPercent', input.trailingPercent),
    trailingAmount: readNumber('trailingAmount', input.trailingAmount),
    activationPrice: readNumber('activationPrice', input.activationPrice),
    takeProfitPrice: readNumber('takeProfit.price', input.takeProfit?.price),
    stopLossStop: readNumber('stopLoss.stopPrice', input.stopLoss?.stopPrice),
    stopLossPrice: readNumber('stopLoss.price', input.stopLoss?.price),
  }
}

/** One field as a positive Decimal (see readNumbers). */
export function readNumber(key: string, value: DecimalInput | undefined): Decimal | undefined {
  if (value === undefined) return undefined
  const d = value instanceof Decimal ? value : typeof value === 'string' ? Decimal.tryParse(value) : undefined
  if (d === undefined) {
    throw new AppError(
      'validation',
      `params.${key}: a decimal number as text, such as "0.1", got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
      `params.${key}`,
    )
  }
  if (!d.isPositive()) throw invalid(`${key} must be greater than zero, got ${d.toString()}`, `params.${key}`)
  return d
}

/** Each type has exactly the fields it takes, and the venue can hold (or the engine emulate) it. */
function checkFields(input: OrderInput, v: Numbers, features: VenueFeatures, venue: string): void {
  const t = input.type
  const name = TYPE_NAMES[t]
  if (NEEDS_PRICE.includes(t) && input.price === undefined)
    throw invalid(`${article(t)} ${name} order needs a price`, 'params.price')
  if (!NEEDS_PRICE.includes(t) && input.price !== undefined)
    throw invalid(`${article(t)} ${name} order takes no limit price`, 'params.price')
  if (NEEDS_STOP.includes(t) && input.stopPrice === undefined)
    throw invalid(`${article(t)} ${name} order needs a stop price`, 'params.stopPrice')
  if (!NEEDS_STOP.includes(t) && input.stopPrice !== undefined) {
    throw invalid(
      t === 'trailing_stop'
        ? 'A trailing stop takes a trailing distance (trailingPercent or trailingAmount), not a stop price'
        : `${article(t)} ${name} order takes no stop price`,
      'params.stopPrice',
    )
  }
  if (t === 'trailing_stop') {
    if ((input.trailingPercent === undefined) === (input.trailingAmount === undefined)) {
      throw invalid(
        'A trailing stop needs its distance as either trailingPercent or trailingAmount, not both',
        'params.trailingPercent',
      )
    }
    const p = v.trailingPercent
    if (p !== undefined) {
      if (p.lt(TRAILING_PERCENT_RANGE.min) || p.gt(TRAILING_PERCENT_RANGE.max)) {
        throw invalid(
          `trailingPercent ${p.toString()}% is outside ${TRAILING_PERCENT_RANGE.min.toString()}% to ${TRAILING_PERCENT_RANGE.max.toString()}%`,
          'params.trailingPercent',
        )
      }
      if (p.decimals > 2)
        throw invalid(`trailingPercent ${p.toString()}% is finer than 0.01%`, 'params.trailingPercent')
    }
  } else {
    for (const key of ['trailingPercent', 'trailingAmount', 'activationPrice'] as const) {
      if (input[key] !== undefined) throw invalid(`Only a trailing stop takes ${key}`, `params.${key}`)
    }
  }
  if (input.postOnly === true) {
    if (t !== 'limit') throw invalid(`Post-only is for limit orders, not ${name} orders`, 'params.postOnly')
    if (!features.has('post_only')) throw invalid(`${venue} has no post-only orders`, 'params.postOnly')
  }
  if (input.takeProfit !== undefined || input.stopLoss !== undefined) {
    if (t !== 'market' && t !== 'limit') {
      throw invalid(
        `Take-profit and stop-loss attach to market or limit entries, not to ${name} orders`,
        input.takeProfit !== undefined ? 'params.takeProfit' : 'params.stopLoss',
      )
    }
    if (input.reduceOnly === true)
      throw invalid('A reduce-only order takes no take-profit or stop-loss', 'params.reduceOnly')
  }
}

/** A price rounded to the nearest tick (stop, activation, trailing amount), noting a change. */
function tickPrice(
  value: Decimal | undefined,
  what: string,
  path: string,
  market: VenueMarket,
  adjustments: string[],
): Decimal | null {
  if (value === undefined) return null
  const tick = market.priceTick
  const rounded = roundTo(value, tick)
  if (!rounded.isPositive())
    throw invalid(
      `${what} ${value.toString()} rounds to 0 at the tick ${tick.toString()} ${market.quote}`,
      path,
    )
  if (!rounded.eq(value)) {
    adjustments.push(
      `${what} rounded from ${value.toString()} to ${rounded.toFixed(tick.decimals)} (tick ${tick.toString()})`,
    )
  }
  return rounded
}

/** `68,000.00 USDT`: a price as the refusals show it, at the market's decimals. */
function shown(value: Decimal, market: VenueMarket): string {
  return `${value.toFixed(market.priceTick.decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${market.quote}`
}

/**
 * Triggers on the side of the market where they wait (not firing at once), and post-only limits
 * that would rest. Each refusal names the field and the market price.
 */
function checkMarketSide(
  input: OrderInput,
  p: { stopPrice: Decimal | null; activationPrice: Decimal | null; price: Decimal | null },
  quote: Quote,
  market: VenueMarket,
): void {
  const last = quote.last
  const name = TYPE_NAMES[input.type]
  if (p.stopPrice !== null) {
    const want = requiredSide(input.type, input.side, 'trigger')
    if (!onSide(want, p.stopPrice, last)) {
      throw invalid(
        `stop price ${shown(p.stopPrice, market)} must be ${want} the market price ${shown(last, market)} for a ${input.side} ${name}; there it would trigger at once`,
        'params.stopPrice',
      )
    }
  }
  if (p.activationPrice !== null) {
    const want = requiredSide(input.type, input.side, 'activation')
    if (!onSide(want, p.activationPrice, last)) {
      throw invalid(
        `activation price ${shown(p.activationPrice, market)} must be ${want} the market price ${shown(last, market)} for a ${input.side} trailing stop (leave it empty to trail from now)`,
        'params.activationPrice',
      )
    }
  }
  if (input.postOnly === true && p.price !== null) {
    const takes = input.side === 'buy' ? p.price.gte(quote.ask) : p.price.lte(quote.bid)
    if (takes) {
      const against =
        input.side === 'buy' ? `the ask ${shown(quote.ask, market)}` : `the bid ${shown(quote.bid, market)}`
      throw invalid(
        `post-only ${input.side} at ${shown(p.price, market)} would take at once against ${against}; ${input.side === 'buy' ? 'lower' : 'raise'} the price or turn post-only off`,
        'params.price',
      )
    }
  }
}

/**
 * A bracket's legs, rounded, on their sides of the entry: the take-profit on the profitable
 * side of the entry price (the limit price, or the ask or bid a market entry would take), the
 * stop-loss on the other. With a last price known, the stop must also not trigger at once.
 */
function bracketLegs(
  input: OrderInput,
  v: Numbers,
  entryPrice: Decimal,
  market: VenueMarket,
  adjustments: string[],
  quote: Quote | undefined,
): { takeProfit: CheckedLeg | null; stopLoss: CheckedLeg | null } {
  const legSide: OrderSide = input.side === 'buy' ? 'sell' : 'buy'
  const sides = bracketSides(input.side)
  const entry = `the entry price ${shown(entryPrice, market)}`
  let takeProfit: CheckedLeg | null = null
  let stopLoss: CheckedLeg | null = null
  if (v.takeProfitPrice !== undefined) {
    const price = tickPrice(v.takeProfitPrice, 'take-profit', 'params.takeProfit.price', market, adjustments)!
    if (!onSide(sides.takeProfit, price, entryPrice)) {
      throw invalid(
        `take-profit ${shown(price, market)} must be ${sides.takeProfit} ${entry} for a ${input.side}`,
        'params.takeProfit.price',
      )
    }
    takeProfit = { type: 'limit', side: legSide, price, stopPrice: null }
  }
  if (v.stopLossStop !== undefined) {
    const stop = tickPrice(v.stopLossStop, 'stop-loss', 'params.stopLoss.stopPrice', market, adjustments)!
    if (!onSide(sides.stopLoss, stop, entryPrice)) {
      throw invalid(
        `stop-loss ${shown(stop, market)} must be ${sides.stopLoss} ${entry} for a ${input.side}`,
        'params.stopLoss.stopPrice',
      )
    }
    const last = quote?.last
    if (last !== undefined && last.isPositive() && !onSide(sides.stopLoss, stop, last)) {
      throw invalid(
        `stop-loss ${shown(stop, market)} must be ${sides.stopLoss} the market price ${shown(last, market)}; there it would trigger at once`,
        'params.stopLoss.stopPrice',
      )
    }
    const limit =
      v.stopLossPrice === undefined
        ? null
        : tickPrice(v.stopLossPrice, 'stop-loss limit', 'params.stopLoss.price', market, adjustments)
    stopLoss = { type: limit === null ? 'stop' : 'stop_limit', side: legSide, price: limit, stopPrice: stop }
  }
  return { takeProfit, stopLoss }
}

/** A reduce-only order must shrink the position, by at most its size. */
function checkReduceOnly(
  side: OrderSide,
  amount: Decimal,
  position: Decimal | undefined,
  market: VenueMarket,
  path: string,
): void {
  const d = market.amountStep.decimals
  const held = position ?? Decimal.ZERO
  const reduces = side === 'sell' ? held.isPositive() : held.isNegative()
  const wanted = side === 'sell' ? 'long' : 'short'
  if (!reduces) {
    throw invalid(
      `reduce-only ${side}: there is no ${wanted} ${market.symbol} position to reduce`,
      'params.reduceOnly',
    )
  }
  const size = held.abs()
  if (amount.gt(size)) {
    throw invalid(
      `reduce-only ${side} of ${amount.toFixed(d)} ${market.base} is larger than the ${size.toFixed(d)} ${market.base} ${wanted} position`,
      path,
    )
  }
}

function invalid(message: string, path: string): AppError {
  return new AppError('invalid_order', message, path)
}
