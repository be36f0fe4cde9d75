import { z } from 'zod'
import { decimalSchema } from '../decimal/schema'
import { timeframeSchema } from './timeframes'

/**
 * The market an account trades on, as the engine knows it: the demo market for the built-in
 * paper account and paper accounts on it, or one exchange's markets (its symbols, price ticks,
 * amount steps and minimums) for live accounts and paper accounts on that exchange's public
 * prices. The order ticket, the symbol list and the chart follow it, so an account is never shown
 * another market's prices.
 *
 * Numbers are in the market's own units: prices and notionals in quote, amounts in base, as
 * exact decimal text (the ticket rounds and checks with them exactly, as the engine does).
 */
export const tradingMarketSchema = z.object({
  symbol: z.string(),
  base: z.string(),
  quote: z.string(),
  /** Price increment (Binance PRICE_FILTER tickSize). */
  priceTick: decimalSchema,
  /** Decimal places of the tick: prices of this market are shown with this many. */
  pricePrecision: z.number().int(),
  /** Amount increment (Binance LOT_SIZE stepSize). */
  amountStep: decimalSchema,
  minAmount: decimalSchema,
  maxAmount: decimalSchema.nullable(),
  /** Minimum amount * price, in quote. */
  minNotional: decimalSchema,
  maxNotional: decimalSchema.nullable(),
  /** False while the exchange has trading in it halted. */
  active: z.boolean(),
})
export type TradingMarket = z.infer<typeof tradingMarketSchema>

export const MARKET_STATES = ['loading', 'ready', 'unavailable'] as const
export const marketStateSchema = z.enum(MARKET_STATES)
export type MarketState = z.infer<typeof marketStateSchema>

export const accountMarketSchema = z.object({
  accountId: z.string(),
  /** `paper` for the demo market, else the ccxt exchange id whose markets these are. */
  exchangeId: z.string(),
  /** The market's name for people: `Demo (simulated)`, `Binance`. */
  label: z.string(),
  /**
   * Where the charts of this market come from (a `market.candles` source): `demo`, or the
   * exchange connection's source (`binance`, `binance:custom` for a custom API URL, ...).
   */
  source: z.string(),
  /** True for the synthetic demo market. */
  simulated: z.boolean(),
  /**
   * `ready`: the markets below are the account's; `loading`: the first load is under way;
   * `unavailable`: they could not be loaded (`reason`), and the engine tries again at `retryAt`.
   * Until `ready`, nothing can be traded on the account: the engine has no market to check an
   * order against, and the app shows no price.
   */
  state: marketStateSchema,
  /** Why the markets are not ready, in words (`Binance markets not loaded: exchange unreachable`); null when ready. */
  reason: z.string().nullable(),
  /** The exchange's own error behind `reason` (scrubbed of secrets), for a tooltip; else null. */
  detail: z.string().nullable(),
  /** When the engine tries again (its clock, ms), while it waits to; null otherwise (ready, or trying now). */
  retryAt: z.number().nullable(),
  /** The engine's clock when this was sent: `retryAt - now` is the wait, whatever the reader's clock says. */
  now: z.number(),
  /** Chart timeframes the market's history offers. */
  timeframes: z.array(timeframeSchema),
  /** Every market the account can trade, by symbol (empty until `ready`). */
  markets: z.array(tradingMarketSchema),
})
export type AccountMarket = z.infer<typeof accountMarketSchema>

/**
 * The price of one symbol on an account's market: bid, ask and last while the engine has a
 * current one (null otherwise, with `reason`). Never another market's price.
 */
export const accountQuoteSchema = z.object({
  accountId: z.string(),
  symbol: z.string(),
  bid: decimalSchema.nullable(),
  ask: decimalSchema.nullable(),
  last: decimalSchema.nullable(),
  /** The engine's clock when this was sent. */
  at: z.number(),
  /** Why there is no price (`No Binance price for BTC/USDT yet: ...`), else null. */
  reason: z.string().nullable(),
})
export type AccountQuote = z.infer<typeof accountQuoteSchema>
