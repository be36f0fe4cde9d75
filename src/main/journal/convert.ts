import { Decimal } from '../../shared/decimal/decimal'
import { nextBucket } from '../../shared/domain/timeframes'
import type { JournalCandles } from './ports'
import { QUOTIENT_PLACES } from './round-trips'

/**
 * Prices for converting money between currencies at a past time (docs/JOURNAL.md "Currencies"):
 * the close of the newest bar of `FROM/TO` that had closed by that time, at the finest timeframe
 * stored for the account's market (the demo market's 1m bars for demo accounts: the same bars
 * MAE/MFE read), no older than `MAX_PRICE_AGE_MS`; else the same of `TO/FROM`, inverted (12
 * places, half to even). A closed bar never changes, so the price found for a time stays the
 * same. None found: null, and the caller says so rather than count zero.
 */

/** A bar that closed longer than this before the time does not price it. */
export const MAX_PRICE_AGE_MS = 24 * 60 * 60_000
/** Looked for first: most prices are in the last hour's bars, which are far fewer to read. */
const NEAR_MS = 60 * 60_000

export interface PriceAt {
  /** Units of `to` for one unit of `from`. */
  price: Decimal
  /** The market it was read from (`BNB/USDT`, or `USDT/EUR` inverted). */
  symbol: string
  /** Open time of the bar whose close it is. */
  barTime: number
}

export function priceAt(
  candles: JournalCandles,
  source: string,
  from: string,
  to: string,
  time: number,
): PriceAt | null {
  if (from === to) return { price: Decimal.ONE, symbol: `${from}/${to}`, barTime: time }
  const direct = closeBefore(candles, source, `${from}/${to}`, time)
  if (direct) return { price: direct.close, symbol: `${from}/${to}`, barTime: direct.time }
  const inverse = closeBefore(candles, source, `${to}/${from}`, time)
  if (inverse && !inverse.close.isZero())
    return {
      price: Decimal.ONE.div(inverse.close, QUOTIENT_PLACES, 'half_even'),
      symbol: `${to}/${from}`,
      barTime: inverse.time,
    }
  return null
}

/** The close of the newest bar of `symbol` closed by `time` and not more than a day before. */
function closeBefore(
  candles: JournalCandles,
  source: string,
  symbol: string,
  time: number,
): { close: Decimal; time: number } | null {
  for (const back of [NEAR_MS, MAX_PRICE_AGE_MS]) {
    // Bars are asked by open time: twice the span, so a bar of up to that length that closed within it is in.
    const window = candles.finest(source, symbol, time - 2 * back, time)
    if (!window) return null
    for (let i = window.candles.length - 1; i >= 0; i--) {
      const c = window.candles[i]!
      const closedAt = nextBucket(c.time, window.timeframe)
      if (closedAt > time) continue
      if (closedAt < time - MAX_PRICE_AGE_MS) break
      if (!(c.close > 0)) continue
      return { close: Decimal.fromNumber(c.close), time: c.time }
    }
  }
  return null
}
