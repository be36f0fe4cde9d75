import { z } from 'zod'
import { errorKindSchema } from '../contract/errors'
import { decimalSchema, positiveDecimalSchema } from '../decimal/schema'
import { CLIENT_ORDER_ID_PATTERN } from './client-order-id'

/**
 * Trading domain: accounts, orders, fills, positions, balances and reconciliation events.
 *
 * Amounts are in base currency units, prices and notionals in quote currency units, times in
 * ms since the epoch (UTC). Symbols are unified `BASE/QUOTE` (ccxt's spelling).
 *
 * Every amount, price, balance, fee, cost and P&L travels as exact decimal text (`"0.00099"`,
 * `"-12.5"`; canonical: no exponent, no trailing zeros; src/shared/decimal/decimal.ts), never
 * as a JSON number, which would be a double. What a client sends is checked by
 * `positiveDecimalSchema`, which names the field of text that is not a decimal.
 */

export { decimalSchema, positiveDecimalSchema }

export const ORDER_SIDES = ['buy', 'sell'] as const
export const orderSideSchema = z.enum(ORDER_SIDES)
export type OrderSide = z.infer<typeof orderSideSchema>

/**
 * Order types. Every trigger watches the LAST traded price (Binance's rule for spot stops):
 *
 * - `market`: fills at once at the best prices.
 * - `limit`: rests at `price` (or fills at once, never beyond it, when marketable). With
 *   `postOnly` it is refused instead of taking (Binance LIMIT_MAKER).
 * - `stop` (stop-market, Binance STOP_LOSS): waits until the last price reaches `stopPrice`
 *   (a buy at or above it, a sell at or below it), then fills as a market order.
 * - `stop_limit` (STOP_LOSS_LIMIT): the same trigger, then rests as a limit order at `price`.
 * - `take_profit` (TAKE_PROFIT): the opposite trigger (a sell at or above `stopPrice`, a buy at or
 *   below it), then a market order.
 * - `take_profit_limit` (TAKE_PROFIT_LIMIT): that trigger, then a limit order at `price`.
 * - `trailing_stop`: a stop that follows the price. From its activation (at once, or when the last
 *   price reaches `activationPrice`: a sell at or above it, a buy at or below it) it keeps the
 *   best last price seen (`waterMark`: the highest for a sell, the lowest for a buy) and its stop
 *   sits `trailingPercent` % or `trailingAmount` (quote units) behind it; it fires as a market
 *   order when the last price reaches that stop. The water mark is stored, so a restart re-arms
 *   it exactly where it was.
 *
 * Each trigger must be on the right side of the market when placed (a buy stop above the last
 * price, a sell stop below it, take-profits the other way); validation refuses the wrong side
 * naming the field and the market price.
 */
export const ORDER_TYPES = [
  'market',
  'limit',
  'stop',
  'stop_limit',
  'take_profit',
  'take_profit_limit',
  'trailing_stop',
] as const
export const orderTypeSchema = z.enum(ORDER_TYPES)
export type OrderType = z.infer<typeof orderTypeSchema>

/**
 * An order's life: `pending` (intent written, not yet handed to the network) -> `sent` (request
 * on its way) -> `open` / `partially_filled` / `filled` / `canceled` / `rejected`; or `unknown`
 * (timeout or network error after sending: it may or may not be on the exchange, and it is never
 * sent again; the reconciler looks it up by its client order id) -> any of the above, or
 * `not_placed` (provably never reached the order book).
 *
 * `waiting`: a bracket's stop-loss or take-profit leg, stored with its entry and waiting for it
 * to fill; it is on no book. When the entry is done its legs are placed for the amount it filled
 * (-> `pending` -> ...); an entry that ends unfilled cancels them.
 *
 * An emulated order (`emulated: true`) is `open` while the engine holds it (no exchange id yet);
 * when it fires, the engine sends it under its own client order id (-> `sent` -> ...).
 */
export const ORDER_STATUSES = [
  'waiting',
  'pending',
  'sent',
  'open',
  'partially_filled',
  'filled',
  'canceled',
  'rejected',
  'unknown',
  'not_placed',
] as const
export const orderStatusSchema = z.enum(ORDER_STATUSES)
export type OrderStatus = z.infer<typeof orderStatusSchema>

