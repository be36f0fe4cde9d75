import { z } from 'zod'
import { accountMarketSchema, accountQuoteSchema } from '../domain/account-market'
import {
  accountSchema,
  balanceSchema,
  decimalSchema,
  fillSchema,
  ocoRequestSchema,
  orderRequestSchema,
  orderSchema,
  orderSideSchema,
  orderValidationSchema,
  positionSchema,
  positiveDecimalSchema,
  reconciliationEventSchema,
  tradingUpdateSchema,
  accountModeSchema,
} from '../domain/trading'
import { credentialParams } from '../domain/credentials'
import {
  decimalAmountSchema,
  startingBalanceSchema,
  startingBalancesSchema,
} from '../domain/starting-balances'
import { Decimal } from '../decimal/decimal'
import { apiUrlSchema } from './api-url'
import { errorKindSchema } from './errors'
import { command, stream } from './define'
import { keysRemovedSchema } from './exchange'

const accountRef = { accountId: z.string().min(1).max(64) }
const symbolFilter = { symbol: z.string().min(1).max(64).optional() }

export const reconcileSummarySchema = z.object({
  accountId: z.string(),
  /** Orders whose outcome was unknown and is now resolved (found or provably not placed). */
  resolved: z.number().int(),
  /** Orders still unknown; the reconciler retries them with backoff. */
  stillUnknown: z.number().int(),
  /** Differences recorded by this run. */
  events: z.array(reconciliationEventSchema),
})
export type ReconcileSummary = z.infer<typeof reconcileSummarySchema>

export const positionCloseSchema = z.object({
  accountId: z.string(),
  symbol: z.string(),
  /** The close: a market order of the position's whole size on the opposite side. */
  side: orderSideSchema,
  /**
   * The close's amount (decimal text): the position's size exactly, rounded down to the market's
   * lot step; never below one step.
   */
  amount: decimalSchema,
  /** What stays below the lot step after the close (decimal text, `0` for none): dust. */
  dust: decimalSchema,
  /**
   * Resting orders of this symbol on the closing side (a protective stop, a take-profit limit):
   * they hold the coins (or the quote) the close needs, and would be left to trade against a
   * position that is gone.
   */
  resting: z.array(orderSchema),
  /** Dry run: the close cannot be sent while they rest (too little is free without them). False once closed. */
  needsCancel: z.boolean(),
  /** Dry run: why the close could not be sent now for another reason, else null. */
  problem: z.object({ kind: errorKindSchema, message: z.string() }).nullable(),
  /** The resting orders canceled before the close (empty for a dry run or without `cancelResting`). */
  canceled: z.array(orderSchema),
  /** The close order as placed; null for a dry run. */
  order: orderSchema.nullable(),
})
export type PositionClose = z.infer<typeof positionCloseSchema>

export const dustConversionSchema = z.object({
  /** The asset converted, and how much of it was taken (decimal text). */
  asset: z.string(),
  amount: decimalSchema,
  /** What it became (BNB on Binance, the quote asset on paper), how much was credited, and the fee taken, in it. */
  target: z.string(),
  received: decimalSchema,
  fee: decimalSchema,
  /** The exchange's id of the conversion; the fills recording it are `dust:<transferId>`. */
  transferId: z.string(),
  /** The position it closed, or null where the account has no dust position in this asset. */
  symbol: z.string().nullable(),
  /**
   * What the conversion was worth in the position's quote (decimal text): the target received
   * valued at the target's bid in that quote (itself where the target is the quote). Null where
   * that price was not known: the fill is then at the position's entry prices and adds no P&L.
   */
  value: decimalSchema.nullable(),
})
export type DustConversionResult = z.infer<typeof dustConversionSchema>

export const dustConversionsSchema = z.object({
  accountId: z.string(),
  /** One per asset converted; empty when there was nothing to convert. */
  converted: z.array(dustConversionSchema),
  /** The fills that record the conversions (`reason: 'dust_conversion'`), exits of their positions. */
  fills: z.array(fillSchema),
  /** What the trader should know in words: nothing to convert, a value left out of P&L; else null. */
  note: z.string().nullable(),
})
export type DustConversions = z.infer<typeof dustConversionsSchema>

export const accountDeletionSchema = z.object({
  accountId: z.string(),
  name: z.string(),
  mode: accountModeSchema,
  /** False for a dry run. */
  deleted: z.boolean(),
  /** What was (or, for a dry run, would be) deleted with the account. */
  orders: z.number().int(),
  fills: z.number().int(),
  reconciliationEvents: z.number().int(),
})
export type AccountDeletion = z.infer<typeof accountDeletionSchema>

