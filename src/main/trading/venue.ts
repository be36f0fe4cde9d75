import type { OrderSide, OrderType } from '../../shared/domain/trading'
import type { Decimal } from './decimal'
import type { VenueFeatures } from './venue-features'

/**
 * The trading port: what the order path needs from an exchange, shaped like ccxt's unified API
 * (createOrder, fetchOrder, fetchOpenOrders, fetchMyTrades, cancelOrder, fetchBalance,
 * loadMarkets) so the ccxt adapter (ccxt-venue.ts) is thin and the paper venue
 * (paper-venue.ts) is interchangeable with it.
 *
 * "Venue" means this port and nothing else in Candlework: where an account's orders go (the
 * paper book, or an exchange through the ccxt adapter). The ccxt client underneath is the
 * exchange domain's `ExchangeConnection`; whether an account is paper, live or imported is its
 * `mode`.
 *
 * Amounts, prices, balances, fees and rates are exact `Decimal`s (decimal.ts has the
 * conventions); the ccxt adapter converts what ccxt gives once, as it arrives.
 *
 * Every method throws `AppError` with a kind from the closed set (not_found, invalid_order,
 * insufficient_funds, rate_limited, unavailable, outcome_unknown, auth_failed, validation,
 * internal). An error marked `wasNotSent` (exchange/errors.ts) was raised before any request
 * left: a createOrder failing so provably placed nothing.
 */
export interface TradingVenue {
  /** `paper` or the ccxt exchange id. */
  readonly id: string
  /**
   * How long after signing a request the exchange may still accept it (Binance: recvWindow).
   * An order not found once this has passed since the request could last have been signed is
   * provably not placed. 0 for venues that answer synchronously (paper).
   */
  readonly recvWindowMs: number
  /** Whether fetchOrder can look an order up by its client order id (Binance can). */
  readonly canFetchByClientOrderId: boolean
  /**
   * The order types and flags the venue holds itself (venue-features.ts); the engine emulates
   * the rest. Absent: stop-market orders only (BASIC_FEATURES).
   */
  readonly features?: VenueFeatures
  loadMarkets(reload?: boolean): Promise<ReadonlyMap<string, VenueMarket>>
  /** Best bid/ask and last price, for market-order checks and marks. */
  fetchQuote(symbol: string): Promise<Quote>
  createOrder(request: VenueOrderRequest): Promise<VenueOrder>
  /**
   * Places two orders as one OCO list (venues with the `oco` feature): when one fills or
   * triggers the exchange cancels the other. Answers with the legs, take-profit first.
   */
  createOco?(request: VenueOcoRequest): Promise<VenueOrder[]>
  /** By exchange id or by client order id (at least one); throws `not_found` when absent. */
  fetchOrder(ref: { symbol: string; id?: string; clientOrderId?: string }): Promise<VenueOrder>
  /** Open orders of one symbol, or of every symbol. */
  fetchOpenOrders(symbol?: string): Promise<VenueOrder[]>
  /** Our trades in one symbol since `since` (inclusive), oldest first. */
  fetchMyTrades(symbol: string, since?: number, limit?: number): Promise<VenueTrade[]>
  cancelOrder(ref: { symbol: string; id: string }): Promise<VenueOrder>
  fetchBalance(): Promise<Map<string, VenueBalance>>
  /**
   * Whether `editOrder` can replace an order in one request on this exchange (ccxt's
   * `has.editOrder`). Absent or false: an order is modified by canceling and placing anew.
   */
  canEditOrders?(): Promise<boolean>
  /**
   * Replaces an open order with `request` in one request, the exchange canceling the old one
   * first and placing the new one only if that worked (Binance: cancel-replace, STOP_ON_FAILURE).
   * Answers with the new order.
   */
  editOrder?(ref: { symbol: string; id: string }, request: VenueOrderRequest): Promise<VenueOrder>
  /**
   * Converts the whole free balance of each asset, each below what can be traded, into the
   * venue's conversion asset (venues with the `dust_conversion` feature: Binance into BNB, less
   * its fee; paper into the account's quote asset). All or nothing: an asset the venue will not
   * convert (not held, not dust) refuses the request. Answers one conversion per asset.
   */
  convertDust?(assets: readonly string[]): Promise<DustConversion[]>
}

/** One asset's balance converted (Binance's transferResult entry). */
export interface DustConversion {
  /** The asset taken (`fromAsset`). */
  asset: string
  /** How much of it was taken: its whole free balance. */
  amount: Decimal
  /** What it became (BNB on Binance). */
  target: string
  /** How much of `target` was credited, the fee already taken off (`transferedAmount`). */
  received: Decimal
  /** The conversion's fee, in `target` (`serviceChargeAmount`). */
  fee: Decimal
  /** The exchange's id of this conversion (`tranId`). */
  transferId: string
  time: number
  /**
   * Where the venue converted at a market's price (paper: `asset/target` at its bid), that
   * market and price: amount × price is what it was worth before the fee, exactly. Absent where
   * the exchange sets its own rate (Binance).
   */
  valuedAt?: { symbol: string; price: Decimal }
}

/**
 * A venue living in the same process and database (paper): its operations are synchronous,
 * so the order path runs intent, send and result in one SQLite transaction, and a crash can
 * never leave an intent half sent.
 */