/** States after which an order never changes again (except a `not_placed` the exchange later shows). */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['filled', 'canceled', 'rejected', 'not_placed']
/** States in which the order may still trade on the exchange. */
export const LIVE_STATUSES: readonly OrderStatus[] = ['open', 'partially_filled']
/** States whose outcome Candlework does not know yet. */
export const UNRESOLVED_STATUSES: readonly OrderStatus[] = ['pending', 'sent', 'unknown']

/**
 * What an account is: `paper` (simulated fills on the demo market or an exchange's public
 * prices), `live` (real money on an exchange) or `imported` (fills imported from a file; it
 * places no orders).
 */
export const ACCOUNT_MODES = ['paper', 'live', 'imported'] as const
export const accountModeSchema = z.enum(ACCOUNT_MODES)
export type AccountMode = z.infer<typeof accountModeSchema>

export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  mode: accountModeSchema,
  /**
   * ccxt exchange id for live accounts (`binance`). Paper accounts: `paper` for the demo market,
   * or the ccxt exchange id whose public prices and markets they trade on. Imported accounts: the
   * exchange their fills were made on (`paper` when none is named).
   */
  exchangeId: z.string(),
  /** Base URL replacing the exchange's own (a testnet, the simulator); null for the default. */
  apiUrl: z.string().nullable(),
  /** Live orders are refused unless this is on and the order carries `confirm: true`. */
  liveEnabled: z.boolean(),
  /** Whether API keys are stored for this account (in the secret store, never here). */
  hasKeys: z.boolean(),
  /** The API key masked for display (`AbCd…WxYz`), never the secret. */
  keyHint: z.string().nullable(),
  createdAt: z.number(),
})
export type Account = z.infer<typeof accountSchema>

export const feeSchema = z.object({ cost: decimalSchema, currency: z.string() })
export type Fee = z.infer<typeof feeSchema>

/**
 * What an order carries beyond side, amount and prices: the trailing distance, the flags, and
 * how it is linked to other orders. Shared by `Order` (and so the blotter) and stored per order.
 */
function orderOptionsShape() {
  return {
    /** trailing_stop: the stop's distance behind the water mark in percent (1 = 1%), or null. */
    trailingPercent: decimalSchema.nullable(),
    /** trailing_stop: the stop's distance behind the water mark in quote units, or null. */
    trailingAmount: decimalSchema.nullable(),
    /** trailing_stop: the last price at which tracking starts; null: tracking from placement. */
    activationPrice: decimalSchema.nullable(),
    /**
     * trailing_stop: the best last price seen since activation (the highest for a sell, the
     * lowest for a buy), stored as it moves; null until activated.
     */
    waterMark: decimalSchema.nullable(),
    /** Limit orders that must not take: refused if marketable when placed (Binance LIMIT_MAKER). */
    postOnly: z.boolean(),
    /** Only to reduce the position: refused if it would grow it or reverse it. */
    reduceOnly: z.boolean(),
    /**
     * The exchange cannot hold this order type, so Candlework does: it is stored, watched on the
     * last price (re-armed after a restart) and sent as a market or limit order when it fires.
     * It fires only while Candlework runs.
     */
    emulated: z.boolean(),
    /** Legs of one OCO share this id: when one fills or triggers, the others are canceled. */
    ocoGroup: z.string().nullable(),
    /** A bracket leg: the client order id of its entry. */
    parentClientOrderId: z.string().nullable(),
  }
}

export const orderSchema = z.object({
  accountId: z.string(),
  /** Ours, written before the order is sent; unique per account. */
  clientOrderId: z.string(),
  /** The exchange's id, once known. */
  exchangeOrderId: z.string().nullable(),
  symbol: z.string(),
  side: orderSideSchema,
  type: orderTypeSchema,
  /** Base amount, after rounding to the market's step. */
  amount: decimalSchema,
  /** Limit price (limit, stop_limit, take_profit_limit), after rounding to the tick. */
  price: decimalSchema.nullable(),
  /**
   * Trigger price of stop, stop_limit, take_profit and take_profit_limit orders. For a
   * trailing_stop, its current stop (from `waterMark`), null until it tracks.
   */
  stopPrice: decimalSchema.nullable(),
  ...orderOptionsShape(),
  status: orderStatusSchema,
  filled: decimalSchema,
  /**
   * Average fill price, when anything filled: the exchange's, or the fills' total cost / amount
   * rounded half-to-even to the tick's places + 4 (src/main/trading/decimal.ts).
   */
  average: decimalSchema.nullable(),
  /** Fees of the recorded fills, summed per currency. */
  fees: z.array(feeSchema),
  /** `external`: found on the exchange by reconciliation, not placed through Candlework. */
  origin: z.enum(['local', 'external']),
  error: z.object({ kind: errorKindSchema, message: z.string() }).nullable(),
  createdAt: z.number(),
  sentAt: z.number().nullable(),
  updatedAt: z.number(),
})
export type Order = z.infer<typeof orderSchema>

