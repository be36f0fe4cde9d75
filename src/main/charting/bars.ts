import type { CandleColumns } from '../../shared/domain/candles'
import type { Timeframe } from '../../shared/domain/timeframes'
import { DEMO_SOURCE, type DemoMarket } from '../demo'
import type { CandleSeries } from '../indicators'
import { importedCandles } from '../market/imported-series'
import { candlesInSlices } from '../market/slices'
import type { Db } from '../storage/database'

export interface BarSource {
  db: Db
  demo: DemoMarket
}

/**
 * The newest `limit` closed bars at or before `to`, read exactly as `market.candles` reads
 * them (demo market or stored history), so indicator columns line up with the chart's bars.
 */
export function readBars(
  { db, demo }: BarSource,
  source: string,
  symbol: string,
  tf: Timeframe,
  to: number,
  limit: number,
  now: number,
): CandleColumns {
  return source === DEMO_SOURCE
    ? demo.candles(symbol, tf, to, limit, now)
    : importedCandles(db, source, symbol, tf, to, limit)
}

/** `readBars` in slices (see market/slices.ts): for the large reads of a chart's history. */
export function readBarsInSlices(
  bars: BarSource,
  source: string,
  symbol: string,
  tf: Timeframe,
  to: number,
  limit: number,
  now: number,
): Promise<CandleColumns> {
  return candlesInSlices(bars, source, symbol, tf, to, limit, now)
}

/** Plain arrays to the typed columns the indicator library computes on. */
export function toSeries(c: CandleColumns): CandleSeries {
  return {
    time: Float64Array.from(c.time),
    open: Float64Array.from(c.open),
    high: Float64Array.from(c.high),
    low: Float64Array.from(c.low),
    close: Float64Array.from(c.close),
    volume: Float64Array.from(c.volume),
  }
}
