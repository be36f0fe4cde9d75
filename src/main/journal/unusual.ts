import type { JournalTrade } from '../../shared/contract/journal'
import type { RobustStats } from '../../shared/stats/robust'
import { historyOf, tradeReturnFlag, type UnusualFlag } from '../../shared/stats/unusual'

/**
 * Which trades' returns are unusual for their symbol (docs/JOURNAL.md "Unusual activity"): the
 * median and scaled MAD of the return % of each symbol's closed trades, computed when first asked
 * and again only after a trade's symbol, status or return changed (an edit of notes, tags or
 * rating changes none of them, so it costs nothing here).
 */
export class UnusualTrades {
  private stats: Map<string, RobustStats | null> | null = null
  /** What the figures were computed from, per trade key: symbol and return (null while open). */
  private readonly counted = new Map<string, string>()

  constructor(private readonly all: () => Iterable<JournalTrade>) {}

  /** Trades changed: the figures are computed again when next asked, if a return changed. */
  changed(trades: readonly JournalTrade[] | null): void {
    if (this.stats === null) return
    if (trades === null || trades.some((t) => this.counted.get(t.key) !== signature(t))) this.stats = null
  }

  /** The trade's flag, or null when its return is usual (or its symbol has too short a history). */
  flagOf(t: JournalTrade): UnusualFlag | null {
    if (t.status !== 'closed' || t.returnPct === null) return null
    return tradeReturnFlag(t.returnPct, this.figures().get(t.symbol) ?? null)
  }

  private figures(): Map<string, RobustStats | null> {
    if (this.stats) return this.stats
    const returns = new Map<string, number[]>()
    this.counted.clear()
    for (const t of this.all()) {
      this.counted.set(t.key, signature(t))
      if (t.status !== 'closed' || t.returnPct === null) continue
      let r = returns.get(t.symbol)
      if (!r) returns.set(t.symbol, (r = []))
      r.push(t.returnPct)
    }
    const stats = new Map<string, RobustStats | null>()
    for (const [symbol, r] of returns) stats.set(symbol, historyOf(r))
    return (this.stats = stats)
  }
}

const signature = (t: JournalTrade): string => `${t.symbol}|${t.status === 'closed' ? t.returnPct : null}`