export const fillSchema = z.object({
  accountId: z.string(),
  /** The exchange's trade id; fills are deduplicated by (account, symbol, tradeId). */
  tradeId: z.string(),
  exchangeOrderId: z.string(),
  clientOrderId: z.string().nullable(),
  symbol: z.string(),
  side: orderSideSchema,
  amount: decimalSchema,
  price: decimalSchema,
  /** amount * price, in quote. */
  cost: decimalSchema,
  fee: feeSchema.nullable(),
  takerOrMaker: z.enum(['taker', 'maker']).nullable(),
  time: z.number(),
  /**
   * Set on a fill that is not a trade on the exchange's book: `dust_conversion`, a balance below
   * the lot step converted into another asset (`trading.convertDust`), recorded as a sell of
   * that dust so the position goes flat (an exit, for P&L and the journal). Absent for trades.
   */
  reason: z.literal('dust_conversion').optional(),
})
export type Fill = z.infer<typeof fillSchema>

export const lotSchema = z.object({
  /** Signed: positive for long lots, negative for short lots. */
  amount: decimalSchema,
  price: decimalSchema,
  time: z.number(),
})
export type Lot = z.infer<typeof lotSchema>

/**
 * `long` / `short`: an open position of at least one lot step. `dust`: what is left is smaller
 * than the market's lot step (a buy's fee taken in base leaves 0.000009 BTC when 0.00099 is
 * sold): no order can trade it, so it is no open position and is shown apart, as dust.
 * `flat`: nothing left.
 */
export const POSITION_SIDES = ['long', 'short', 'dust', 'flat'] as const
export type PositionSide = (typeof POSITION_SIDES)[number]

/**
 * A position derived from fills, FIFO. Conventions (see src/main/trading/positions.ts):
 * fees are realized when paid; a fee in quote is subtracted from realized P&L as is; a fee in
 * base changes the position by that amount (a buy receives less, a sell delivers more) and is
 * valued at the fill price; a fee in any other currency is listed in `otherFees` and not in P&L.
 */
export const positionSchema = z.object({
  accountId: z.string(),
  symbol: z.string(),
  base: z.string(),
  quote: z.string(),
  side: z.enum(POSITION_SIDES),
  /** Signed base amount: positive long, negative short (dust keeps its sign). */
  amount: decimalSchema,
  /**
   * The market's lot step (amount increment) when the account's market lists the symbol, else
   * null: an order can close `amount` rounded down to it; a smaller remainder is dust.
   */
  amountStep: decimalSchema.nullable(),
  /**
   * Amount-weighted entry price of the open lots, fees excluded, rounded half-to-even to the
   * tick's places + 4; null when flat.
   */
  averageEntry: decimalSchema.nullable(),
  /** Closed P&L net of every fee paid in base or quote, in quote. */
  realizedPnl: decimalSchema,
  /** Fees included in realizedPnl, in quote. */
  feesPaid: decimalSchema,
  otherFees: z.array(feeSchema),
  mark: decimalSchema.nullable(),
  /** (mark - entry) * amount summed over the open lots, exactly; null without a mark. */
  unrealizedPnl: decimalSchema.nullable(),
  lots: z.array(lotSchema),
  fills: z.number().int(),
})
export type Position = z.infer<typeof positionSchema>

export const balanceSchema = z.object({
  asset: z.string(),
  free: decimalSchema,
  used: decimalSchema,
  total: decimalSchema,
  /**
   * Decimal places the asset is shown with, from the account's markets (src/main/trading/
   * asset-decimals.ts): its lot step where it is traded as a base (BTC 5 at a 0.00001 step),
   * else the price tick of the markets quoted in it (USDT 2); null when no market names it.
   */
  decimals: z.number().int().min(0).nullable(),
})
export type Balance = z.infer<typeof balanceSchema>

