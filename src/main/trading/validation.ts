import { AppError } from '../../shared/contract/errors'
import type { NormalizedLeg, NormalizedOrder, OrderSide, OrderType } from '../../shared/domain/trading'
import { ceilTo, decimalsOf, fixed, floorTo, plain, roundTo } from './decimal'
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

/** What validation reads: the contract's order request, but numbers may be anything internally. */
export interface OrderInput {
  symbol: string
  side: OrderSide
  type: OrderType
  amount?: number | undefined
  notional?: number | undefined
  price?: number | undefined
  stopPrice?: number | undefined
  trailingPercent?: number | undefined
  trailingAmount?: number | undefined
  activationPrice?: number | undefined
  postOnly?: boolean | undefined
  reduceOnly?: boolean | undefined
  takeProfit?: { price: number } | undefined
  stopLoss?: { stopPrice: number; price?: number | undefined } | undefined
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
  position?: number | undefined
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
export function validateOrder(input: OrderInput, ctx: ValidationContext): NormalizedOrder {
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
  checkNumbers(input)
  checkFields(input, ctx.features ?? ALL_FEATURES, venue)

  const adjustments: string[] = []
  const tick = market.priceTick
  const step = market.amountStep
  const quoteDecimals = Math.max(2, decimalsOf(tick))
  const amountDecimals = decimalsOf(step)
  representable(input.amount, step, 'amount', market.base, 'params.amount')
  representable(input.price, tick, 'price', market.quote, 'params.price')
  representable(input.stopPrice, tick, 'stop price', market.quote, 'params.stopPrice')
  representable(input.activationPrice, tick, 'activation price', market.quote, 'params.activationPrice')
  representable(input.trailingAmount, tick, 'trailing amount', market.quote, 'params.trailingAmount')

  let price: number | null = null
  if (input.price !== undefined) {
    price = input.side === 'buy' ? floorTo(input.price, tick) : ceilTo(input.price, tick)
    if (price <= 0) {
      throw invalid(
        `price ${plain(input.price)} rounds to 0 at the tick ${plain(tick)} ${market.quote}`,
        'params.price',
      )
    }
    if (price !== input.price) {
      adjustments.push(
        `price rounded ${input.side === 'buy' ? 'down' : 'up'} from ${plain(input.price)} to ${fixed(price, decimalsOf(tick))} (tick ${plain(tick)})`,
      )
    }
  }
  const stopPrice = tickPrice(input.stopPrice, 'stop price', 'params.stopPrice', market, adjustments)
  const activationPrice = tickPrice(
    input.activationPrice,
    'activation price',
    'params.activationPrice',
    market,
    adjustments,
  )
  const trailingAmount = tickPrice(
    input.trailingAmount,
    'trailing amount',
    'params.trailingAmount',
    market,
    adjustments,
  )
  const trailingPercent = input.trailingPercent ?? null

  const last = ctx.quote !== undefined && ctx.quote.last > 0 ? ctx.quote.last : undefined
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

  let referencePrice: number
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
    if (side === undefined || !Number.isFinite(side) || side <= 0) {
      throw new AppError(
        'unavailable',
        `No current price for ${input.symbol}; a market order cannot be checked`,
        'params.symbol',
      )
    }
    referencePrice = side
  }

  const rawAmount = input.amount ?? input.notional! / referencePrice
  const amountPath = hasAmount ? 'params.amount' : 'params.notional'
  if (!hasAmount)
    representable(
      rawAmount,
      step,
      `notional ${plain(input.notional!)} ${market.quote} as an amount`,
      market.base,
      amountPath,
    )
  const amount = floorTo(rawAmount, step)
  if (amount <= 0) {
    throw invalid(
      `amount ${plain(rawAmount)} ${market.base} rounds down to 0 at the step ${plain(step)} ${market.base}`,
      amountPath,
    )
  }
  if (amount !== rawAmount) {
    adjustments.push(
      hasAmount
        ? `amount rounded down from ${plain(rawAmount)} to ${fixed(amount, amountDecimals)} (step ${plain(step)})`
        : `notional ${plain(input.notional!)} ${market.quote} is ${fixed(amount, amountDecimals)} ${market.base} at ${plain(referencePrice)} (rounded down to the step ${plain(step)})`,
    )
  }
  if (amount < market.minAmount) {
    throw invalid(
      `amount ${fixed(amount, amountDecimals)} ${market.base} is below the minimum ${plain(market.minAmount)} ${market.base} by ${fixed(market.minAmount - amount, amountDecimals)}`,
      amountPath,
    )
  }
  if (market.maxAmount !== null && amount > market.maxAmount) {
    throw invalid(
      `amount ${fixed(amount, amountDecimals)} ${market.base} is above the maximum ${plain(market.maxAmount)} ${market.base} by ${fixed(amount - market.maxAmount, amountDecimals)}`,
      amountPath,
    )
  }
  const notional = amount * referencePrice
  if (!Number.isFinite(notional)) {
    throw tooLarge(
      `notional ${plain(amount)} ${market.base} × ${plain(referencePrice)} ${market.quote} is too large`,
      amountPath,
    )
  }
  if (notional < market.minNotional) {
    throw invalid(
      `notional ${fixed(notional, quoteDecimals)} ${market.quote} is below the minimum ${plain(market.minNotional)} ${market.quote} by ${fixed(market.minNotional - notional, quoteDecimals)}`,
      amountPath,
    )
  }
  if (market.maxNotional !== null && notional > market.maxNotional) {
    throw invalid(
      `notional ${fixed(notional, quoteDecimals)} ${market.quote} is above the maximum ${plain(market.maxNotional)} ${market.quote} by ${fixed(notional - market.maxNotional, quoteDecimals)}`,
      amountPath,
    )
  }

