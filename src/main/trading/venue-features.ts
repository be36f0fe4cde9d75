import type { OrderType } from '../../shared/domain/trading'

/**
 * What a venue can hold on its own book besides market and limit orders. An order needing a
 * feature its venue lacks is held by the engine (emulated: stored, watched on the last price,
 * sent as a market or limit order when it fires); post-only cannot be emulated (a check before
 * sending could still take) and is refused instead.
 */
export type VenueFeature =
  | 'stop'
  | 'stop_limit'
  | 'take_profit'
  | 'take_profit_limit'
  | 'trailing_percent'
  | 'trailing_amount'
  | 'post_only'
  /** One-cancels-the-other lists (Binance's order list); without it the engine cancels the other leg. */
  | 'oco'
  /**
   * Converting balances below the lot step into another asset (Binance's small-balance
   * conversion to BNB, the paper venue's into the quote asset): dust no order can trade.
   * Not an order type: nothing is emulated without it; the engine refuses the conversion.
   */
  | 'dust_conversion'

export type VenueFeatures = ReadonlySet<VenueFeature>

/** What a venue was assumed to hold before features were declared: stop-market orders. */
export const BASIC_FEATURES: VenueFeatures = new Set<VenueFeature>(['stop'])

/** Every feature: the paper venue holds them all itself. */
export const ALL_FEATURES: VenueFeatures = new Set<VenueFeature>([
  'stop',
  'stop_limit',
  'take_profit',
  'take_profit_limit',
  'trailing_percent',
  'trailing_amount',
  'post_only',
  'oco',
  'dust_conversion',
])

/**
 * Binance spot: STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT, TAKE_PROFIT_LIMIT, trailingDelta (a
 * percentage in basis points: a distance in price units is emulated), LIMIT_MAKER, OCO lists and
 * the small-balance conversion to BNB (POST /sapi/v1/asset/dust).
 */
export const BINANCE_FEATURES: VenueFeatures = new Set<VenueFeature>([
  'stop',
  'stop_limit',
  'take_profit',
  'take_profit_limit',
  'trailing_percent',
  'post_only',
  'oco',
  'dust_conversion',
])

/** Whether the engine must hold an order of this type and trailing kind on this venue. */
export function mustEmulate(
  o: { type: OrderType; trailingAmount: unknown },
  features: VenueFeatures,
): boolean {
  switch (o.type) {
    case 'market':
    case 'limit':
      return false
    case 'trailing_stop':
      return !features.has(o.trailingAmount !== null ? 'trailing_amount' : 'trailing_percent')
    default:
      return !features.has(o.type)
  }
}
