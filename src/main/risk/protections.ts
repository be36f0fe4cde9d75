import { Decimal } from '../trading/decimal'

/**
 * Protections per strategy (freqtrade's, with plain names): pure rules over a strategy's closed
 * trades that answer which locks apply now. A lock pauses the strategy's new entries on one
 * symbol (or on all: `symbol: '*'`) until `until`; exits are never locked. Edges follow
 * freqtrade's so a strategy ported from it behaves the same (docs/RISK.md "Protections"):
 *
 * - cooldown after a stop-loss: a symbol whose last exit was a stop-loss is locked for
 *   `cooldownMs` after that exit;
 * - stop-loss guard: `tradeLimit` or more stop-loss exits within `lookbackMs` (on the symbol, or
 *   on any with `perSymbol: false`) lock for `lockMs` from the last of them;
 * - drawdown pause: the drawdown of the equity curve (starting capital plus the closed P&L, in
 *   time order) over the trades closed within `lookbackMs`, as a share of its peak, strictly above
 *   `maxDrawdown` (with at least `tradeLimit` trades) locks everything for `lockMs`;
 * - low-profit pause: a symbol whose trades closed within `lookbackMs` (at least `tradeLimit`)
 *   sum to a profit ratio strictly below `requiredProfit` is locked for `lockMs`.
 *
 * Trades count when closed in (now - lookback, now]. Wired to strategies once they run live
 * (issue 16's engine): the strategy runner asks `activeLocks` before each entry.
 */

export interface ClosedTrade {
  symbol: string
  closedAt: number
  /** Net P&L in the strategy's currency (exact). */
  pnl: Decimal
  /** P&L over the entry's cost (0.02 = 2 %). */
  profitRatio: Decimal
  exitReason: 'stop_loss' | 'take_profit' | 'signal' | 'manual' | 'other'
}

export interface Lock {
  rule: 'cooldown' | 'stop_loss_guard' | 'drawdown_pause' | 'low_profit_pause'
  /** The symbol locked, or `*` for every symbol of the strategy. */
  symbol: string
  until: number
  reason: string
}

export type Protection =
  | { type: 'cooldown'; cooldownMs: number }
  | { type: 'stop_loss_guard'; lookbackMs: number; tradeLimit: number; lockMs: number; perSymbol: boolean }
  | {
      type: 'drawdown_pause'
      lookbackMs: number
      tradeLimit: number
      lockMs: number
      maxDrawdown: Decimal
      startingCapital: Decimal
    }
  | {
      type: 'low_profit_pause'
      lookbackMs: number
      tradeLimit: number
      lockMs: number
      requiredProfit: Decimal
    }

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`

/** The locks in force at `now` from each protection over the strategy's closed trades (any order). */
export function activeLocks(
  protections: readonly Protection[],
  trades: readonly ClosedTrade[],
  now: number,
): Lock[] {
  const sorted = [...trades].filter((t) => t.closedAt <= now).sort((a, b) => a.closedAt - b.closedAt)
  const locks: Lock[] = []
  for (const p of protections) {
    for (const lock of evaluate(p, sorted, now)) if (lock.until > now) locks.push(lock)
  }
  return locks
}

/** Whether an entry on `symbol` is locked now, and by which lock (the one lasting longest). */
export function entryLock(locks: readonly Lock[], symbol: string): Lock | null {
  let best: Lock | null = null
  for (const l of locks) {
    if ((l.symbol === '*' || l.symbol === symbol) && (!best || l.until > best.until)) best = l
  }
  return best
}

function evaluate(p: Protection, trades: readonly ClosedTrade[], now: number): Lock[] {
  switch (p.type) {
    case 'cooldown': {
      const last = new Map<string, ClosedTrade>()
      for (const t of trades) last.set(t.symbol, t)
      return [...last.values()]
        .filter((t) => t.exitReason === 'stop_loss')
        .map((t) => ({
          rule: 'cooldown',
          symbol: t.symbol,
          until: t.closedAt + p.cooldownMs,
          reason: `Cooldown after a stop-loss on ${t.symbol}: ${minutes(p.cooldownMs)}`,
        }))
    }
    case 'stop_loss_guard': {
      const recent = within(trades, now, p.lookbackMs).filter((t) => t.exitReason === 'stop_loss')
      const groups = p.perSymbol ? groupBy(recent) : new Map([['*', recent]])
      const out: Lock[] = []
      for (const [symbol, stops] of groups) {
        if (stops.length < p.tradeLimit) continue
        out.push({
          rule: 'stop_loss_guard',
          symbol,
          until: stops[stops.length - 1]!.closedAt + p.lockMs,
          reason: `Stop-loss guard: ${stops.length} stop-losses${symbol === '*' ? '' : ` on ${symbol}`} within ${minutes(p.lookbackMs)} (limit ${p.tradeLimit})`,
        })
      }
      return out
    }
    case 'drawdown_pause': {
      const recent = within(trades, now, p.lookbackMs)
      if (recent.length < p.tradeLimit) return []
      let equity = p.startingCapital
      let peak = equity
      let worst = Decimal.ZERO
      for (const t of recent) {
        equity = equity.plus(t.pnl)
        if (equity.gt(peak)) peak = equity
        if (peak.isPositive()) {
          const dd = peak.minus(equity).div(peak, 12, 'half_even')
          if (dd.gt(worst)) worst = dd
        }
      }
      if (!worst.gt(p.maxDrawdown)) return []
      return [
        {
          rule: 'drawdown_pause',
          symbol: '*',
          until: recent[recent.length - 1]!.closedAt + p.lockMs,
          reason: `Drawdown pause: ${worst.times(Decimal.parse('100')).toFixed(2)} % drawdown over ${minutes(p.lookbackMs)} (limit ${p.maxDrawdown.times(Decimal.parse('100')).toString()} %)`,
        },
      ]
    }
    case 'low_profit_pause': {
      const out: Lock[] = []
      for (const [symbol, ts] of groupBy(within(trades, now, p.lookbackMs))) {
        if (ts.length < p.tradeLimit) continue
        const profit = Decimal.sum(ts.map((t) => t.profitRatio))
        if (!profit.lt(p.requiredProfit)) continue
        out.push({
          rule: 'low_profit_pause',
          symbol,
          until: ts[ts.length - 1]!.closedAt + p.lockMs,
          reason: `Low-profit pause on ${symbol}: ${profit.times(Decimal.parse('100')).toFixed(2)} % over ${ts.length} trades (needs ${p.requiredProfit.times(Decimal.parse('100')).toString()} %)`,
        })
      }
      return out
    }
  }
}

function within(trades: readonly ClosedTrade[], now: number, lookbackMs: number): ClosedTrade[] {
  return trades.filter((t) => t.closedAt > now - lookbackMs && t.closedAt <= now)
}

function groupBy(trades: readonly ClosedTrade[]): Map<string, ClosedTrade[]> {
  const m = new Map<string, ClosedTrade[]>()
  for (const t of trades) {
    const list = m.get(t.symbol) ?? []
    list.push(t)
    m.set(t.symbol, list)
  }
  return m
}