  const legs = bracketLegs(input, referencePrice, market, adjustments, ctx.quote)
  if (input.reduceOnly === true) checkReduceOnly(input.side, amount, ctx.position, market, amountPath)

  const requires =
    input.side === 'buy' ? { asset: market.quote, amount: notional } : { asset: market.base, amount: amount }
  if (ctx.balances) {
    const free = ctx.balances.get(requires.asset)?.free ?? 0
    // A hair of tolerance: the free balance and the notional are both sums of doubles.
    if (requires.amount > free * (1 + 1e-12) + 1e-12) {
      const d = input.side === 'buy' ? quoteDecimals : amountDecimals
      throw new AppError(
        'insufficient_funds',
        `${input.side === 'buy' ? 'buying' : 'selling'} ${fixed(amount, amountDecimals)} ${market.base} needs ${fixed(requires.amount, d)} ${requires.asset}, ${fixed(free, d)} ${requires.asset} is free: short by ${fixed(requires.amount - free, d)}`,
        amountPath,
      )
    }
  }

  const marketable =
    input.type === 'limit' &&
    price !== null &&
    ctx.quote !== undefined &&
    (input.side === 'buy' ? price >= ctx.quote.ask : price <= ctx.quote.bid)
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

/** Every number given is positive and finite. */
function checkNumbers(input: OrderInput): void {
  const numbers: Array<[string, number | undefined]> = [
    ['amount', input.amount],
    ['notional', input.notional],
    ['price', input.price],
    ['stopPrice', input.stopPrice],
    ['trailingPercent', input.trailingPercent],
    ['trailingAmount', input.trailingAmount],
    ['activationPrice', input.activationPrice],
    ['takeProfit.price', input.takeProfit?.price],
    ['stopLoss.stopPrice', input.stopLoss?.stopPrice],
    ['stopLoss.price', input.stopLoss?.price],
  ]
  for (const [key, v] of numbers) {
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw invalid(`${key} must be a positive finite number, got ${String(v)}`, `params.${key}`)
    }
  }
}

