import type { Candle } from '../../../shared/domain/candles'

/** Candles column by column, the input of every batch computation. */
export interface CandleSeries {
  time: Float64Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
}

export type CandleField = keyof CandleSeries

export function candleSeries(candles: readonly Candle[]): CandleSeries {
  const n = candles.length
  const s: CandleSeries = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
  for (let i = 0; i < n; i++) {
    const c = candles[i]!
    s.time[i] = c.time
    s.open[i] = c.open
    s.high[i] = c.high
    s.low[i] = c.low
    s.close[i] = c.close
    s.volume[i] = c.volume
  }
  return s
}
