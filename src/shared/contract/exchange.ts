import { z } from 'zod'
import { appErrorSchema } from './errors'
import { candleSchema, gapSchema } from '../domain/candles'
import { timeframeSchema } from '../domain/timeframes'
import { credentialParams, credentialSchema } from '../domain/credentials'
import { apiUrlSchema } from './api-url'
import { command, stream } from './define'

/** A ccxt exchange id (`binance`, `kraken`, ...); checked against `ccxt.exchanges` by the handler. */
export const exchangeIdSchema = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9]+$/, 'a ccxt exchange id: lower-case letters and digits')

const exchangeRef = { exchange: exchangeIdSchema }
const symbolSchema = z.string().min(1).max(64)

export const exchangeInfoSchema = z.object({
  id: z.string(),
  /** The exchange's own name (`OKX`, `Binance US`), for the picker and for messages. */
  name: z.string(),
  /**
   * What its API keys consist of (ccxt's `requiredCredentials`): `apiKey` and `secret` for most;
   * `password` (the API passphrase) too for OKX, KuCoin, Bitget; `uid` for some; a private key
   * and a wallet address for decentralised exchanges.
   */
  credentials: z.array(credentialSchema),
  /** ccxt.pro has a websocket class for it (live data falls back to REST polling otherwise). */
  websocket: z.boolean(),
})
export type ExchangeInfo = z.infer<typeof exchangeInfoSchema>

/** How Candlework reaches one exchange. Keys are not part of it; only their masked id. */
export const connectionSchema = z.object({
  exchange: z.string(),
  /** Where its candles are stored: the exchange id, or `<id>:sandbox` / `<id>:custom` for a testnet or an overridden URL. */
  source: z.string(),
  /**
   * Replaces the scheme and host of every REST URL (a testnet, a proxy, the local simulator), and of
   * the exchange's websocket URLs (http -> ws, https -> wss; paths kept). Such an endpoint is taken
   * to serve spot markets only: no futures or margin lists.
   */
  apiUrl: z.string().nullable(),
  /** ccxt's sandbox (testnet) URLs. */
  sandbox: z.boolean(),
  /** Signed requests must reach the exchange within this many ms of their timestamp. */
  recvWindowMs: z.number().int(),
  /** Sign with the exchange's clock (measured offset applied) rather than ours. */
  adjustForTimeDifference: z.boolean(),
  /** Use ccxt.pro websockets where the exchange has them; REST polling otherwise. */
  websocket: z.boolean(),
  /** `abcd…wxyz` when API keys are stored, else null. The key itself never leaves the engine. */
  maskedKey: z.string().nullable(),
})
export type Connection = z.infer<typeof connectionSchema>

/**
 * Stored API keys a change removed: keys are only ever sent to the exchange and address they were
 * entered for, so changing where a connection (or a live account) sends its requests drops them,
 * and they must be entered again. `reason` is the sentence the app shows.
 */
export const keysRemovedSchema = z.object({ exchange: z.string(), reason: z.string() })
export type KeysRemoved = z.infer<typeof keysRemovedSchema>

const limitSchema = z.object({ min: z.number().nullable(), max: z.number().nullable() })

export const exchangeMarketSchema = z.object({
  symbol: z.string(),
  id: z.string(),
  base: z.string(),
  quote: z.string(),
  type: z.string(),
  active: z.boolean().nullable(),
  /** How `precision` reads: decimal places, significant digits, or a tick size (ccxt's precisionMode). */
  precisionMode: z.enum(['decimals', 'significant', 'tick']),
  precision: z.object({ price: z.number().nullable(), amount: z.number().nullable() }),
  limits: z.object({ amount: limitSchema, price: limitSchema, cost: limitSchema }),
  /** Fee rates as fractions (0.001 = 0.1 %), null when the exchange does not say. */
  maker: z.number().nullable(),
  taker: z.number().nullable(),
})
export type ExchangeMarket = z.infer<typeof exchangeMarketSchema>

export const exchangeTickerSchema = z.object({
  exchange: z.string(),
  symbol: z.string(),
  time: z.number(),
  last: z.number().nullable(),
  bid: z.number().nullable(),
  ask: z.number().nullable(),
  high: z.number().nullable(),
  low: z.number().nullable(),
  baseVolume: z.number().nullable(),
  quoteVolume: z.number().nullable(),
  /** Percent change over the exchange's 24 h window. */
  change24h: z.number().nullable(),
})
export type ExchangeTicker = z.infer<typeof exchangeTickerSchema>

const levelSchema = z.tuple([z.number(), z.number()])
export const orderBookSchema = z.object({
  exchange: z.string(),
  symbol: z.string(),
  time: z.number().nullable(),
  /** Best first: [price, amount]. */
  bids: z.array(levelSchema),
  asks: z.array(levelSchema),
})
export type OrderBookSnapshot = z.infer<typeof orderBookSchema>

export const transportSchema = z.enum(['websocket', 'polling'])

