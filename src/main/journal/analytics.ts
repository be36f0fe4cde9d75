import type { AnalyticsBucket, JournalAnalytics, JournalTrade } from '../../shared/contract/journal'
import { Decimal } from '../../shared/decimal/decimal'
import { QUOTIENT_PLACES } from './round-trips'
import { zonedFields } from './zoned'

/**
 * Journal analytics over the trades of a filter (docs/JOURNAL.md states each definition).
 *
 * Figures are in one quote currency (amounts in USDT and in BTC are never added): the one asked
 * for, else the one with the most closed trades; trades in other quotes are counted apart.
 * Money is summed exactly; ratios are numbers. Only closed trades count, in order of exit.
 * A win has net P&L > 0, a loss < 0; a breakeven trade is neither and ends both streaks.
 */

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

/** Holding-time buckets: upper bounds (exclusive) in ms and their labels. */
export const HOLDING_BUCKETS: readonly { below: number; label: string }[] = [
  { below: 60_000, label: '< 1m' },
  { below: 15 * 60_000, label: '1m-15m' },
  { below: 3_600_000, label: '15m-1h' },
  { below: 4 * 3_600_000, label: '1h-4h' },
  { below: 86_400_000, label: '4h-1d' },
  { below: 7 * 86_400_000, label: '1d-1w' },
  { below: Infinity, label: '> 1w' },
]

/** Bins of the returns histogram. */
export const RETURN_BINS = 20

const div = (a: Decimal, b: Decimal): Decimal => a.div(b, QUOTIENT_PLACES, 'half_even')
const num = (d: Decimal): number => Number(d.toString())

interface Acc {
  count: number
  wins: number
  losses: number
  net: Decimal
}

export function computeAnalytics(
  trades: readonly JournalTrade[],
  opts: { timeZone: string; quote?: string | undefined },
): JournalAnalytics {
  const closedAll = trades.filter((t) => t.status === 'closed')
  const quote = opts.quote ?? mostCommonQuote(closedAll.length > 0 ? closedAll : trades)
  const closed = closedAll
    .filter((t) => t.quote === quote)
    .sort((a, b) => a.exitTime! - b.exitTime! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const local = zonedFields(opts.timeZone)

  let net = Decimal.ZERO
  let grossProfit = Decimal.ZERO
  let grossLoss = Decimal.ZERO
  let fees = Decimal.ZERO
  let wins = 0
  let losses = 0
  let largestWin: Decimal | null = null
  let largestLoss: Decimal | null = null
  let streakW = 0
  let streakL = 0
  let maxW = 0
  let maxL = 0
  let holding = 0
  let rSum = 0
  let rCount = 0
  const nets: Decimal[] = []
  const groups = {
    symbol: new Map<string, Acc>(),
    tag: new Map<string, Acc>(),
    strategy: new Map<string, Acc>(),
    side: new Map<string, Acc>(),
    weekday: new Map<string, Acc>(),
    hour: new Map<string, Acc>(),
    holding: new Map<string, Acc>(),
  }
  const daily = new Map<string, { count: number; net: Decimal }>()
  const returns: number[] = []

  for (const t of closed) {
    const n = Decimal.parse(t.netPnl)
    const sign = n.sign
    net = net.plus(n)
    fees = fees.plus(Decimal.parse(t.fees))
    if (sign > 0) {
      wins++
      grossProfit = grossProfit.plus(n)
      if (!largestWin || n.gt(largestWin)) largestWin = n
      streakW++
      streakL = 0
    } else if (sign < 0) {
      losses++
      grossLoss = grossLoss.plus(n)
      if (!largestLoss || n.lt(largestLoss)) largestLoss = n
      streakL++
      streakW = 0
    } else {
      streakW = 0
      streakL = 0
    }
    maxW = Math.max(maxW, streakW)
    maxL = Math.max(maxL, streakL)
    holding += t.holdingMs ?? 0
    if (t.r !== null) {
      rSum += t.r
      rCount++
    }
    nets.push(n)

    const exit = local(t.exitTime!)
    const entry = local(t.entryTime)
    add(groups.symbol, t.symbol, n)
    if (t.tags.length === 0) add(groups.tag, '(untagged)', n)
    else if (t.tags.length === 1) add(groups.tag, t.tags[0]!.name, n)
    else for (const name of new Set(t.tags.map((x) => x.name))) add(groups.tag, name, n)
    add(groups.strategy, t.strategy, n)
    add(groups.side, t.side, n)
    add(groups.weekday, WEEKDAYS[exit.weekday]!, n)
    add(groups.hour, String(entry.hour).padStart(2, '0'), n)
    add(groups.holding, HOLDING_BUCKETS.find((b) => (t.holdingMs ?? 0) < b.below)!.label, n)
    const d = daily.get(exit.day)
    if (d) {
      d.count++
      d.net = d.net.plus(n)
    } else daily.set(exit.day, { count: 1, net: n })
    if (t.returnPct !== null) returns.push(t.returnPct)
  }

  const count = closed.length
  let maxDrawdown = Decimal.ZERO
  const equity = equityCurve(nets).map((p, i) => {
    if (p.drawdown.lt(maxDrawdown)) maxDrawdown = p.drawdown
    return { time: closed[i]!.exitTime!, equity: p.equity.toString(), drawdown: p.drawdown.toString() }
  })
  const avgWin = wins > 0 ? div(grossProfit, Decimal.fromNumber(wins)) : null
  const avgLoss = losses > 0 ? div(grossLoss, Decimal.fromNumber(losses)) : null
  const order = (keys: readonly string[]) => (m: Map<string, Acc>) =>
    keys.filter((k) => m.has(k)).map((k) => bucket(k, m.get(k)!))
  return {
    quote: quote ?? null,
    otherQuoteTrades: closedAll.length - count,
    closedTrades: count,
    openTrades: trades.filter((t) => t.status === 'open' && t.quote === quote).length,
    wins,
    losses,
    breakeven: count - wins - losses,
    netPnl: net.toString(),
    grossProfit: grossProfit.toString(),
    grossLoss: grossLoss.toString(),
    fees: fees.toString(),
    winRate: wins + losses > 0 ? wins / (wins + losses) : null,
    profitFactor: losses > 0 ? num(div(grossProfit, grossLoss.abs())) : null,
    expectancy: count > 0 ? div(net, Decimal.fromNumber(count)).toString() : null,
    expectancyR: rCount > 0 ? rSum / rCount : null,
    avgWin: avgWin?.toString() ?? null,
    avgLoss: avgLoss?.toString() ?? null,
    payoffRatio: avgWin && avgLoss ? num(div(avgWin, avgLoss.abs())) : null,
    largestWin: largestWin?.toString() ?? null,
    largestLoss: largestLoss?.toString() ?? null,
    maxConsecutiveWins: maxW,
    maxConsecutiveLosses: maxL,
    avgHoldingMs: count > 0 ? holding / count : null,
    equity,
    maxDrawdown: maxDrawdown.toString(),
    bySymbol: byNet(groups.symbol),
    byTag: byNet(groups.tag),
    byStrategy: byNet(groups.strategy),
    bySide: order(['long', 'short'])(groups.side),
    byWeekday: order(WEEKDAYS)(groups.weekday),
    byHour: [...groups.hour.keys()].sort().map((k) => bucket(k, groups.hour.get(k)!)),
    byHolding: order(HOLDING_BUCKETS.map((b) => b.label))(groups.holding),
    daily: [...daily]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, d]) => ({ day, count: d.count, netPnl: d.net.toString() })),
    returns: histogram(returns, RETURN_BINS),
  }
}

