import type {
  JournalAnalytics,
  JournalKpis,
  JournalSummary,
  JournalTrade,
} from '../../shared/contract/journal'
import { computeAnalytics } from './analytics'
import { localStart } from './zoned'

/**
 * The dashboard's figures (`journal.summary`): the journal analytics' own definitions over the
 * trades closed today, this week (from Monday, local midnight) and ever, all in the all-time
 * figures' quote currency, and the equity curve thinned for a small chart.
 */
export function computeSummary(
  trades: readonly JournalTrade[],
  opts: { timeZone: string; now: number; points: number },
): JournalSummary {
  const all = computeAnalytics(trades, { timeZone: opts.timeZone })
  const quote = all.quote ?? undefined
  const todayFrom = localStart(opts.timeZone, opts.now, 'day')
  const weekFrom = localStart(opts.timeZone, opts.now, 'week')
  const closedSince = (from: number) =>
    computeAnalytics(
      trades.filter((t) => t.exitTime !== null && t.exitTime >= from),
      { timeZone: opts.timeZone, quote },
    )
  return {
    quote: all.quote,
    todayFrom,
    weekFrom,
    today: kpis(closedSince(todayFrom)),
    week: kpis(closedSince(weekFrom)),
    all: kpis(all),
    maxDrawdown: all.maxDrawdown,
    equity: thin(all.equity, opts.points),
    openTrades: all.openTrades,
  }
}

function kpis(a: JournalAnalytics): JournalKpis {
  return {
    closedTrades: a.closedTrades,
    wins: a.wins,
    losses: a.losses,
    netPnl: a.netPnl,
    winRate: a.winRate,
    profitFactor: a.profitFactor,
    expectancy: a.expectancy,
    expectancyR: a.expectancyR,
  }
}

/**
 * At most `points` points of a curve: it is cut into runs of equal length, and of each run the
 * lowest and the highest point are kept in time order, so peaks and troughs (the drawdowns a
 * trader looks for) survive; the last point is always kept.
 */
export function thin<P extends { time: number; equity: string }>(
  curve: readonly P[],
  points: number,
): { time: number; equity: string }[] {
  const pick = (p: P) => ({ time: p.time, equity: p.equity })
  if (curve.length <= points) return curve.map(pick)
  const runs = Math.max(1, Math.floor((points - 1) / 2))
  const out: P[] = []
  for (let r = 0; r < runs; r++) {
    const from = Math.floor((r * curve.length) / runs)
    const to = Math.floor(((r + 1) * curve.length) / runs)
    let lo = from
    let hi = from
    for (let i = from + 1; i < to; i++) {
      const e = Number(curve[i]!.equity)
      if (e < Number(curve[lo]!.equity)) lo = i
      if (e > Number(curve[hi]!.equity)) hi = i
    }
    if (lo === hi) out.push(curve[lo]!)
    else out.push(curve[Math.min(lo, hi)]!, curve[Math.max(lo, hi)]!)
  }
  if (out.at(-1) !== curve.at(-1)) out.push(curve.at(-1)!)
  return out.map(pick)
}
