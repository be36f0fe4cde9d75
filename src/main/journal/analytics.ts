import type { AnalyticsBucket, JournalAnalytics, JournalTrade } from '../../shared/contract/journal'
import { Decimal } from '../../shared/decimal/decimal'
import { QUOTIENT_PLACES } from './round-trips'
import { dayOf, dayText, hourOf, weekdayOf, zonedTime } from './zoned'

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

interface Acc<M> {
  count: number
  wins: number
  losses: number
  net: M
}

/**
 * Exact money arithmetic over the trades' net P&L and fees. Two kinds, same results: integer
 * units at one scale held in doubles (no allocation per sum: most of the time was bigints and the
 * garbage they leave) when every sum provably stays exact, else `Decimal`.
 */
interface Money<M> {
  zero: M
  /** Net P&L and fees of `closed[i]`. */
  net(i: number): M
  fee(i: number): M
  plus(a: M, b: M): M
  minus(a: M, b: M): M
  sign(a: M): number
  cmp(a: M, b: M): number
  dec(a: M): Decimal
  text(a: M): string
}

const DECIMAL_MONEY = (nets: readonly Decimal[], fees: readonly Decimal[]): Money<Decimal> => ({
  zero: Decimal.ZERO,
  net: (i) => nets[i]!,
  fee: (i) => fees[i]!,
  plus: (a, b) => a.plus(b),
  minus: (a, b) => a.minus(b),
  sign: (a) => a.sign,
  cmp: (a, b) => a.cmp(b),
  dec: (a) => a,
  text: (a) => a.toString(),
})

/** Integers up to this are exact in a double, and so is every sum of them that stays below it. */
const SAFE = 2 ** 53
/** Units read from text through a double are exact below this (the product's error stays < 0.5). */
const SAFE_READ = 2 ** 50

/** Places of decimal text (`-12.340` -> 3). */
function placesOf(text: string): number {
  const p = text.indexOf('.')
  return p < 0 ? 0 : text.length - p - 1
}

/**
 * Units at one scale in doubles, or null when that would not be exact: a value with more than 15
 * places, one whose units reach 2^50, or amounts whose absolute sum reaches 2^53 (no partial sum
 * of any group can then exceed it).
 */
function unitMoney(netText: readonly string[], feeText: readonly string[]): Money<number> | null {
  let scale = 0
  for (const t of netText) scale = Math.max(scale, placesOf(t))
  for (const t of feeText) scale = Math.max(scale, placesOf(t))
  if (scale > 15) return null
  const f = 10 ** scale
  const read = (texts: readonly string[]) => {
    const out = new Float64Array(texts.length)
    let abs = 0
    for (let i = 0; i < texts.length; i++) {
      const u = Math.round(Number(texts[i]) * f)
      if (!(Math.abs(u) < SAFE_READ)) return null
      out[i] = u
      abs += Math.abs(u)
    }
    return { out, abs }
  }
  const nets = read(netText)
  const fees = read(feeText)
  if (!nets || !fees || nets.abs + fees.abs >= SAFE) return null
  const n = nets.out
  const fe = fees.out
  const dec = (a: number) => Decimal.fromUnits(BigInt(a), scale)
  return {
    zero: 0,
    net: (i) => n[i]!,
    fee: (i) => fe[i]!,
    plus: (a, b) => a + b,
    minus: (a, b) => a - b,
    sign: (a) => Math.sign(a),
    cmp: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    dec,
    text: (a) => unitsText(a, scale),
  }
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i)

/** Canonical decimal text of whole `units` at `scale` (what `Decimal.toString` writes). */
function unitsText(units: number, scale: number): string {
  if (units === 0) return '0'
  if (scale === 0) return String(units)
  const abs = Math.abs(units)
  if (abs < SAFE) {
    // Whole units below 2^53: the integer and fraction parts are exact integer arithmetic.
    const f = POW10[scale]!
    const whole = Math.floor(abs / f)
    let frac = abs - whole * f
    const sign = units < 0 ? '-' : ''
    if (frac === 0) return sign + whole
    let places = scale
    while (frac % 10 === 0) {
      frac /= 10
      places--
    }
    const digits = String(frac)
    return `${sign}${whole}.${digits.length < places ? '0'.repeat(places - digits.length) + digits : digits}`
  }
  let digits = String(Math.abs(units))
  let places = scale
  while (places > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1)
    places--
  }
  if (places > 0) {
    digits = digits.padStart(places + 1, '0')
    digits = `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`
  }
  return units < 0 ? `-${digits}` : digits
}