const positive = positiveDecimalSchema

export const modifyOrderParamsSchema = z
  .object({
    ...accountRef,
    clientOrderId: z.string().min(1).max(64),
    /** The new limit price (orders with one). */
    price: positive.optional(),
    /** The new stop (trigger) price (orders with one). */
    stopPrice: positive.optional(),
    /** The order's new total amount in base, fills included (as the order shows it). */
    amount: positive.optional(),
    /** Live orders need this to be true: the UI asks the trader first. */
    confirm: z.boolean().optional(),
  })
  .strict()
export type ModifyOrderParams = z.infer<typeof modifyOrderParamsSchema>

export const MODIFY_METHODS = ['amended', 'edited', 'replaced'] as const
export const orderModificationSchema = z.object({
  /** The order as it now stands: the same order amended, or the order that replaced it. */
  order: orderSchema,
  /** The order it replaced (now canceled), when a new order took its place; else null. */
  previous: orderSchema.nullable(),
  /**
   * `amended`: changed in place (paper). `edited`: the exchange replaced it in one request
   * (ccxt editOrder; Binance's cancel-replace). `replaced`: canceled, then placed anew.
   */
  method: z.enum(MODIFY_METHODS),
})
export type OrderModification = z.infer<typeof orderModificationSchema>

export const tradingContract = {
  'trading.accounts': command({
    description:
      'Trading accounts, each with its `mode`: paper (the default, simulated fills), live (real money on an exchange) or imported (fills imported from a file; it places no orders). A "Demo paper" account always exists.',
    params: z.object({}).strict(),
    result: z.array(accountSchema),
  }),
  'trading.saveAccount': command({
    description:
      "Creates or updates an account. Keys go to the secret store; only a masked hint is kept. New keys need `checkKeys`: true checks them first (nothing is saved if the exchange refuses them or cannot be reached), false stores them unchecked. Live trading stays off until `liveEnabled` is set, and is switched on only with keys that check: the engine sends one signed request (the balance) first, and refuses with the reason if it fails (new keys given unchecked cannot switch it on). Changing a live account's exchange id or its connection's API URL removes the stored keys in the same step (they are never sent to the new address); `keysRemoved` says which and why, and they must be entered again. A paper account naming an exchange (`exchangeId` other than `paper`) trades on the public prices and markets of that exchange; its orders are refused as `unavailable` while those prices are stale. An imported account (`mode: imported`) takes a name and optionally the exchange its fills were made on, nothing else; its orders are refused. An account's mode cannot change to or from imported.",
    params: z
      .object({
        id: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and dashes')
          .optional(),
        name: z.string().min(1).max(80),
        mode: accountModeSchema,
        /**
         * Live: the exchange connection it trades through (`binance` when not given). Paper: the
         * prices it trades on: `paper` for the demo market (a new account's default), or an
         * exchange id for that exchange's public prices and markets ("Binance paper on live
         * prices"; no keys, no order is ever sent). Not given on an update: unchanged.
         */
        exchangeId: z.string().min(1).max(40).optional(),
        /** The connection's API URL: https, or http to this computer only (see `exchange.configure`). */
        apiUrl: apiUrlSchema.nullable().optional(),
        liveEnabled: z.boolean().optional(),
        /** The exchange's credentials (`exchange.list` says which it requires); stored by the connection. */
        ...credentialParams,
        /**
         * Required with new keys, the trader's choice: true checks them with one signed request
         * (the balance) at the account's address before anything is saved; false stores them unchecked.
         */
        checkKeys: z.boolean().optional(),
        /** A new paper account's starting balances (default 10,000 USDT); later ones are set on reset. */
        startingBalances: startingBalancesSchema.optional(),
      })
      .strict(),
    result: accountSchema.extend({
      /** Stored keys this save removed (empty when none). */
      keysRemoved: z.array(keysRemovedSchema),
    }),
  }),
  'trading.placeOrder': command({
    description:
      'Places an order: rounded to the market (amount down to the step, limit price to the tick, never worse than asked), validated, written as an intent with a unique client order id, then sent. An order whose outcome is unknown is returned with status `unknown` and is never sent twice. Order types the exchange cannot hold are held by the engine (`emulated`) and sent when they fire. With `takeProfit` and/or `stopLoss` it is a bracket: the legs are stored as `waiting` orders linked to the entry (`parentClientOrderId`) and placed as one OCO for the amount the entry filled. With `clientOrderId` the caller names the order: the same request sent again under that id (a retry after a lost answer) answers the order already made, and a different request under it is refused as `conflict` naming the field.',
    params: orderRequestSchema,
    result: orderSchema,
  }),
  'trading.placeOco': command({
    description:
      "Places an OCO: a take-profit limit and a stop-loss for one amount; when one fills or triggers the other is canceled, and canceling either cancels both. Sent as the exchange's order list where it has one (Binance), else held by the engine (`emulated`). Answers with both legs, take-profit first.",
    params: ocoRequestSchema,
    result: z.array(orderSchema),
  }),
  'trading.validateOco': command({
    description:
      'Checks an OCO as `trading.placeOco` would, without placing it; the take-profit leg is `order`.',
    params: ocoRequestSchema,
    result: orderValidationSchema,
  }),
  'trading.closePosition': command({
    description:
      'Closes a position: one market order of its whole size (as the recorded fills add up, rounded down to the lot step) on the opposite side. Resting orders of the symbol on that side (a protective stop, a take-profit) hold what the close needs; with `cancelResting: true` they are canceled first, in the same confirmed action: on paper in one transaction with the close (all or nothing), live one by one, and if a cancel fails no order is sent and the error names the order. Without it, a close they block is refused saying which orders hold the position. `dryRun: true` sends nothing and answers with the plan (`resting`, `needsCancel`, `problem`). Live accounts need `confirm: true`.',
    params: z
      .object({
        ...accountRef,
        symbol: z.string().min(1).max(64),
        cancelResting: z.boolean().default(false),
        /** Live accounts: the trader confirmed (as for trading.placeOrder). */
        confirm: z.boolean().optional(),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    result: positionCloseSchema,
  }),
  'trading.convertDust': command({
    description:
      "Converts dust (a position below its market's lot step, which no order can trade) where the venue can: Binance's small-balance conversion into BNB (less its 2% fee), paper into the quote asset at the bid less 2%. `assets` defaults to every asset of the account's dust positions; an asset that is not dust is refused. Each conversion is recorded as a sell fill of its position marked `reason: 'dust_conversion'`, so the position goes flat and realized P&L includes it (Binance: the BNB received valued at BNB's bid in the position's quote; where that price is unknown, at the position's entry prices, with a note). Nothing to convert answers with an empty `converted` and a note. A venue that cannot convert is refused. Live accounts need `confirm: true` and the account's live switch on.",
    params: z
      .object({
        ...accountRef,
        assets: z.array(z.string().min(1).max(20)).min(1).max(50).optional(),
        /** Live accounts: the trader confirmed (as for trading.placeOrder). */
        confirm: z.boolean().optional(),
      })
      .strict(),
    result: dustConversionsSchema,
  }),
  'trading.validateOrder': command({
    description:
      'Checks an order as `trading.placeOrder` would, without placing it, and says which limit it breaks and by how much.',
    params: orderRequestSchema,
    result: orderValidationSchema,
  }),
  'trading.cancelOrder': command({
    description:
      'Cancels an open order by its client order id. Canceling an OCO leg cancels the whole OCO (as Binance does); canceling a bracket entry cancels its waiting legs; an emulated order held by the engine is canceled at once, nothing being on the exchange.',
    params: z.object({ ...accountRef, clientOrderId: z.string().min(1).max(64) }).strict(),
    result: orderSchema,
  }),
  'trading.modifyOrder': command({
    description:
      "Changes an open order's price, stop price or amount, checked as a new order would be (rounded to the market, a stop on the wrong side of the last price refused, funds counted with what the order already holds). Paper orders are amended in place; a new price (or a larger amount) puts the order behind the others, as on an exchange. A live order is edited by the exchange in one request where ccxt can (`editOrder`), otherwise canceled and then placed anew, never both live: if the cancel's outcome is unknown nothing is placed. A replacement gets a new client order id, the old one with `-r<n>` appended (a fresh id when that would be too long), and the old order ends `canceled`. Live orders need `confirm: true`.",
    params: modifyOrderParamsSchema,
    result: orderModificationSchema,
  }),
  'trading.orders': command({
    description:
      'Open and unresolved orders first, then the most recent others, newest first. With `clientOrderId`, only that order (none if there is no such order: a lost submission that never arrived).',
    params: z
      .object({
        ...accountRef,
        ...symbolFilter,
        clientOrderId: z.string().min(1).max(64).optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    result: z.array(orderSchema),
  }),
  'trading.fills': command({
    description: 'Recorded fills, newest first.',
    params: z
      .object({
        ...accountRef,
        ...symbolFilter,
        since: z.number().int().optional(),
        limit: z.number().int().min(1).max(10_000).default(500),
      })
      .strict(),
    result: z.array(fillSchema),
  }),
  'trading.positions': command({
    description:
      'Positions derived from the recorded fills (FIFO), with realized P&L net of fees and unrealized P&L at the current mark.',
    params: z.object({ ...accountRef, includeFlat: z.boolean().default(false) }).strict(),
    result: z.array(positionSchema),
  }),
  'trading.balances': command({
    description:
      'Balances per asset (free, in open orders, total). Live accounts: the last snapshot from the exchange.',
    params: z.object(accountRef).strict(),
    result: z.object({ asOf: z.number(), stale: z.boolean(), balances: z.array(balanceSchema) }),
  }),
  'trading.reconcile': command({
    description:
      'Compares our orders and fills with the exchange: resolves unknown outcomes, adopts orders and fills we did not have, records every difference.',
    params: z.object(accountRef).strict(),
    result: reconcileSummarySchema,
  }),
  'trading.reconciliationEvents': command({
    description: 'Differences found by reconciliation, newest first.',
    params: z
      .object({
        ...accountRef,
        afterId: z.number().int().optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    result: z.array(reconciliationEventSchema),
  }),
  'trading.resetPaper': command({
    description:
      'Resets a paper account: cancels and forgets its orders and fills, and sets its balances to its starting balances: `startingBalances` (one per asset, which become its starting balances from then on), or `startingBalance` of `asset` alone, or, with neither, the ones it has.',
    params: z
      .object({
        ...accountRef,
        /** Decimal text, at most 1,000,000,000,000. */
        startingBalance: decimalAmountSchema
          .refine((v) => Decimal.tryParse(v)?.isPositive() !== false, 'must be greater than zero')
          .optional(),
        asset: z.string().min(1).max(16).optional(),
        startingBalances: startingBalancesSchema.optional(),
      })
      .strict(),
    result: z.array(balanceSchema),
  }),
  'trading.startingBalances': command({
    description:
      "A paper account's starting balances, one per asset, as exact decimal strings: what it was created or last reset with, and what a reset without balances restores.",
    params: z.object(accountRef).strict(),
    result: z.array(startingBalanceSchema),
  }),
  'trading.deleteAccount': command({
    description:
      'Deletes an account and everything stored for it, in one transaction: its orders, fills, reconciliation events, balance snapshots and paper book. Nothing is sent to an exchange. Refused for the built-in "Demo paper" account (reset it instead) and for an account with open or unresolved orders (cancel them first, or wait until they are resolved). Needs `confirm: true`; `dryRun: true` checks the same rules and answers with what would be deleted, deleting nothing. A live account\'s exchange connection and API keys are kept (remove keys with `exchange.removeKeys`). Subscribers of `trading.updates` get a `balance` event with no balances for the deleted account.',
    params: z
      .object({
        ...accountRef,
        /** Must be true to delete (the app asks first); not needed with `dryRun`. */
        confirm: z.boolean().optional(),
        /** Check and count only; nothing is deleted. */
        dryRun: z.boolean().default(false),
      })
      .strict(),
    result: accountDeletionSchema,
  }),
  'trading.market': stream({
    description:
      "The market an account trades on: the demo market, or its exchange's symbols with their price ticks, amount steps and minimums, and the candle source its charts come from. Sent at once and again whenever it changes: while an exchange's markets cannot be loaded, the event says why (`reason`) and when the engine tries again (`retryAt`); until `state` is `ready` the account has no market to trade or price on.",
    params: z.object(accountRef).strict(),
    event: accountMarketSchema,
  }),
  'trading.quote': stream({
    description:
      "Bid, ask and last of one symbol on the account's own market (the demo market's, or its exchange's public prices, fresh only), sent when they change; without a current price, nulls and the reason. Never another market's price.",
    params: z.object({ ...accountRef, symbol: z.string().min(1).max(64) }).strict(),
    event: accountQuoteSchema,
  }),
  'trading.updates': stream({
    description:
      "Changes as they happen, each carrying its rows: an order's row as `trading.orders` lists it (`order`), a new fill (`fill`), a reconciliation event, `accountRemoved`; and, coalesced per account, the positions of the symbols whose fills changed (`positions`, flat ones included) and the account's balances as `trading.balances` answers them (`balance`), computed once per change for every subscriber. A client applies them to the lists it loaded; it need not fetch them again.",
    params: z.object({ accountId: z.string().optional() }).strict(),
    event: tradingUpdateSchema,
  }),
}
