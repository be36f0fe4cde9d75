import type { JournalFilter, JournalTrade, SortColumn } from '../../shared/contract/journal'
import { Decimal } from '../../shared/decimal/decimal'

/**
 * The list's filter, sort, paging and totals, over the trades in memory.
 *
 * Money columns sort exactly: by the double nearest each value (rounding keeps order, so two
 * different doubles are in the right order), and by the exact decimals where the doubles tie.
 * Text sorts by code point; missing values (open trades' exit, R without a stop) sort last
 * whichever the direction.
 */

export function matches(t: JournalTrade, f: JournalFilter): boolean {
  if (f.from !== undefined && t.entryTime < f.from) return false
  if (f.to !== undefined && t.entryTime > f.to) return false
  if (f.accountId !== undefined && t.accountId !== f.accountId) return false
  if (f.symbol !== undefined && t.symbol !== f.symbol) return false
  if (f.side !== undefined && t.side !== f.side) return false
  if (f.status !== undefined && t.status !== f.status) return false
  if (f.strategy !== undefined && t.strategy !== f.strategy) return false
  if (f.tag !== undefined) {
    const tag = f.tag.toLowerCase()
    if (!t.tags.some((x) => x.name.toLowerCase() === tag)) return false
  }
  if (f.outcome !== undefined) {
    if (t.status !== 'closed') return false
    const sign = Decimal.parse(t.netPnl).sign
    if (f.outcome === 'win' ? sign <= 0 : sign >= 0) return false
  }
  if (f.rMin !== undefined && (t.r === null || t.r < f.rMin)) return false
  if (f.rMax !== undefined && (t.r === null || t.r > f.rMax)) return false
  if (f.search !== undefined && f.search !== '' && !t.notes.toLowerCase().includes(f.search.toLowerCase()))
    return false
  return true
}

type Key = string | number | null
const MONEY: ReadonlySet<SortColumn> = new Set(['avgEntry', 'avgExit', 'size', 'grossPnl', 'fees', 'netPnl'])

function keyOf(t: JournalTrade, c: SortColumn): Key {
  switch (c) {
    case 'avgEntry':
    case 'avgExit':
    case 'size':
    case 'grossPnl':
    case 'fees':
    case 'netPnl': {
      const v = t[c]
      return v === null ? null : Number(v)
    }
    case 'maePct':
      return t.mae?.pct ?? null
    case 'mfePct':
      return t.mfe?.pct ?? null
    case 'signalScore':
      return t.signal?.score ?? null
    default:
      return t[c]
  }
}

export function sortTrades(trades: JournalTrade[], column: SortColumn, dir: 'asc' | 'desc'): JournalTrade[] {
  const sign = dir === 'asc' ? 1 : -1
  const keyed = trades.map((t) => ({ t, k: keyOf(t, column) }))
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) {
      if (a.k === b.k) return a.t.key < b.t.key ? -1 : 1
      return a.k === null ? 1 : -1
    }
    let c = typeof a.k === 'number' ? a.k - (b.k as number) : a.k < b.k ? -1 : a.k > b.k ? 1 : 0
    if (c === 0 && MONEY.has(column)) {
      const x = a.t[column as 'netPnl']
      const y = b.t[column as 'netPnl']
      c = Decimal.parse(x).cmp(Decimal.parse(y))
    }
    if (c === 0) return a.t.key < b.t.key ? -1 : a.t.key > b.t.key ? 1 : 0
    return sign * c
  })
  return keyed.map((x) => x.t)
}

/** Gross, fees and net summed exactly, per quote currency. */
export function totals(trades: readonly JournalTrade[]): {
  count: number
  byQuote: { quote: string; grossPnl: string; fees: string; netPnl: string }[]
} {
  const sums = new Map<string, { gross: Decimal; fees: Decimal; net: Decimal }>()
  for (const t of trades) {
    let s = sums.get(t.quote)
    if (!s) sums.set(t.quote, (s = { gross: Decimal.ZERO, fees: Decimal.ZERO, net: Decimal.ZERO }))
    s.gross = s.gross.plus(Decimal.parse(t.grossPnl))
    s.fees = s.fees.plus(Decimal.parse(t.fees))
    s.net = s.net.plus(Decimal.parse(t.netPnl))
  }
  return {
    count: trades.length,
    byQuote: [...sums]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([quote, s]) => ({
        quote,
        grossPnl: s.gross.toString(),
        fees: s.fees.toString(),
        netPnl: s.net.toString(),
      })),
  }
}