export interface LocalVenue extends TradingVenue {
  readonly local: true
  createOrderSync(request: VenueOrderRequest): VenueOrder
  createOcoSync(request: VenueOcoRequest): VenueOrder[]
  cancelOrderSync(ref: { symbol: string; id: string }): VenueOrder
  /** `convertDust`, in the caller's transaction (paper-venue.ts has the paper convention). */
  convertDustSync(assets: readonly string[]): DustConversion[]
  /** Changes an open order in place (paper-venue.ts says how priority is kept or lost). */
  amendOrderSync(ref: { symbol: string; id: string }, change: OrderAmendment): VenueOrder
  fetchOrderSync(ref: { symbol: string; id?: string; clientOrderId?: string }): VenueOrder
  /** Fills resting orders the current prices reach; returns what changed. */
  tickSync(now: number, opts?: LocalBatchOptions): VenueUpdate[]
  marketsSync(): ReadonlyMap<string, VenueMarket>
  quoteSync(symbol: string): Quote
  /** The current balance of an asset (during `runBatch`, as the batch has left it so far). */
  balancesSync(): BalanceLookup
  /** Runs several operations as one unit of balance bookkeeping (inside the caller's transaction). */
  runBatch<T>(fn: () => T, opts?: LocalBatchOptions): T
  /** The symbols with open orders. */
  openOrderSymbolsSync(): string[]
  /**
   * Up to `limit` open orders of a symbol placed after the order `afterId` (`0`: from the
   * first), oldest first: a book of thousands read a page at a time.
   */
  openOrdersPageSync(symbol: string, afterId: number, limit: number): VenueOrder[]
}

export interface LocalBatchOptions {
  /**
   * The caller's transaction is the order path's, which records every trade the venue reports
   * and every order it fills the moment it is placed, so the venue does not write those itself
   * (see PaperVenue). Ignored outside a transaction.
   */
  ledgerRecordsFills?: boolean
}

export const isLocalVenue = (v: TradingVenue): v is LocalVenue => (v as Partial<LocalVenue>).local === true

export interface VenueMarket {
  symbol: string
  base: string
  quote: string
  /** Amount increment (Binance LOT_SIZE stepSize); 0 when the exchange gives none. */
  amountStep: Decimal
  /** Price increment (Binance PRICE_FILTER tickSize); 0 when the exchange gives none. */
  priceTick: Decimal
  minAmount: Decimal
  maxAmount: Decimal | null
  /** Minimum amount * price, in quote (Binance NOTIONAL / MIN_NOTIONAL). */
  minNotional: Decimal
  maxNotional: Decimal | null
  /** Fee rates as fractions (0.001 = 0.1%). */
  makerFee: Decimal
  takerFee: Decimal
  active: boolean
}

export interface Quote {
  bid: Decimal
  ask: Decimal
  last: Decimal
}

export interface VenueOrderRequest {
  symbol: string
  side: OrderSide
  type: OrderType
  amount: Decimal
  price?: Decimal
  stopPrice?: Decimal
  /** trailing_stop: percent (1 = 1%) or quote units behind the water mark, and its activation. */
  trailingPercent?: Decimal
  trailingAmount?: Decimal
  activationPrice?: Decimal
  /** Limit orders: refuse rather than take (LIMIT_MAKER). */
  postOnly?: boolean
  clientOrderId: string
}

/** What an amendment sets; what it leaves out stays as it was. */
export interface OrderAmendment {
  amount?: Decimal
  price?: Decimal
  stopPrice?: Decimal
}

/**
 * An OCO: a post-only take-profit limit and a stop (a stop-limit when `stopLimitPrice` is given)
 * for one amount and side, each with its own client order id, the list with `listClientOrderId`.
 */
export interface VenueOcoRequest {
  symbol: string
  side: OrderSide
  amount: Decimal
  takeProfitPrice: Decimal
  stopPrice: Decimal
  stopLimitPrice?: Decimal
  takeProfitClientOrderId: string
  stopClientOrderId: string
  listClientOrderId: string
}

/** ccxt's order statuses (`expired` is treated as canceled). */
export type VenueOrderStatus = 'open' | 'closed' | 'canceled' | 'expired' | 'rejected'

export interface VenueOrder {
  id: string
  clientOrderId: string | null
  symbol: string
  side: OrderSide
  type: OrderType
  status: VenueOrderStatus
  amount: Decimal
  filled: Decimal
  price: Decimal | null
  stopPrice: Decimal | null
  average: Decimal | null
  timestamp: number
  /** A trailing stop's current water mark, when the venue reports one (paper). */
  waterMark?: Decimal | null
  /** Fills reported with the order (Binance's FULL response), when any. */
  trades: VenueTrade[]
}

export interface VenueTrade {
  id: string
  orderId: string
  symbol: string
  side: OrderSide
  amount: Decimal
  price: Decimal
  cost: Decimal
  fee: { cost: Decimal; currency: string } | null
  takerOrMaker: 'taker' | 'maker' | null
  timestamp: number
}

/** What validation reads of the balances: one asset at a time. */
export type BalanceLookup = Pick<ReadonlyMap<string, VenueBalance>, 'get'>

export interface VenueBalance {
  free: Decimal
  used: Decimal
  total: Decimal
}

export interface VenueUpdate {
  order: VenueOrder
  trades: VenueTrade[]
}

/** Where paper trading and marks get prices. The demo market, or a live ticker feed. */
export interface PriceSource {
  /** A price fit to fill at now, or undefined (none yet, or too old to trade on). */
  quote(symbol: string): Quote | undefined
  /** Why `quote` has nothing for the symbol, in words for the trader (an exchange down, a stale price). */
  whyNoQuote?(symbol: string): string | undefined
}