function add(m: Map<string, Acc>, key: string, n: Decimal): void {
  let a = m.get(key)
  if (!a) m.set(key, (a = { count: 0, wins: 0, losses: 0, net: Decimal.ZERO }))
  a.count++
  if (n.sign > 0) a.wins++
  else if (n.sign < 0) a.losses++
  a.net = a.net.plus(n)
}

function bucket(key: string, a: Acc): AnalyticsBucket {
  return {
    key,
    count: a.count,
    wins: a.wins,
    netPnl: a.net.toString(),
    winRate: a.wins + a.losses > 0 ? a.wins / (a.wins + a.losses) : null,
  }
}

function byNet(m: Map<string, Acc>): AnalyticsBucket[] {
  return [...m]
    .sort(([ka, a], [kb, b]) => b.net.cmp(a.net) || (ka < kb ? -1 : 1))
    .map(([k, a]) => bucket(k, a))
}

function mostCommonQuote(trades: readonly JournalTrade[]): string | undefined {
  const n = new Map<string, number>()
  for (const t of trades) n.set(t.quote, (n.get(t.quote) ?? 0) + 1)
  let best: string | undefined
  for (const [q, c] of n)
    if (best === undefined || c > n.get(best)! || (c === n.get(best) && q < best)) best = q
  return best
}

/**
 * Equal-width bins from the lowest to the highest value; the last bin includes its upper edge.
 * All values equal: one bin of zero width.
 */
export function histogram(
  values: readonly number[],
  bins: number,
): { from: number; to: number; count: number }[] {
  if (values.length === 0) return []
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (lo === hi) return [{ from: lo, to: hi, count: values.length }]
  const width = (hi - lo) / bins
  const counts = new Array<number>(bins).fill(0)
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++
  return counts.map((count, i) => ({
    from: lo + i * width,
    to: i === bins - 1 ? hi : lo + (i + 1) * width,
    count,
  }))
}

/**
 * The equity after each P&L, starting from `start`, and its drawdown: the distance below the
 * highest equity so far, the start included (<= 0, exact). `peak` is that highest equity.
 */
export function equityCurve(
  pnls: readonly Decimal[],
  start: Decimal = Decimal.ZERO,
): { equity: Decimal; peak: Decimal; drawdown: Decimal }[] {
  let equity = start
  let peak = start
  return pnls.map((p) => {
    equity = equity.plus(p)
    if (equity.gt(peak)) peak = equity
    return { equity, peak, drawdown: equity.minus(peak) }
  })
}
