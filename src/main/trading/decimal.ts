import { Decimal, type DecimalString } from '../../shared/decimal/decimal'

/**
 * The trading engine's money conventions, over the one decimal type (src/shared/decimal):
 *
 * - Amounts, prices, balances, fees, costs and P&L are `Decimal`s in the engine, canonical
 *   decimal text in SQLite (TEXT columns) and on the wire. Sums, differences and products are
 *   exact; nothing is compared with a tolerance, and nothing is clamped.
 * - Rounding happens only where the market's precision says: an amount to the lot step, a
 *   price to the tick (`floorTo`, `ceilTo`, `roundTo`; a step or tick need not be a power of
 *   ten), and in the quotients below, each with its named rule.
 * - Quotients: an average price (total cost / total amount, an order's fills or a position's
 *   open lots) is rounded half-to-even at `AVERAGE_EXTRA_PLACES` places finer than the
 *   market's tick (`averagePrice`); a notional turned into an amount is rounded down to the lot
 *   step in one step (`amountForNotional`), never through a rounded quotient.
 * - Doubles from outside (ccxt's markets, tickers, orders and balances where it has no string
 *   field; the demo market's prices) become decimals once, where they enter, as the shortest
 *   decimal that reads back as that double (`Decimal.fromNumber`): 0.1 is 0.1, what the exchange
 *   wrote in its JSON.
 */

export { Decimal, dec, type DecimalString } from '../../shared/decimal/decimal'

/**
 * An average price has the places of the market's tick plus these (a 0.01 tick: 6 places),
 * rounded half-to-even: finer than any price the market can quote, so it never reads as a
 * price that was not paid, yet finite (a quotient of decimals generally is not).
 */
export const AVERAGE_EXTRA_PLACES = 4

/** Places of an average when the market's tick is unknown (no market, no tick). */
export const AVERAGE_PLACES_WITHOUT_TICK = 12

/** Decimal places an average price is kept at, for a market's tick (see AVERAGE_EXTRA_PLACES). */
export function averagePlaces(tick: Decimal | null | undefined): number {
  return tick && tick.isPositive() ? tick.decimals + AVERAGE_EXTRA_PLACES : AVERAGE_PLACES_WITHOUT_TICK
}

/**
 * Total cost / total amount, rounded half-to-even at `averagePlaces(tick)`; null for no amount.
 */
export function averagePrice(cost: Decimal, amount: Decimal, tick?: Decimal | null): Decimal | null {
  return amount.isZero() ? null : cost.div(amount, averagePlaces(tick), 'half_even')
}

/** Largest multiple of `step` not above `value`; `value` itself when the market has no step (0). */
export function floorTo(value: Decimal, step: Decimal): Decimal {
  return step.isPositive() ? value.roundToStep(step, 'floor') : value
}

/** Smallest multiple of `step` not below `value`; `value` itself when the market has no step (0). */
export function ceilTo(value: Decimal, step: Decimal): Decimal {
  return step.isPositive() ? value.roundToStep(step, 'ceil') : value
}

/** Nearest multiple of `step` (halves away from zero); `value` itself when the market has no step. */
export function roundTo(value: Decimal, step: Decimal): Decimal {
  return step.isPositive() ? value.roundToStep(step, 'half_up') : value
}

/** Whether `value` is a multiple of `step` (always, when the market has no step). */
export function isMultiple(value: Decimal, step: Decimal): boolean {
  return !step.isPositive() || value.isMultipleOf(step)
}

/**
 * The amount a notional buys at `price`, rounded down to the lot step: the largest multiple of
 * the step whose cost at `price` is not above the notional (`floor(notional / (price × step))`
 * steps, one exact rounding). Without a step, the quotient rounded down at 18 places.
 */
export function amountForNotional(notional: Decimal, price: Decimal, step: Decimal): Decimal {
  if (!step.isPositive()) return notional.div(price, 18, 'down')
  return notional.div(price.times(step), 0, 'floor').times(step)
}

/** A rate in basis points (a setting such as 7.5) as a fraction: 10 bps -> 0.001, exactly. */
export function bpsToFraction(bps: number): Decimal {
  return Decimal.fromNumber(bps).shift(-4)
}

/** A double from outside (ccxt, the demo market) as a decimal; see the header. */
export function fromNumber(value: number): Decimal {
  return Decimal.fromNumber(value)
}

/** `fromNumber`, keeping null and undefined as null. */
export function fromOptionalNumber(value: number | null | undefined): Decimal | null {
  return value === null || value === undefined ? null : Decimal.fromNumber(value)
}

/** Stored or sent decimal text as a Decimal (throws DecimalError for anything else). */
export function toDecimal(text: DecimalString): Decimal {
  return Decimal.parse(text)
}

/** Nullable stored text as a Decimal. */
export function toOptionalDecimal(text: DecimalString | null | undefined): Decimal | null {
  return text === null || text === undefined ? null : Decimal.parse(text)
}

/** Optional text (a request's field) as an optional Decimal. */
export function toMaybeDecimal(text: DecimalString | undefined): Decimal | undefined {
  return text === undefined ? undefined : Decimal.parse(text)
}

/** Nullable Decimal as text. */
export function toOptionalText(value: Decimal | null | undefined): DecimalString | null {
  return value === null || value === undefined ? null : value.toString()
}

/** A value with exactly `places` decimal places, rounded half-up, for messages ("4.20"). */
export function fixed(value: Decimal, places: number): string {
  return value.toFixed(Math.max(0, places))
}
