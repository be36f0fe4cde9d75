import { fromColumns, type Candle } from '../../shared/domain/candles'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { DemoMarket } from '../demo'

/**
 * How another thread can produce a source's bars itself: the demo market is a pure function of
 * (seed, history days, symbol, time), so a worker with the same two numbers generates the same
 * bars to the bit (see src/main/demo). Kept apart from bars.ts so the worker bundles no storage.
 */
export interface BarRecipe {
  /**
   * `historyStart` is the market's first bar time at the seed's `now` as the caller's market
   * has it: the worker checks its own market against it, so a wrong `historyDays` fails loudly.
   */
  demo: { seed: number; historyDays: number; historyStart: number }
}

/** The newest `limit` bars of `tf` closed by `now`, oldest first: what the signals read from the demo market. */
export function demoClosedBars(
  demo: DemoMarket,
  symbol: string,
  tf: Timeframe,
  limit: number,
  now: number,
): Candle[] {
  return fromColumns(demo.candles(symbol, tf, now, limit, now))
}
