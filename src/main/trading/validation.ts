import { AppError } from '../../shared/contract/errors'
import type { NormalizedOrder, OrderSide, OrderType } from '../../shared/domain/trading'
import { ceilTo, decimalsOf, fixed, floorTo, plain, roundTo } from './decimal'
import type { BalanceLookup, Quote, VenueMarket } from './venue'

/** What validation reads: the contract's order request, but numbers may be anything internally. */
export interface OrderInput {
  symbol: string
  side: OrderSide
  type: OrderType
  amount?: number | undefined
  notional?: number | undefined
  price?: number | undefined
  stopPrice?: number | undefined
}

export interface ValidationContext {
  /** The market, or undefined when the venue does not list the symbol. */
  market: VenueMarket | undefined
  /** Best bid/ask; needed for market orders (their notional) and to spot marketable limits. */
  quote?: Quote | undefined
  /** Free balances; when given, the order must fit in them. */
  balances?: BalanceLookup | undefined
  /** Venue name for messages ("paper", "binance"). */
  venue?: string
}

/**
 * Pre-trade checks, in the order a trader would want to hear about them, each refusing with
 * the limit it breaks and by how much:
 *
 * 1. the symbol is listed and trading; exactly one of amount/notional; every number positive
 *    and finite (zero, negative, NaN and infinity refused); a limit has a price, a stop a stop
 *    price, a market order neither;
 * 2. rounding to the market: the amount is rounded DOWN to the step (never more than asked);
 *    a limit price is rounded to the tick in the trader's favour (buy down, sell up: never a
 *    worse price than typed); a stop price to the nearest tick. An amount given as a notional
 *    is converted at the reference price first. Every change is listed in `adjustments`;
 * 3. minimum and maximum amount, minimum and maximum notional (amount * reference price,
 *    where the reference is the limit price, the stop price, or the ask for market buys and
 *    the bid for market sells);
 * 4. the free balance: buys need the notional in quote (Binance takes buy fees from the base
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
  for (const key of ['amount', 'notional', 'price', 'stopPrice'] as const) {
    const v = input[key]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw invalid(`${key} must be a positive finite number, got ${String(v)}`, `params.${key}`)
    }
  }
  if (input.type === 'limit' && input.price === undefined)
    throw invalid('A limit order needs a price', 'params.price')
  if (input.type !== 'limit' && input.price !== undefined) {
    throw invalid(`A ${input.type} order takes no limit price`, 'params.price')
  }
  if (input.type === 'stop' && input.stopPrice === undefined) {
    throw invalid('A stop order needs a stop price', 'params.stopPrice')
  }
  if (input.type !== 'stop' && input.stopPrice !== undefined) {
    throw invalid(`A ${input.type} order takes no stop price`, 'params.stopPrice')
  }

  const adjustments: string[] = []
  const tick = market.priceTick
  const step = market.amountStep
  const quoteDecimals = Math.max(2, decimalsOf(tick))
  const amountDecimals = decimalsOf(step)
  representable(input.amount, step, 'amount', market.base, 'params.amount')
  representable(input.price, tick, 'price', market.quote, 'params.price')
  representable(input.stopPrice, tick, 'stop price', market.quote, 'params.stopPrice')

  let price: number | null = null
  let stopPrice: number | null = null
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
  if (input.stopPrice !== undefined) {
    stopPrice = roundTo(input.stopPrice, tick)
    if (stopPrice <= 0) {
      throw invalid(
        `stop price ${plain(input.stopPrice)} rounds to 0 at the tick ${plain(tick)} ${market.quote}`,
        'params.stopPrice',
      )
    }
    if (stopPrice !== input.stopPrice) {
      adjustments.push(
        `stop price rounded from ${plain(input.stopPrice)} to ${fixed(stopPrice, decimalsOf(tick))} (tick ${plain(tick)})`,
      )
    }
  }

  let referencePrice: number
  if (price !== null) referencePrice = price
  else if (stopPrice !== null) referencePrice = stopPrice
  else {
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
    referencePrice,
    notional,
    requires,
    feeRate,
    adjustments,
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