export const clockSkewSchema = z.object({
  exchange: z.string(),
  /** Exchange clock minus ours, ms (negative: our clock is ahead). */
  offsetMs: z.number(),
  /** Round trip of the sample the estimate came from (the fastest of those taken). */
  rttMs: z.number(),
  /** Half the round trip: how far off the estimate can be. */
  uncertaintyMs: z.number(),
  samples: z.number().int(),
  measuredAt: z.number(),
  recvWindowMs: z.number(),
  adjusted: z.boolean(),
  /** How far a signed request's timestamp may be from the exchange's clock after any adjustment. */
  effectiveSkewMs: z.number(),
  /** False means signed requests are refused until the clock is fixed or adjustment is turned on. */
  withinWindow: z.boolean(),
})
export type ClockSkew = z.infer<typeof clockSkewSchema>

export const breakerStateSchema = z.enum(['closed', 'open', 'half-open'])

export const healthSchema = z.object({
  exchange: z.string(),
  state: breakerStateSchema,
  /**
   * 0-100 from the recent success rate and p95 latency (formula in src/main/exchange/health.ts);
   * null before the first request.
   */
  score: z.number().int().min(0).max(100).nullable(),
  successRate: z.number().nullable(),
  /** Requests in the rolling window the numbers are computed over. */
  samples: z.number().int(),
  consecutiveFailures: z.number().int(),
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
  /** When an open breaker lets the next probe through. */
  openUntil: z.number().nullable(),
  lastError: appErrorSchema.nullable(),
  lastErrorAt: z.number().nullable(),
  clockSkew: clockSkewSchema.nullable(),
  /**
   * Request weight used, as the exchange's last answer said it (src/main/exchange/request-weight.ts):
   * against its limit (from the same headers, or the limits it lists such as Binance's
   * exchangeInfo `rateLimits`), over `intervalMs`; null until an answer said it.
   */
  requestWeight: z
    .object({
      used: z.number(),
      limit: z.number().nullable(),
      share: z.number().nullable(),
      intervalMs: z.number().nullable(),
      at: z.number(),
    })
    .nullable(),
  /**
   * Its websocket (ccxt.pro): `off` when the connection polls, `idle` with nothing streaming,
   * `connected` when a socket is open, `disconnected` when none of its sockets is; with the age of
   * the last message any stream received.
   */
  websocket: z.object({
    state: z.enum(['off', 'idle', 'connected', 'disconnected']),
    clients: z.number().int(),
    lastMessageAt: z.number().nullable(),
    lastMessageAgeMs: z.number().nullable(),
  }),
})
export type ExchangeHealth = z.infer<typeof healthSchema>

export const backfillResultSchema = z.object({
  exchange: z.string(),
  source: z.string(),
  symbol: z.string(),
  timeframe: timeframeSchema,
  /** Requests sent to the exchange by this call. */
  requests: z.number().int(),
  /** Closed bars received and written. */
  stored: z.number().int(),
  /** The open time of the first bar the exchange has, when the requested range starts before it. */
  historyStart: z.number().nullable(),
  /** Bars the exchange does not have inside its history (reported, never filled). */
  gaps: z.array(gapSchema),
  /** Ranges not fetched yet (the request budget ran out or an error stopped it); a later call continues there. */
  remaining: z.array(z.object({ from: z.number(), to: z.number() })),
  complete: z.boolean(),
  /** Why it stopped early, if it did. */
  stoppedBy: appErrorSchema.nullable(),
})
export type BackfillResult = z.infer<typeof backfillResultSchema>

