import type { Candle } from '../../shared/domain/candles'
import type { RowIssue } from './issues'

/** What a format reader (CSV, JSON) hands on to the order checks. */
export interface SourceRows {
  /** Rows that parsed and passed the per-bar checks, in file order. */
  bars: Candle[]
  /** For each bar, what `locateTime` needs to find it again (a line index, a JSON row index). */
  refs: number[]
  issues: RowIssue[]
  /** Data rows seen, good or bad (blank lines and the header are not rows). */
  rowsRead: number
  /** True when the file has no times and rows were numbered instead (allowMissingTime). */
  timeless: boolean
  /** Line and column of a bar's time value (by its ref), for order and timeframe messages. */
  locateTime(ref: number): { line: number; column: number }
}

/** A problem with one bar's values; `role` says which value the message points at. */
export interface BarProblem {
  role: 'open' | 'high' | 'close' | 'volume'
  message: string
}

/**
 * The consistency every OHLCV bar must have. Prices may be zero or negative (some futures
 * traded below zero); only their order is checked. Returns undefined for a good bar, so the
 * common case allocates nothing.
 */
export function barProblems(
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): BarProblem[] | undefined {
  if (high >= low && open <= high && open >= low && close <= high && close >= low && volume >= 0)
    return undefined
  const out: BarProblem[] = []
  if (high < low) out.push({ role: 'high', message: `high ${high} is below low ${low}` })
  else {
    if (open > high || open < low)
      out.push({ role: 'open', message: `open ${open} is outside the high-low range ${low}..${high}` })
    if (close > high || close < low)
      out.push({ role: 'close', message: `close ${close} is outside the high-low range ${low}..${high}` })
  }
  if (volume < 0) out.push({ role: 'volume', message: `volume ${volume} is negative` })
  return out
}
