import type { SymbolInfo, TickerEvent } from '../../../../shared/contract/market'
import type { CandleColumns } from '../../../../shared/domain/candles'
import { barFlags, type UnusualFlag } from '../../../../shared/stats/unusual'

/**
 * The dashboard's market figures, pure: the symbols ranked by 24 h change (top gainers and
 * losers), each with the closes of its last 24 hourly bars for a sparkline, and the unusual
 * moves of its last closed hourly bar (shared/stats/unusual.ts).
 */

export const MOVER_TIMEFRAME = '1h'
/** Hourly bars asked per symbol: the sparkline shows the last 24, the history of unusual moves up to 500 before the last. */
export const MOVER_BARS = 501
export const SPARK_BARS = 24
/** How many gainers and losers are shown. */
export const MOVERS_SHOWN = 4

export interface Mover {
  source: string
  symbol: string
  simulated: boolean
  last: number | null
  change24h: number | null
  pricePrecision: number
}

export const moverKey = (m: { source: string; symbol: string }): string => `${m.source}\u0000${m.symbol}`

export function moversOf(symbols: readonly SymbolInfo[]): Mover[] {
  return symbols.map((s) => ({
    source: s.source,
    symbol: s.symbol,
    simulated: s.simulated,
    last: s.last,
    change24h: s.change24h,
    pricePrecision: s.pricePrecision,
  }))
}

/** A ticker applied to the mover it names (others unchanged). */
export function applyTicker(movers: readonly Mover[], t: TickerEvent): Mover[] {
  const i = movers.findIndex((m) => m.source === t.source && m.symbol === t.symbol)
  if (i < 0) return movers as Mover[]
  const next = movers.slice()
  next[i] = { ...movers[i]!, last: t.last, change24h: t.change24h }
  return next
}

/**
 * Gainers: the largest positive 24 h changes, largest first; losers: the most negative, most
 * negative first. A symbol without a change is in neither; one at 0 is in neither.
 */
export function rank(movers: readonly Mover[], n = MOVERS_SHOWN): { gainers: Mover[]; losers: Mover[] } {
  const known = movers.filter((m) => m.change24h !== null && m.change24h !== 0)
  const bySymbol = (a: Mover, b: Mover) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)
  return {
    gainers: known
      .filter((m) => m.change24h! > 0)
      .sort((a, b) => b.change24h! - a.change24h! || bySymbol(a, b))
      .slice(0, n),
    losers: known
      .filter((m) => m.change24h! < 0)
      .sort((a, b) => a.change24h! - b.change24h! || bySymbol(a, b))
      .slice(0, n),
  }
}

export interface SymbolBars {
  /** Closes of the last SPARK_BARS hourly bars, oldest first. */
  spark: number[]
  /** Open time of the last closed bar judged for unusual moves. */
  barTime: number | null
  flags: UnusualFlag[]
}

/** The sparkline and the unusual moves of one symbol's hourly bars (closed bars, oldest first). */
export function barsOf(c: CandleColumns): SymbolBars {
  return {
    spark: c.close.slice(-SPARK_BARS),
    barTime: c.time.at(-1) ?? null,
    flags: barFlags(c, '1h bar'),
  }
}
