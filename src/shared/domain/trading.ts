import { z } from 'zod'
import { errorKindSchema } from '../contract/errors'
import { CLIENT_ORDER_ID_PATTERN } from './client-order-id'

/**
 * Trading domain: accounts, orders, fills, positions, balances and reconciliation events.
 *
 * Amounts are in base currency units, prices and notionals in quote currency units, times in
 * ms since the epoch (UTC). Symbols are unified `BASE/QUOTE` (ccxt's spelling).
 */

export const ORDER_SIDES = ['buy', 'sell'] as const
export const orderSideSchema = z.enum(ORDER_SIDES)
export type OrderSide = z.infer<typeof orderSideSchema>

/** `stop` is a stop-market order: it triggers on the last price and then fills as a market order. */
export const ORDER_TYPES = ['market', 'limit', 'stop'] as const
export const orderTypeSchema = z.enum(ORDER_TYPES)
export type OrderType = z.infer<typeof orderTypeSchema>

/**
 * An order's life: `pending` (intent written, not yet handed to the network) -> `sent` (request
 * on its way) -> `open` / `partially_filled` / `filled` / `canceled` / `rejected`; or `unknown`
 * (timeout or network error after sending: it may or may not be on the exchange, and it is never
 * sent again; the reconciler looks it up by its client order id) -> any of the above, or
 * `not_placed` (provably never reached the order book).
 */
export const ORDER_STATUSES = [
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

export const VENUE_KINDS = ['paper', 'live'] as const
export const venueKindSchema = z.enum(VENUE_KINDS)
export type VenueKind = z.infer<typeof venueKindSchema>

export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  venue: venueKindSchema,
  /**
   * ccxt exchange id for live accounts (`binance`). Paper accounts: `paper` for the demo market,
   * or the ccxt exchange id whose public prices and markets they trade on.
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

export const feeSchema = z.object({ cost: z.number(), currency: z.string() })
export type Fee = z.infer<typeof feeSchema>

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
  amount: z.number(),
  /** Limit price (limit orders), after rounding to the tick. */
  price: z.number().nullable(),
  stopPrice: z.number().nullable(),
  status: orderStatusSchema,
  filled: z.number(),
  /** Average fill price, when anything filled. */
  average: z.number().nullable(),
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
  amount: z.number(),
  price: z.number(),
  /** amount * price, in quote. */
  cost: z.number(),
  fee: feeSchema.nullable(),
  takerOrMaker: z.enum(['taker', 'maker']).nullable(),
  time: z.number(),
})
export type Fill = z.infer<typeof fillSchema>

export const lotSchema = z.object({
  /** Signed: positive for long lots, negative for short lots. */
  amount: z.number(),
  price: z.number(),
  time: z.number(),
})
export type Lot = z.infer<typeof lotSchema>

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
  side: z.enum(['long', 'short', 'flat']),
  /** Signed base amount: positive long, negative short. */
  amount: z.number(),
  /** Amount-weighted entry price of the open lots, fees excluded; null when flat. */
  averageEntry: z.number().nullable(),
  /** Closed P&L net of every fee paid in base or quote, in quote. */
  realizedPnl: z.number(),
  /** Fees included in realizedPnl, in quote. */
  feesPaid: z.number(),
  otherFees: z.array(feeSchema),
  mark: z.number().nullable(),
  /** (mark - entry) * amount over the open lots; null without a mark. */
  unrealizedPnl: z.number().nullable(),
  lots: z.array(lotSchema),
  fills: z.number().int(),
})
export type Position = z.infer<typeof positionSchema>

export const balanceSchema = z.object({
  asset: z.string(),
  free: z.number(),
  used: z.number(),
  total: z.number(),
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

const positiveFinite = z.number().positive()

/** What the order ticket sends. Exactly one of `amount` (base) or `notional` (quote). */
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

/** An order after rounding to the market's precision, as it would be sent. */
export const normalizedOrderSchema = z.object({
  symbol: z.string(),
  side: orderSideSchema,
  type: orderTypeSchema,
  amount: z.number(),
  price: z.number().nullable(),
  stopPrice: z.number().nullable(),
  /** Price used for the notional and balance checks (limit price, stop price, or best bid/ask). */
  referencePrice: z.number(),
  /** amount * referencePrice, in quote. */
  notional: z.number(),
  /** What the order needs free: quote for buys, base for sells. */
  requires: z.object({ asset: z.string(), amount: z.number() }),
  /** Fee rate the order is expected to pay (taker for market/stop, maker for resting limit). */
  feeRate: z.number(),
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
  z.object({ type: z.literal('position'), accountId: z.string(), position: positionSchema }),
  z.object({ type: z.literal('balance'), accountId: z.string(), balances: z.array(balanceSchema) }),
  z.object({ type: z.literal('reconciliation'), accountId: z.string(), event: reconciliationEventSchema }),
  /** The account was deleted (trading.deleteAccount): it has no orders, fills or balances any more. */
  z.object({ type: z.literal('accountRemoved'), accountId: z.string() }),
])
export type TradingUpdate = z.infer<typeof tradingUpdateSchema>