export function computeAnalytics(
  trades: readonly JournalTrade[],
  opts: { timeZone: string; quote?: string | undefined },
): JournalAnalytics {
  const closedAll = trades.filter((t) => t.status === 'closed')
  const quote = opts.quote ?? mostCommonQuote(closedAll.length > 0 ? closedAll : trades)
  const closed = byExit(closedAll.filter((t) => t.quote === quote))
  const netText = closed.map((t) => t.netPnl)
  const feeText = closed.map((t) => t.fees)
  const units = unitMoney(netText, feeText)
  if (units) return figures(trades, closedAll, closed, quote, units, opts.timeZone)
  const exact = DECIMAL_MONEY(
    netText.map((t) => Decimal.parse(t)),
    feeText.map((t) => Decimal.parse(t)),
  )
  return figures(trades, closedAll, closed, quote, exact, opts.timeZone)
}

function figures<M>(
  trades: readonly JournalTrade[],
  closedAll: readonly JournalTrade[],
  closed: readonly JournalTrade[],
  quote: string | undefined,
  money: Money<M>,
  timeZone: string,
): JournalAnalytics {
  const localOf = zonedTime(timeZone)
  const m = money
  let net = m.zero
  let grossProfit = m.zero
  let grossLoss = m.zero
  let fees = m.zero
  let wins = 0
  let losses = 0
  let largestWin: M | null = null
  let largestLoss: M | null = null
  let streakW = 0
  let streakL = 0
  let maxW = 0
  let maxL = 0
  let holding = 0
  let rSum = 0
  let rCount = 0
  const groups = {
    symbol: new Map<string, Acc<M>>(),
    tag: new Map<string, Acc<M>>(),
    strategy: new Map<string, Acc<M>>(),
  }
  // Groups with a fixed, small set of keys are arrays by index: no key text made per trade.
  const bySide: (Acc<M> | undefined)[] = []
  const byWeekday: (Acc<M> | undefined)[] = []
  const byHour: (Acc<M> | undefined)[] = []
  const byHolding: (Acc<M> | undefined)[] = []
  const tally = (a: Acc<M>, n: M, sign: number): void => {
    a.count++
    if (sign > 0) a.wins++
    else if (sign < 0) a.losses++
    a.net = m.plus(a.net, n)
  }
  const add = (g: Map<string, Acc<M>>, key: string, n: M, sign: number): void => {
    let a = g.get(key)
    if (!a) g.set(key, (a = { count: 0, wins: 0, losses: 0, net: m.zero }))
    tally(a, n, sign)
  }
  const addAt = (g: (Acc<M> | undefined)[], i: number, n: M, sign: number): void =>
    tally((g[i] ??= { count: 0, wins: 0, losses: 0, net: m.zero }), n, sign)
  /** Net P&L per local calendar day of exit, by day number. */
  const daily = new Map<number, { count: number; net: M }>()
  const returns: number[] = []
  const equity: { time: number; equity: string; drawdown: string }[] = new Array(closed.length)
  let peak = m.zero
  let maxDrawdown = m.zero

  for (let i = 0; i < closed.length; i++) {
    const t = closed[i]!
    const n = m.net(i)
    const sign = m.sign(n)
    net = m.plus(net, n)
    fees = m.plus(fees, m.fee(i))
    if (sign > 0) {
      wins++
      grossProfit = m.plus(grossProfit, n)
      if (largestWin === null || m.cmp(n, largestWin) > 0) largestWin = n
      streakW++
      streakL = 0
    } else if (sign < 0) {
      losses++
      grossLoss = m.plus(grossLoss, n)
      if (largestLoss === null || m.cmp(n, largestLoss) < 0) largestLoss = n
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
    // Equity from 0 and its distance below the running peak (the start included).
    if (m.cmp(net, peak) > 0) peak = net
    const drawdown = m.minus(net, peak)
    if (m.cmp(drawdown, maxDrawdown) < 0) maxDrawdown = drawdown
    equity[i] = {
      time: t.exitTime!,
      equity: m.text(net),
      drawdown: m.sign(drawdown) === 0 ? '0' : m.text(drawdown),
    }

    const exit = localOf(t.exitTime!)
    add(groups.symbol, t.symbol, n, sign)
    if (t.tags.length === 0) add(groups.tag, '(untagged)', n, sign)
    else if (t.tags.length === 1) add(groups.tag, t.tags[0]!.name, n, sign)
    else for (const name of new Set(t.tags.map((x) => x.name))) add(groups.tag, name, n, sign)
    add(groups.strategy, t.strategy, n, sign)
    addAt(bySide, t.side === 'long' ? 0 : 1, n, sign)
    addAt(byWeekday, weekdayOf(exit), n, sign)
    addAt(byHour, hourOf(localOf(t.entryTime)), n, sign)
    const held = t.holdingMs ?? 0
    let b = 0
    while (held >= HOLDING_BUCKETS[b]!.below) b++
    addAt(byHolding, b, n, sign)
    const day = dayOf(exit)
    const d = daily.get(day)
    if (d) {
      d.count++
      d.net = m.plus(d.net, n)
    } else daily.set(day, { count: 1, net: n })
    if (t.returnPct !== null) returns.push(t.returnPct)
  }

  const count = closed.length
  const avgWin = wins > 0 ? div(m.dec(grossProfit), Decimal.fromNumber(wins)) : null
  const avgLoss = losses > 0 ? div(m.dec(grossLoss), Decimal.fromNumber(losses)) : null
  const bucket = (key: string, a: Acc<M>): AnalyticsBucket => ({
    key,
    count: a.count,
    wins: a.wins,
    netPnl: m.text(a.net),
    winRate: a.wins + a.losses > 0 ? a.wins / (a.wins + a.losses) : null,
  })
  /** The buckets of an indexed group in index order, each named by `keyOf(index)`. */
  const indexed = (g: readonly (Acc<M> | undefined)[], keyOf: (i: number) => string): AnalyticsBucket[] => {
    const out: AnalyticsBucket[] = []
    g.forEach((a, i) => a && out.push(bucket(keyOf(i), a)))
    return out
  }
  const byNet = (g: Map<string, Acc<M>>) =>
    [...g].sort(([ka, a], [kb, b]) => m.cmp(b.net, a.net) || (ka < kb ? -1 : 1)).map(([k, a]) => bucket(k, a))
  return {
    quote: quote ?? null,
    otherQuoteTrades: closedAll.length - count,
    closedTrades: count,
    openTrades: trades.filter((t) => t.status === 'open' && t.quote === quote).length,
    wins,
    losses,
    breakeven: count - wins - losses,
    netPnl: m.text(net),
    grossProfit: m.text(grossProfit),
    grossLoss: m.text(grossLoss),
    fees: m.text(fees),
    winRate: wins + losses > 0 ? wins / (wins + losses) : null,
    profitFactor: losses > 0 ? num(div(m.dec(grossProfit), m.dec(grossLoss).abs())) : null,
    expectancy: count > 0 ? div(m.dec(net), Decimal.fromNumber(count)).toString() : null,
    expectancyR: rCount > 0 ? rSum / rCount : null,
    avgWin: avgWin?.toString() ?? null,
    avgLoss: avgLoss?.toString() ?? null,
    payoffRatio: avgWin && avgLoss ? num(div(avgWin, avgLoss.abs())) : null,
    largestWin: largestWin === null ? null : m.text(largestWin),
    largestLoss: largestLoss === null ? null : m.text(largestLoss),
    maxConsecutiveWins: maxW,
    maxConsecutiveLosses: maxL,
    avgHoldingMs: count > 0 ? holding / count : null,
    equity,
    maxDrawdown: m.text(maxDrawdown),
    bySymbol: byNet(groups.symbol),
    byTag: byNet(groups.tag),
    byStrategy: byNet(groups.strategy),
    bySide: indexed(bySide, (i) => (i === 0 ? 'long' : 'short')),
    byWeekday: indexed(byWeekday, (i) => WEEKDAYS[i]!),
    byHour: indexed(byHour, (i) => String(i).padStart(2, '0')),
    byHolding: indexed(byHolding, (i) => HOLDING_BUCKETS[i]!.label),
    daily: [...daily]
      .sort(([a], [b]) => a - b)
      .map(([day, d]) => ({ day: dayText(day), count: d.count, netPnl: m.text(d.net) })),
    returns: histogram(returns, RETURN_BINS),
  }
}

const exitOrder = (a: JournalTrade, b: JournalTrade): number =>
  a.exitTime! - b.exitTime! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

/**
 * Closed trades in order of exit, then of key. A comparator sort of 100,000 objects took ~30 ms
 * of the analytics' CPU; when every (exit - first exit) × count + index stays below 2^53 (a
 * journal of 100,000 trades over less than ~2.8 years) the pairs are packed into one double each
 * and sorted natively (~5 ms), then trades exiting in the same millisecond are put in key order.
 * Otherwise, the comparator sort. Both give the same order.
 */
export function byExit(trades: JournalTrade[]): JournalTrade[] {
  const n = trades.length
  let lo = Infinity
  let hi = -Infinity
  for (const t of trades) {
    if (t.exitTime! < lo) lo = t.exitTime!
    if (t.exitTime! > hi) hi = t.exitTime!
  }
  if (n < 2 || !((hi - lo + 1) * n < 2 ** 53)) return trades.sort(exitOrder)
  const packed = new Float64Array(n)
  for (let i = 0; i < n; i++) packed[i] = (trades[i]!.exitTime! - lo) * n + i
  packed.sort()
  const out = new Array<JournalTrade>(n)
  for (let i = 0; i < n; i++) out[i] = trades[packed[i]! % n]!
  // Runs of one exit time: key order (rare outside tests).
  for (let i = 0; i < n;) {
    let j = i + 1
    while (j < n && out[j]!.exitTime === out[i]!.exitTime) j++
    if (j - i > 1) {
      const run = out.slice(i, j).sort(exitOrder)
      for (let k = i; k < j; k++) out[k] = run[k - i]!
    }
    i = j
  }
  return out
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
