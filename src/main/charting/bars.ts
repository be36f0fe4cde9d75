import type { CandleColumns } from '../../shared/domain/candles'
import type { CandleSeries } from '../indicators'
import type { CandleSources } from '../market/slices'

/** Where the chart's bars come from (see market/slices.ts, which reads them). */
export type BarSource = CandleSources

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
