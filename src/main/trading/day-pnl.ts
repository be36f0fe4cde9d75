import type { Db } from '../storage/db'
import { Decimal } from './decimal'
import { positionFromFills, splitSymbol } from './positions'
import { listAccounts, positionFills } from './store'

/** One symbol's realized P&L over a time range, in its quote currency. */
export interface SymbolDayPnl {
  symbol: string
  quote: string
  /** Exact decimal text, net of the fees paid in the range (positions.ts's conventions). */
  realized: string
  fills: number
}

export interface AccountDayPnl {
  accountId: string
  accountName: string
  symbols: SymbolDayPnl[]
}

/**
 * Realized P&L of each account and symbol over [from, to): the position's realized P&L from
 * every fill before `to`, less that from every fill before `from`, so a lot opened yesterday and
 * closed today counts today at yesterday's entry (FIFO, exactly as `trading.positions`). Symbols
 * without a fill in the range are left out, and accounts with none.
 */
export function dayPnl(db: Db, from: number, to: number): AccountDayPnl[] {
  const out: AccountDayPnl[] = []
  for (const account of listAccounts(db)) {
    const fills = positionFills(db, account.id).filter((f) => f.time < to)
    const inRange = new Map<string, number>()
    for (const f of fills) if (f.time >= from) inRange.set(f.symbol, (inRange.get(f.symbol) ?? 0) + 1)
    const symbols: SymbolDayPnl[] = []
    for (const [symbol, n] of [...inRange].sort(([a], [b]) => a.localeCompare(b))) {
      const upTo = Decimal.parse(positionFromFills(account.id, symbol, fills).realizedPnl)
      const before = Decimal.parse(
        positionFromFills(
          account.id,
          symbol,
          fills.filter((f) => f.time < from),
        ).realizedPnl,
      )
      symbols.push({
        symbol,
        quote: splitSymbol(symbol).quote,
        realized: upTo.minus(before).toString(),
        fills: n,
      })
    }
    if (symbols.length > 0) out.push({ accountId: account.id, accountName: account.name, symbols })
  }
  return out
}
