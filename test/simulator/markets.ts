import { formatUnits, parseUnits, type Units } from './decimal'

/**
 * The spot markets the simulator lists, with filters copied from Binance's live exchangeInfo
 * for the same pairs (tick 0.01, BTC step 0.00001, NOTIONAL min 5 USDT, ...), so ccxt derives the
 * same precision and limits it would against the real exchange. LTC/USDT is here because most of
 * ccxt's recorded Binance requests and responses (../shared/reference/ccxt) use it.
 */
export interface MarketSpec {
  symbol: string
  base: string
  quote: string
  /** Price the synthetic path wanders around. */
  basePrice: number
  /** Typical move per minute (log-return standard deviation). */
  sigmaPerMinute: number
  tickSize: string
  stepSize: string
  minQty: string
  maxQty: string
  marketMaxQty: string
  minNotional: string
  maxNotional: string
  /** Typical quantity at one book level. */
  levelQty: number
  /** Typical traded volume per minute, in base units. */
  volumePerMinute: number
}

export const DEFAULT_MARKETS: readonly MarketSpec[] = [
  {
    symbol: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    basePrice: 64_000,
    sigmaPerMinute: 0.0007,
    tickSize: '0.01',
    stepSize: '0.00001',
    minQty: '0.00001',
    maxQty: '9000',
    marketMaxQty: '120',
    minNotional: '5',
    maxNotional: '9000000',
    levelQty: 0.6,
    volumePerMinute: 12,
  },
  {
    symbol: 'ETHUSDT',
    base: 'ETH',
    quote: 'USDT',
    basePrice: 3_200,
    sigmaPerMinute: 0.0009,
    tickSize: '0.01',
    stepSize: '0.0001',
    minQty: '0.0001',
    maxQty: '9000',
    marketMaxQty: '2500',
    minNotional: '5',
    maxNotional: '9000000',
    levelQty: 8,
    volumePerMinute: 150,
  },
  {
    symbol: 'SOLUSDT',
    base: 'SOL',
    quote: 'USDT',
    basePrice: 150,
    sigmaPerMinute: 0.0012,
    tickSize: '0.01',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '9000',
    marketMaxQty: '30000',
    minNotional: '5',
    maxNotional: '9000000',
    levelQty: 60,
    volumePerMinute: 2_000,
  },
  {
    symbol: 'LTCUSDT',
    base: 'LTC',
    quote: 'USDT',
    basePrice: 80,
    sigmaPerMinute: 0.001,
    tickSize: '0.01',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '9000',
    marketMaxQty: '15000',
    minNotional: '5',
    maxNotional: '9000000',
    levelQty: 40,
    volumePerMinute: 600,
  },
]

/**
 * BNB/USDT, listed only where a test asks for it (`markets: [...DEFAULT_MARKETS, BNB_USDT]`):
 * the small-balance conversion (POST /sapi/v1/asset/dust) pays in BNB at its price, and the
 * default list stays as the seeded tests know it.
 */
export const BNB_USDT: MarketSpec = {
  symbol: 'BNBUSDT',
  base: 'BNB',
  quote: 'USDT',
  basePrice: 600,
  sigmaPerMinute: 0.001,
  tickSize: '0.01',
  stepSize: '0.001',
  minQty: '0.001',
  maxQty: '9000',
  marketMaxQty: '9000',
  minNotional: '5',
  maxNotional: '9000000',
  levelQty: 30,
  volumePerMinute: 500,
}

/** Order types the matching engine implements; ccxt refuses others before sending. */
export const ORDER_TYPES = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
] as const
export type OrderType = (typeof ORDER_TYPES)[number]

export const STP_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'] as const

/** A market with its filters parsed to exact units. */
export interface Market {
  spec: MarketSpec
  symbol: string
  base: string
  quote: string
  tick: Units
  step: Units
  minQty: Units
  maxQty: Units
  marketMaxQty: Units
  minNotional: Units
  maxNotional: Units
  minPrice: Units
  maxPrice: Units
}

function units(text: string): Units {
  const u = parseUnits(text)
  if (typeof u !== 'bigint') throw new Error(`bad decimal in market spec: ${text}`)
  return u
}

export function toMarket(spec: MarketSpec): Market {
  return {
    spec,
    symbol: spec.symbol,
    base: spec.base,
    quote: spec.quote,
    tick: units(spec.tickSize),
    step: units(spec.stepSize),
    minQty: units(spec.minQty),
    maxQty: units(spec.maxQty),
    marketMaxQty: units(spec.marketMaxQty),
    minNotional: units(spec.minNotional),
    maxNotional: units(spec.maxNotional),
    minPrice: units(spec.tickSize),
    maxPrice: units('1000000'),
  }
}

/** Binance's per-symbol exchangeInfo entry (field set of GET /api/v3/exchangeInfo, 2025). */
export function symbolInfo(m: Market): Record<string, unknown> {
  return {
    symbol: m.symbol,
    status: 'TRADING',
    baseAsset: m.base,
    baseAssetPrecision: 8,
    quoteAsset: m.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: [...ORDER_TYPES],
    icebergAllowed: true,
    ocoAllowed: false,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: false,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: formatUnits(m.minPrice),
        maxPrice: formatUnits(m.maxPrice),
        tickSize: formatUnits(m.tick),
      },
      {
        filterType: 'LOT_SIZE',
        minQty: formatUnits(m.minQty),
        maxQty: formatUnits(m.maxQty),
        stepSize: formatUnits(m.step),
      },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      {
        filterType: 'MARKET_LOT_SIZE',
        minQty: '0.00000000',
        maxQty: formatUnits(m.marketMaxQty),
        stepSize: '0.00000000',
      },
      {
        filterType: 'TRAILING_DELTA',
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
      {
        filterType: 'NOTIONAL',
        minNotional: formatUnits(m.minNotional),
        applyMinToMarket: true,
        maxNotional: formatUnits(m.maxNotional),
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'],
  }
}

export const MAX_OPEN_ORDERS = 200
export const MAX_ALGO_ORDERS = 5
export const ICEBERG_PARTS = 10n
export const TRAILING_DELTA_RANGE = { min: 10, max: 2000 }
