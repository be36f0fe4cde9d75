import { z } from 'zod'
import { stream } from './define'

/**
 * Market depth and trades of one market: the demo market's simulated book and tape, or an
 * exchange connection's through ccxt. Levels and trades carry decimal strings, so the renderer's
 * grouping and totals are exact (shared/domain/book.ts).
 */

/** At most this many events a second per subscription: the engine coalesces (latest book wins). */
export const BOOK_MAX_RATE = 10

const marketRef = {
  /** `demo`, or an exchange connection's candle source (`binance`, `binance:custom`). */
  source: z.string().min(1).max(64),
  symbol: z.string().min(1).max(64),
}

const decimalText = z.string().regex(/^\d+(\.\d+)?$/, 'a plain decimal such as "93500.12"')
const levelSchema = z.tuple([decimalText, decimalText])

/** How the book or tape arrives: made up (demo), pushed (ccxt.pro websocket) or polled (REST). */
export const bookTransportSchema = z.enum(['simulated', 'websocket', 'polling'])
export type BookTransport = z.infer<typeof bookTransportSchema>

export const bookEventSchema = z.object({
  source: z.string(),
  symbol: z.string(),
  time: z.number(),
  /** The market's price tick ("0.01"): aggregation steps are its multiples. */
  tick: decimalText,
  /** Best first: [price, size]. */
  bids: z.array(levelSchema),
  asks: z.array(levelSchema),
  transport: bookTransportSchema,
})
export type BookEvent = z.infer<typeof bookEventSchema>

export const bookTradeSchema = z.object({
  id: z.string(),
  time: z.number(),
  price: decimalText,
  size: decimalText,
  /** The taker's side. */
  side: z.enum(['buy', 'sell']),
})
export type BookTrade = z.infer<typeof bookTradeSchema>

export const tradesEventSchema = z.object({
  source: z.string(),
  symbol: z.string(),
  /** Oldest first; the first event holds the recent trades, later ones only new trades. */
  trades: z.array(bookTradeSchema),
  transport: bookTransportSchema,
})
export type TradesEvent = z.infer<typeof tradesEventSchema>

export const bookContract = {
  'book.depth': stream({
    description:
      'The order book of one market, `depth` levels a side, best first: the current book at once, then as it changes, at most 10 events a second (only the latest book is sent).',
    params: z.object({ ...marketRef, depth: z.number().int().min(1).max(500).default(100) }).strict(),
    event: bookEventSchema,
  }),
  'book.trades': stream({
    description:
      'Public trades of one market, oldest first: the most recent ones at once, then new ones as they happen, gathered into at most 10 events a second.',
    params: z.object({ ...marketRef, recent: z.number().int().min(1).max(200).default(50) }).strict(),
    event: tradesEventSchema,
  }),
}