/** Each type has exactly the fields it takes, and the venue can hold (or the engine emulate) it. */
function checkFields(input: OrderInput, features: VenueFeatures, venue: string): void {
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
    const p = input.trailingPercent
    if (p !== undefined) {
      if (p < TRAILING_PERCENT_RANGE.min || p > TRAILING_PERCENT_RANGE.max) {
        throw invalid(
          `trailingPercent ${plain(p)}% is outside ${TRAILING_PERCENT_RANGE.min}% to ${TRAILING_PERCENT_RANGE.max}%`,
          'params.trailingPercent',
        )
      }
      if (Math.abs(p * 100 - Math.round(p * 100)) > 1e-9)
        throw invalid(`trailingPercent ${plain(p)}% is finer than 0.01%`, 'params.trailingPercent')
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
  value: number | undefined,
  what: string,
  path: string,
  market: VenueMarket,
  adjustments: string[],
): number | null {
  if (value === undefined) return null
  const tick = market.priceTick
  const rounded = roundTo(value, tick)
  if (rounded <= 0)
    throw invalid(`${what} ${plain(value)} rounds to 0 at the tick ${plain(tick)} ${market.quote}`, path)
  if (rounded !== value) {
    adjustments.push(
      `${what} rounded from ${plain(value)} to ${fixed(rounded, decimalsOf(tick))} (tick ${plain(tick)})`,
    )
  }
  return rounded
}

/** `68,000.00 USDT`: a price as the refusals show it, at the market's decimals. */
function shown(value: number, market: VenueMarket): string {
  return `${fixed(value, decimalsOf(market.priceTick)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${market.quote}`
}

/**
 * Triggers on the side of the market where they wait (not firing at once), and post-only limits
 * that would rest. Each refusal names the field and the market price.
 */
function checkMarketSide(
  input: OrderInput,
  p: { stopPrice: number | null; activationPrice: number | null; price: number | null },
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
    const takes = input.side === 'buy' ? p.price >= quote.ask : p.price <= quote.bid
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
  entryPrice: number,
  market: VenueMarket,
  adjustments: string[],
  quote: Quote | undefined,
): { takeProfit: NormalizedLeg | null; stopLoss: NormalizedLeg | null } {
  const legSide: OrderSide = input.side === 'buy' ? 'sell' : 'buy'
  const sides = bracketSides(input.side)
  const entry = `the entry price ${shown(entryPrice, market)}`
  let takeProfit: NormalizedLeg | null = null
  let stopLoss: NormalizedLeg | null = null
  if (input.takeProfit !== undefined) {
    representable(
      input.takeProfit.price,
      market.priceTick,
      'take-profit',
      market.quote,
      'params.takeProfit.price',
    )
    const price = tickPrice(
      input.takeProfit.price,
      'take-profit',
      'params.takeProfit.price',
      market,
      adjustments,
    )!
    if (!onSide(sides.takeProfit, price, entryPrice)) {
      throw invalid(
        `take-profit ${shown(price, market)} must be ${sides.takeProfit} ${entry} for a ${input.side}`,
        'params.takeProfit.price',
      )
    }
    takeProfit = { type: 'limit', side: legSide, price, stopPrice: null }
  }
  if (input.stopLoss !== undefined) {
    const sl = input.stopLoss
    representable(sl.stopPrice, market.priceTick, 'stop-loss', market.quote, 'params.stopLoss.stopPrice')
    const stop = tickPrice(sl.stopPrice, 'stop-loss', 'params.stopLoss.stopPrice', market, adjustments)!
    if (!onSide(sides.stopLoss, stop, entryPrice)) {
      throw invalid(
        `stop-loss ${shown(stop, market)} must be ${sides.stopLoss} ${entry} for a ${input.side}`,
        'params.stopLoss.stopPrice',
      )
    }
    const last = quote?.last
    if (last !== undefined && last > 0 && !onSide(sides.stopLoss, stop, last)) {
      throw invalid(
        `stop-loss ${shown(stop, market)} must be ${sides.stopLoss} the market price ${shown(last, market)}; there it would trigger at once`,
        'params.stopLoss.stopPrice',
      )
    }
    const limit =
      sl.price === undefined
        ? null
        : tickPrice(sl.price, 'stop-loss limit', 'params.stopLoss.price', market, adjustments)
    stopLoss = { type: limit === null ? 'stop' : 'stop_limit', side: legSide, price: limit, stopPrice: stop }
  }
  return { takeProfit, stopLoss }
}

/** A reduce-only order must shrink the position, by at most its size. */
function checkReduceOnly(
  side: OrderSide,
  amount: number,
  position: number | undefined,
  market: VenueMarket,
  path: string,
): void {
  const d = decimalsOf(market.amountStep)
  const held = position ?? 0
  const reduces = side === 'sell' ? held > 0 : held < 0
  const wanted = side === 'sell' ? 'long' : 'short'
  if (!reduces) {
    throw invalid(
      `reduce-only ${side}: there is no ${wanted} ${market.symbol} position to reduce`,
      'params.reduceOnly',
    )
  }
  const size = Math.abs(held)
  if (amount > size * (1 + 1e-12) + 1e-12) {
    throw invalid(
      `reduce-only ${side} of ${fixed(amount, d)} ${market.base} is larger than the ${fixed(size, d)} ${market.base} ${wanted} position`,
      path,
    )
  }
}

/**
 * Refuses a number too large to round to its increment: `value / increment` overflows to
 * Infinity (an amount of 1e308 at a step of 0.00001), and so would the rounded number and every
 * check after it (it came back as "insufficient funds: short by Infinity"). Finer limits on
 * magnitude wait for exact decimals.
 */
function representable(
  value: number | undefined,
  increment: number,
  what: string,
  unit: string,
  path: string,
): void {
  if (value === undefined || !(increment > 0) || Number.isFinite(value / increment)) return
  throw tooLarge(
    `${what} ${plain(value)} ${unit} is too large to round to the increment ${plain(increment)} ${unit}`,
    path,
  )
}

/** A number out of range is a malformed request (`validation`), not an order the market refuses. */
function tooLarge(message: string, path: string): AppError {
  return new AppError('validation', message, path)
}

function invalid(message: string, path: string): AppError {
  return new AppError('invalid_order', message, path)
}
