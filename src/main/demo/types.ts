/**
 * The demo market's shape as its users see it: symbols, quotes and the market itself. A file of
 * its own because market.ts implements it and index.ts re-exports market.ts: declared in
 * index.ts, the two would import each other.
 */
import type { Candle, CandleColumns } from '../../shared/domain/candles'
import type { Timeframe } from '../../shared/domain/timeframes'

export interface DemoSymbol {
  symbol: string
  description: string
  pricePrecision: number
}

export interface DemoQuote {
  last: number
  /** Percent. */
  change24h: number
  /** Base units traded over the last 24 h (the 1m bars' volumes). */
  volume24h: number
}

export interface DemoMarket {
  readonly seed: number
  readonly symbols: readonly DemoSymbol[]
  /** Closed bars of `tf`, oldest first: the newest `limit` bars whose open time <= `to` and that have CLOSED by `now`. Aggregated from 1m. */
  candles(symbol: string, tf: Timeframe, to: number, limit: number, now: number): CandleColumns
  /**
   * The same bars as `candles`, built in steps (about a day of 1m bars each) with a yield
   * between: a caller on the event loop can pause there (`runInSlices`, market/slices.ts).
   */
  candleSteps(
    symbol: string,
    tf: Timeframe,
    to: number,
    limit: number,
    now: number,
  ): Generator<void, CandleColumns, undefined>
  /** The forming bar of `tf` containing `now`, as it stands at `now` (open at its bucket start; high/low/close/volume so far). */
  formingCandle(symbol: string, tf: Timeframe, now: number): Candle
  /** Last trade price at `now` and change over the last 24 h in percent. */
  quote(symbol: string, now: number): DemoQuote
  /** Earliest open time of available history (>= 90 days before now). */
  historyStart(now: number): number
}
