// Statistics of closed trades. A win is a trade with pnl > 0, a loss one with pnl < 0 (a
// break-even trade is neither and ends both streaks). Streaks follow the trades in exit order.
import type { TradeStat } from './types'

export interface TradeStats {
  trades: number
  winRate: number
  /** Gross profit / gross loss, in money (backtesting.py: on trade returns). */
  profitFactor: number
  /** Mean pnl per trade, in money (backtesting.py: mean trade return). */
  expectancy: number
  avgWin: number
  avgLoss: number
  /** Arithmetic mean of the trades' returns (backtesting.py: geometric). */
  avgTradeReturn: number
  bestTrade: number
  worstTrade: number
  avgTradeDuration: number
  maxTradeDuration: number
  sqn: number
  kelly: number
  maxConsecutiveWins: number
  maxConsecutiveLosses: number
  fees: number
  /** Bars with at least one trade open, entryBar..exitBar inclusive (backtesting.py's count). */
  barsInMarket: number
  /** Mean of trade returns as backtesting.py reports them, kept for its compat mode. */
  geometricTradeReturn: number
  profitFactorOnReturns: number
  expectancyOnReturns: number
}

export function tradeStats(trades: readonly TradeStat[], bars: number): TradeStats {
  const n = trades.length
  let wins = 0
  let losses = 0
  let grossWin = 0
  let grossLoss = 0
  let pnlSum = 0
  let retSum = 0
  let retWin = 0
  let retLoss = 0
  let logSum = 0
  let nonPositive = false
  let best = -Infinity
  let worst = Infinity
  let durSum = 0
  let durMax = -Infinity
  let fees = 0
  for (let i = 0; i < n; i++) {
    const t = trades[i]!
    const p = t.pnl
    pnlSum += p
    if (p > 0) {
      wins++
      grossWin += p
    } else if (p < 0) {
      losses++
      grossLoss -= p
    }
    const r = t.returnPct
    retSum += r
    if (r > 0) retWin += r
    else if (r < 0) retLoss -= r
    if (1 + r <= 0) nonPositive = true
    else logSum += Math.log(1 + r)
    if (r > best) best = r
    if (r < worst) worst = r
    const d = t.exitTime - t.entryTime
    durSum += d
    if (d > durMax) durMax = d
    fees += t.fees
  }
  const mean = n > 0 ? pnlSum / n : NaN
  let ss = 0
  for (let i = 0; i < n; i++) {
    const d = trades[i]!.pnl - mean
    ss += d * d
  }
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN
  const winRate = n > 0 ? wins / n : NaN
  const avgWin = wins > 0 ? grossWin / wins : NaN
  const avgLoss = losses > 0 ? -grossLoss / losses : NaN
  const { maxWins, maxLosses } = streaks(trades)
  return {
    trades: n,
    winRate,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : NaN,
    expectancy: mean,
    avgWin,
    avgLoss,
    avgTradeReturn: n > 0 ? retSum / n : NaN,
    bestTrade: n > 0 ? best : NaN,
    worstTrade: n > 0 ? worst : NaN,
    avgTradeDuration: n > 0 ? durSum / n : NaN,
    maxTradeDuration: n > 0 ? durMax : NaN,
    sqn: std > 0 ? (Math.sqrt(n) * mean) / std : NaN,
    kelly: winRate - (1 - winRate) / (avgWin / -avgLoss),
    maxConsecutiveWins: maxWins,
    maxConsecutiveLosses: maxLosses,
    fees,
    barsInMarket: barsInMarket(trades, bars),
    geometricTradeReturn: n === 0 ? NaN : nonPositive ? 0 : Math.exp(logSum / n) - 1,
    profitFactorOnReturns: retLoss > 0 ? retWin / retLoss : NaN,
    expectancyOnReturns: n > 0 ? retSum / n : NaN,
  }
}

function streaks(trades: readonly TradeStat[]): { maxWins: number; maxLosses: number } {
  const order = exitOrder(trades)
  let w = 0
  let l = 0
  let maxWins = 0
  let maxLosses = 0
  for (const i of order) {
    const p = trades[i]!.pnl
    if (p > 0) {
      w++
      l = 0
      if (w > maxWins) maxWins = w
    } else if (p < 0) {
      l++
      w = 0
      if (l > maxLosses) maxLosses = l
    } else {
      w = 0
      l = 0
    }
  }
  return { maxWins, maxLosses }
}

/** Trade indices by exit time (stable); the identity when already in that order. */
function exitOrder(trades: readonly TradeStat[]): number[] {
  const idx = trades.map((_, i) => i)
  let sorted = true
  for (let i = 1; i < trades.length; i++) {
    if (trades[i]!.exitTime < trades[i - 1]!.exitTime) {
      sorted = false
      break
    }
  }
  if (!sorted) idx.sort((a, b) => trades[a]!.exitTime - trades[b]!.exitTime || a - b)
  return idx
}

/** Bars covered by the union of [entryBar, exitBar] over the trades, within [0, bars). */
function barsInMarket(trades: readonly TradeStat[], bars: number): number {
  if (trades.length === 0 || bars === 0) return 0
  const spans = trades
    .map((t) => [Math.max(0, t.entryBar), Math.min(bars - 1, t.exitBar)] as const)
    .filter(([a, b]) => b >= a)
    .sort((x, y) => x[0] - y[0])
  let covered = 0
  let curA = -1
  let curB = -2
  for (const [a, b] of spans) {
    if (a > curB + 1) {
      if (curB >= curA) covered += curB - curA + 1
      curA = a
      curB = b
    } else if (b > curB) curB = b
  }
  if (curB >= curA) covered += curB - curA + 1
  return covered
}