export const RECONCILIATION_KINDS = [
  /** The exchange has an order we had no record of; it is now recorded with origin `external`. */
  'unknown_order',
  /** A fill the exchange reports that we had not recorded. */
  'missed_fill',
  /** Our state for an order differed from the exchange's; the exchange's was adopted. */
  'state_mismatch',
  /** An order whose outcome was unknown was found on the exchange and adopted. */
  'intent_resolved',
  /** An order whose outcome was unknown is provably not on the exchange. */
  'intent_not_placed',
] as const
export const reconciliationKindSchema = z.enum(RECONCILIATION_KINDS)
export type ReconciliationKind = z.infer<typeof reconciliationKindSchema>

export const reconciliationEventSchema = z.object({
  id: z.number().int(),
  accountId: z.string(),
  time: z.number(),
  kind: reconciliationKindSchema,
  symbol: z.string().nullable(),
  clientOrderId: z.string().nullable(),
  exchangeOrderId: z.string().nullable(),
  /** One sentence for the UI: what differed and what Candlework did about it. */
  detail: z.string(),
})
export type ReconciliationEvent = z.infer<typeof reconciliationEventSchema>

const positiveFinite = positiveDecimalSchema

/**
 * A bracket's or an OCO's take-profit leg: a post-only limit order at `price` (Binance's OCO
 * "above" leg for a sell, LIMIT_MAKER), on the profitable side of the entry.
 */
export const takeProfitLegSchema = z.object({ price: positiveFinite }).strict()
/**
 * A bracket's or an OCO's stop-loss leg: a stop at `stopPrice`, then a market order, or a limit
 * order at `price` when given (STOP_LOSS / STOP_LOSS_LIMIT), on the losing side of the entry.
 */
export const stopLossLegSchema = z
  .object({ stopPrice: positiveFinite, price: positiveFinite.optional() })
  .strict()

/**
 * What the order ticket sends. Exactly one of `amount` (base) or `notional` (quote).
 *
 * A bracket is an order with `takeProfit` and/or `stopLoss`: the entry is placed as usual and
 * its legs are stored with it as `waiting` orders of the opposite side. When the entry is done
 * (filled, or canceled after filling part) the legs are placed as one OCO for the amount it
 * filled, net of a fee taken in the base asset; until then their amount follows the entry's
 * fills. An entry that ends unfilled cancels them.
 */
export const orderRequestSchema = z
  .object({
    accountId: z.string().min(1).max(64),
    symbol: z.string().min(1).max(64),
    side: orderSideSchema,
    type: orderTypeSchema,
    amount: positiveFinite.optional(),
    notional: positiveFinite.optional(),
    price: positiveFinite.optional(),
    stopPrice: positiveFinite.optional(),
    /** trailing_stop: distance in percent (0.1 to 20, Binance's trailingDelta range), or... */
    trailingPercent: positiveFinite.optional(),
    /** ...distance in quote units (exactly one of the two). */
    trailingAmount: positiveFinite.optional(),
    /** trailing_stop: start tracking when the last price reaches this (a sell above, a buy below the market). */
    activationPrice: positiveFinite.optional(),
    /** Limit orders only: refuse rather than take. */
    postOnly: z.boolean().optional(),
    /** Refuse if the order would grow or reverse the position instead of reducing it. */
    reduceOnly: z.boolean().optional(),
    takeProfit: takeProfitLegSchema.optional(),
    stopLoss: stopLossLegSchema.optional(),
    /** Live orders need this to be true: the UI asks the trader first. */
    confirm: z.boolean().optional(),
    /**
     * The order's id, chosen by the caller before sending (otherwise the engine makes one).
     * Sending the same request again under the same id answers the order it made, never a
     * second one: the way to retry a submission whose answer was lost. The same id with
     * different terms is refused (`conflict`, naming the field that differs).
     */
    clientOrderId: z
      .string()
      .regex(CLIENT_ORDER_ID_PATTERN, '1 to 36 characters: letters, digits and . : / _ -')
      .optional(),
  })
  .strict()
