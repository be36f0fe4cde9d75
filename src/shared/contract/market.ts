import { z } from 'zod'
import { candleColumnsSchema, candleSchema, gapSchema } from '../domain/candles'
import { timeframeSchema } from '../domain/timeframes'
import { command, stream } from './define'

/**
 * Bars one `market.candles` or `charting.series` call may ask for: 100,000 1m bars are about ten
 * weeks (the chart shows 2,000, its benchmark 100,000). The answer is 6 MB of JSON for candles
 * and about 30 MB for five indicators, which the headless host writes in fragments.
 */
export const MAX_BARS_PER_REQUEST = 100_000
export const TOO_MANY_BARS = `at most ${MAX_BARS_PER_REQUEST} bars per request`

const marketRef = {
  /** Where the bars come from: `demo`, `import:<name>`, or a ccxt exchange id. */
  source: z.string().min(1).max(64),
  symbol: z.string().min(1).max(64),
}

export const symbolInfoSchema = z.object({
  source: z.string(),
  sourceLabel: z.string(),
  symbol: z.string(),
  /** True for the synthetic demo market: the UI must say so wherever it shows it. */
  simulated: z.boolean(),
  /** True when the symbol has a live feed (ticks and a forming bar). */
  live: z.boolean(),
  /** Timeframes with stored or derivable bars. */
  timeframes: z.array(timeframeSchema),
  last: z.number().nullable(),
  change24h: z.number().nullable(),
  /** Base units traded over the last 24 h; absent or null where the source has no live volume. */
  volume24h: z.number().nullable().optional(),
  /** Decimal places prices are shown with. */
  pricePrecision: z.number().int(),
})
export type SymbolInfo = z.infer<typeof symbolInfoSchema>

export const tickerEventSchema = z.object({
  source: z.string(),
  symbol: z.string(),
  time: z.number(),
  last: z.number(),
  change24h: z.number().nullable(),
  /** Base units traded over the last 24 h; absent or null where unknown. */
  volume24h: z.number().nullable().optional(),
})
export type TickerEvent = z.infer<typeof tickerEventSchema>

export const marketContract = {
  'market.symbols': command({
    description: 'Every symbol Candlework can chart: the demo market first, then imported histories.',
    params: z.object({}).strict(),
    result: z.array(symbolInfoSchema),
  }),
  'market.candles': command({
    description:
      'Closed bars of one symbol and timeframe, oldest first, as columns. At most `limit` bars (up to 100,000) ending at `to` (default: now). Gaps in the range are listed, never filled.',
    params: z
      .object({
        ...marketRef,
        timeframe: timeframeSchema,
        to: z.number().int().optional(),
        limit: z.number().int().min(1).max(MAX_BARS_PER_REQUEST, TOO_MANY_BARS).default(1000),
      })
      .strict(),
    result: z.object({ candles: candleColumnsSchema, gaps: z.array(gapSchema) }),
  }),
  'market.tickers': stream({
    description:
      'Last price, 24h change and 24h volume of every live symbol, coalesced to at most one event per symbol per 250 ms.',
    params: z.object({ source: z.string().optional() }).strict(),
    event: tickerEventSchema,
  }),
  'market.symbolsChanged': stream({
    description:
      'An event each time the list `market.symbols` answers may have changed: a series imported (by this engine or by the CLI on the same data folder), backfilled or deleted. Ask `market.symbols` again; after a reconnect, ask it once anyway.',
    params: z.object({}).strict(),
    event: z.object({ time: z.number() }),
  }),
  'market.liveCandle': stream({
    description:
      'The forming bar of one symbol and timeframe as it changes; `closed: true` once when a bar completes.',
    params: z.object({ ...marketRef, timeframe: timeframeSchema }).strict(),
    event: z.object({ candle: candleSchema, closed: z.boolean() }),
  }),
}