export const exchangeContract = {
  'exchange.list': command({
    description:
      'Every exchange ccxt supports: its id, name, the credentials its API keys consist of, and whether it has a websocket feed. Built once per engine (the first call takes about a second), then answered from memory.',
    params: z.object({}).strict(),
    result: z.array(exchangeInfoSchema),
  }),
  'exchange.connections': command({
    description: 'The exchanges configured so far, with their masked API key ids.',
    params: z.object({}).strict(),
    result: z.array(connectionSchema),
  }),
  'exchange.configure': command({
    description:
      'Sets how to reach an exchange: an API URL override (testnet, proxy, local simulator), sandbox mode, recvWindow, clock adjustment, websockets. Fields left out keep their value. An API URL is https, or http to this computer only (localhost, 127.0.0.0/8, [::1]), without credentials, query or fragment. Changing the API URL or sandbox mode removes the stored API keys in the same step (they are never sent to the new address); `keysRemoved` says so, and they must be entered again.',
    params: z
      .object({
        ...exchangeRef,
        apiUrl: apiUrlSchema.nullable().optional(),
        sandbox: z.boolean().optional(),
        recvWindowMs: z.number().int().min(1000).max(60_000).optional(),
        adjustForTimeDifference: z.boolean().optional(),
        websocket: z.boolean().optional(),
      })
      .strict(),
    result: connectionSchema.extend({
      /** The keys this change removed (empty when none were stored or the address stayed the same). */
      keysRemoved: z.array(keysRemovedSchema),
    }),
  }),
  'exchange.markets': command({
    description: "An exchange's markets with precision, limits and fees (loaded once, `reload` to refresh).",
    params: z.object({ ...exchangeRef, reload: z.boolean().default(false) }).strict(),
    result: z.array(exchangeMarketSchema),
  }),
  'exchange.backfill': command({
    description:
      'Fetches the closed bars opening from `from` to `to` (ms, default now) into the candle store, only the ranges not fetched before, at most `maxRequests` pages per call. Returns counts, the gaps found and what is left.',
    params: z
      .object({
        ...exchangeRef,
        symbol: symbolSchema,
        timeframe: timeframeSchema,
        from: z.number().int().min(0),
        to: z.number().int().optional(),
        maxRequests: z.number().int().min(1).max(1000).default(50),
        pageLimit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
    result: backfillResultSchema,
  }),
  'exchange.ticker': command({
    description: 'The latest ticker of one market.',
    params: z.object({ ...exchangeRef, symbol: symbolSchema }).strict(),
    result: exchangeTickerSchema,
  }),
  'exchange.orderBook': command({
    description: 'A snapshot of one order book, `depth` levels a side.',
    params: z
      .object({ ...exchangeRef, symbol: symbolSchema, depth: z.number().int().min(1).max(1000).default(20) })
      .strict(),
    result: orderBookSchema,
  }),
  'exchange.health': command({
    description:
      'Per exchange: circuit breaker state, latency percentiles, health score 0-100 and last clock skew. All exchanges used so far, or one.',
    params: z.object({ exchange: exchangeIdSchema.optional() }).strict(),
    result: z.array(healthSchema),
  }),
  'exchange.clockSkew': command({
    description:
      'Measures the exchange clock against ours (NTP-style: the fastest of `samples` round trips, offset from its midpoint).',
    params: z.object({ ...exchangeRef, samples: z.number().int().min(1).max(10).default(3) }).strict(),
    result: clockSkewSchema,
  }),
  'exchange.setKeys': command({
    description:
      "Stores an exchange's API credentials (the ones it requires: `exchange.list` says which), encrypted at rest, for the address its connection uses now. Answers with a masked id only. `verify` is the trader's choice and must be given: true checks them first with one signed request and stores nothing if that fails; false stores them unchecked (refused while a live account on this connection has live trading on).",
    params: z
      .object({
        ...exchangeRef,
        ...credentialParams,
        verify: z.boolean({
          error: 'say whether to check the keys first (true) or store them unchecked (false)',
        }),
      })
      .strict(),
    result: z.object({ exchange: z.string(), maskedKey: z.string(), verified: z.boolean() }),
  }),
  'exchange.checkKeys': command({
    description:
      "Checks an exchange's stored API keys with one signed request (the balance), changing nothing. Fails with `not_found` when no keys are stored, `auth_failed` with the exchange's reason when it refuses them, and with the usual kinds when the exchange cannot be reached (nothing was learnt about the keys then).",
    params: z.object(exchangeRef).strict(),
    result: z.object({
      exchange: z.string(),
      maskedKey: z.string(),
      /** Round trip of the signed request. */
      latencyMs: z.number(),
      checkedAt: z.number(),
    }),
  }),
  'exchange.removeKeys': command({
    description: "Deletes an exchange's stored API keys.",
    params: z.object(exchangeRef).strict(),
    result: z.object({ exchange: z.string(), removed: z.boolean() }),
  }),
  'exchange.healthUpdates': stream({
    description:
      'Health of every exchange in use (or one): the current state at once, then on every breaker change and at most once a second otherwise.',
    params: z.object({ exchange: exchangeIdSchema.optional() }).strict(),
    event: healthSchema,
  }),
  'exchange.watchTicker': stream({
    description:
      'Live ticker of one market over ccxt.pro websockets, or REST polling where there are none; reconnects with backoff. At most one event per 250 ms.',
    params: z.object({ ...exchangeRef, symbol: symbolSchema }).strict(),
    event: exchangeTickerSchema.extend({ transport: transportSchema }),
  }),
  'exchange.watchCandles': stream({
    description: 'The forming bar of one market as it changes; `closed: true` once when a bar completes.',
    params: z.object({ ...exchangeRef, symbol: symbolSchema, timeframe: timeframeSchema }).strict(),
    event: z.object({ candle: candleSchema, closed: z.boolean(), transport: transportSchema }),
  }),
  'exchange.watchOrderBook': stream({
    description: 'Live order book of one market, `depth` levels a side, at most one event per 250 ms.',
    params: z
      .object({ ...exchangeRef, symbol: symbolSchema, depth: z.number().int().min(1).max(100).default(20) })
      .strict(),
    event: orderBookSchema.extend({ transport: transportSchema }),
  }),
}