export type OrderRequest = z.infer<typeof orderRequestSchema>

/**
 * An OCO (one-cancels-the-other) on its own: a take-profit limit and a stop-loss for the same
 * amount, on one side (a sell protects a long: take-profit above the market, stop below it; a
 * buy the reverse). When one leg fills or triggers, the other is canceled; canceling one cancels
 * both. Placed as Binance's order list where the exchange has it, else held by the engine.
 */
export const ocoRequestSchema = z
  .object({
    accountId: z.string().min(1).max(64),
    symbol: z.string().min(1).max(64),
    side: orderSideSchema,
    amount: positiveFinite,
    takeProfit: takeProfitLegSchema,
    stopLoss: stopLossLegSchema,
    confirm: z.boolean().optional(),
  })
  .strict()
export type OcoRequest = z.infer<typeof ocoRequestSchema>

/** A bracket leg or OCO leg after rounding, as it would be placed. */
export const normalizedLegSchema = z.object({
  /** `limit` (post-only) for the take-profit, `stop` or `stop_limit` for the stop-loss. */
  type: orderTypeSchema,
  side: orderSideSchema,
  price: decimalSchema.nullable(),
  stopPrice: decimalSchema.nullable(),
})
export type NormalizedLeg = z.infer<typeof normalizedLegSchema>

/** An order after rounding to the market's precision, as it would be sent. */
export const normalizedOrderSchema = z.object({
  symbol: z.string(),
  side: orderSideSchema,
  type: orderTypeSchema,
  amount: decimalSchema,
  price: decimalSchema.nullable(),
  stopPrice: decimalSchema.nullable(),
  trailingPercent: decimalSchema.nullable(),
  trailingAmount: decimalSchema.nullable(),
  activationPrice: decimalSchema.nullable(),
  postOnly: z.boolean(),
  reduceOnly: z.boolean(),
  /** Bracket legs (of the opposite side), placed when the entry fills. */
  takeProfit: normalizedLegSchema.nullable(),
  stopLoss: normalizedLegSchema.nullable(),
  /** The last price the triggers were checked against, when one was known. */
  last: decimalSchema.nullable(),
  /** Whether the engine, not the exchange, would hold this order (see `Order.emulated`). */
  emulated: z.boolean(),
  /** Price used for the notional and balance checks (limit price, stop price, or best bid/ask; a trailing stop's activation or its stop from the last price). */
  referencePrice: decimalSchema,
  /** amount * referencePrice, in quote. */
  notional: decimalSchema,
  /** What the order needs free: quote for buys, base for sells. */
  requires: z.object({ asset: z.string(), amount: decimalSchema }),
  /** Fee rate the order is expected to pay (taker for market/stop, maker for resting limit), as a fraction. */
  feeRate: decimalSchema,
  /** Changes made by rounding, for the ticket to show (`amount rounded down from 0.123456 to 0.12345`). */
  adjustments: z.array(z.string()),
})
export type NormalizedOrder = z.infer<typeof normalizedOrderSchema>

export const orderValidationSchema = z.object({
  valid: z.boolean(),
  order: normalizedOrderSchema.nullable(),
  error: z.object({ kind: errorKindSchema, message: z.string(), path: z.string().optional() }).nullable(),
})
export type OrderValidation = z.infer<typeof orderValidationSchema>

export const tradingUpdateSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('order'), accountId: z.string(), order: orderSchema }),
  z.object({ type: z.literal('fill'), accountId: z.string(), fill: fillSchema }),
  /** The positions of the symbols whose fills changed (flat ones included), computed once per change. */
  z.object({ type: z.literal('positions'), accountId: z.string(), positions: z.array(positionSchema) }),
  /** The account's balances now, as `trading.balances` answers them. */
  z.object({
    type: z.literal('balance'),
    accountId: z.string(),
    asOf: z.number(),
    stale: z.boolean(),
    balances: z.array(balanceSchema),
  }),
  z.object({ type: z.literal('reconciliation'), accountId: z.string(), event: reconciliationEventSchema }),
  /** The account was deleted (trading.deleteAccount): it has no orders, fills or balances any more. */
  z.object({ type: z.literal('accountRemoved'), accountId: z.string() }),
])
export type TradingUpdate = z.infer<typeof tradingUpdateSchema>
