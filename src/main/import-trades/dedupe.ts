import type { TradeRow } from './trade-row'

/** A row not written because its fill is already there. */
export interface Duplicate {
  line: number
  /** `trade id` (same exchange trade id and symbol) or `same fill` (time, symbol, side, price, amount). */
  reason: 'trade id' | 'same fill'
  /** Where the first one is: `line N` of this file, or `stored`. */
  of: string
  symbol: string
  time: number
}

/** The keys of fills already stored, to skip rows that repeat them. */
export interface StoredKeys {
  ids: Set<string>
  fills: Set<string>
}

export const idKey = (symbol: string, tradeId: string): string => `${symbol}\u0000${tradeId}`
export const fillKey = (r: {
  time: number
  symbol: string
  side: string
  price: string
  amount: string
}): string => `${r.time}\u0000${r.symbol}\u0000${r.side}\u0000${r.price}\u0000${r.amount}`

/**
 * Splits rows into those to write and duplicates: a row is a duplicate when a stored fill or an
 * earlier row has the same exchange trade id (and symbol), or the same time, symbol, side, price
 * and amount. Prices and amounts are canonical text, so `0.10` and `0.1` are the same.
 */
export function dedupe(
  rows: readonly TradeRow[],
  stored: StoredKeys,
): { fresh: TradeRow[]; duplicates: Duplicate[] } {
  const fresh: TradeRow[] = []
  const duplicates: Duplicate[] = []
  const idLine = new Map<string, number>()
  const fillLine = new Map<string, number>()
  for (const r of rows) {
    const id = r.tradeId === null ? null : idKey(r.symbol, r.tradeId)
    const fk = fillKey(r)
    const dup = (reason: Duplicate['reason'], of: string): void => {
      duplicates.push({ line: r.line, reason, of, symbol: r.symbol, time: r.time })
    }
    if (id !== null && stored.ids.has(id)) dup('trade id', 'stored')
    else if (id !== null && idLine.has(id)) dup('trade id', `line ${idLine.get(id)}`)
    else if (stored.fills.has(fk)) dup('same fill', 'stored')
    else if (fillLine.has(fk)) dup('same fill', `line ${fillLine.get(fk)}`)
    else {
      if (id !== null) idLine.set(id, r.line)
      fillLine.set(fk, r.line)
      fresh.push(r)
    }
  }
  return { fresh, duplicates }
}
