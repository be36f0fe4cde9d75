import { z } from 'zod'

/** One OHLCV bar; `time` is the bar's open time in ms since the epoch (UTC). */
export const candleSchema = z.object({
  time: z.number().int(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
})
export type Candle = z.infer<typeof candleSchema>

/**
 * Many bars, column by column. Charts want 100k bars; six arrays of numbers serialise and
 * parse far faster than 100k small objects.
 */
export const candleColumnsSchema = z.object({
  time: z.array(z.number()),
  open: z.array(z.number()),
  high: z.array(z.number()),
  low: z.array(z.number()),
  close: z.array(z.number()),
  volume: z.array(z.number()),
})
export type CandleColumns = z.infer<typeof candleColumnsSchema>

/** A stretch of missing bars: `from` is the first missing open time, `to` the last. */
export const gapSchema = z.object({ from: z.number(), to: z.number(), missing: z.number().int() })
export type Gap = z.infer<typeof gapSchema>

export function toColumns(candles: readonly Candle[]): CandleColumns {
  const cols: CandleColumns = { time: [], open: [], high: [], low: [], close: [], volume: [] }
  for (const c of candles) {
    cols.time.push(c.time)
    cols.open.push(c.open)
    cols.high.push(c.high)
    cols.low.push(c.low)
    cols.close.push(c.close)
    cols.volume.push(c.volume)
  }
  return cols
}

/**
 * The same bar with the same values: a feed re-reporting an unchanged forming bar sends nothing
 * new. Exact comparison: a bar's numbers come from one source and are never recomputed.
 */
export function sameBar(a: Candle, b: Candle): boolean {
  return (
    a.time === b.time &&
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.volume === b.volume
  )
}

/** Bar `i` of a column set (NaN fields past the end, never undefined). */
export function candleAt(cols: CandleColumns, i: number): Candle {
  return {
    time: cols.time[i] ?? NaN,
    open: cols.open[i] ?? NaN,
    high: cols.high[i] ?? NaN,
    low: cols.low[i] ?? NaN,
    close: cols.close[i] ?? NaN,
    volume: cols.volume[i] ?? NaN,
  }
}

export function fromColumns(cols: CandleColumns): Candle[] {
  return cols.time.map((_, i) => candleAt(cols, i))
}
