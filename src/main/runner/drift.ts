/**
 * The drift report of a run: the same bars replayed through the backtester (no fees, no
 * slippage, fills at the next bar's open: its plainest model) beside what the run did. Per bar
 * where either side ordered: the decision's order kinds on both sides and, where they differ,
 * why (not decided yet, refused by the order path or the risk engine with its message, no live
 * order: the run was paused, down, or decided otherwise). Per live fill: its price against the
 * model's (the open of the bar after the decision), as slippage in basis points (positive =
 * worse than the model); a fill decided on the newest bar waits for that open. And both
 * sides' P&L at the last close.
 */
import type { Fill } from '../../shared/domain/trading'
import type { CandleSeries } from '../indicators'
import { runBacktest } from '../backtest/engine'
import { parseSettings } from '../backtest/settings'
import type { BarState, StrategyInstance } from '../backtest/strategy'
import type { RunBook } from './ledger'
import type { IntentRow } from './store'

export interface DriftDecision {
  barTime: number
  backtest: string[]
  live: string[]
  status: 'same' | 'different' | 'rejected' | 'no_live_order' | 'not_decided_yet'
  why: string | null
}

export interface DriftFill {
  barTime: number
  clientOrderId: string
  side: 'buy' | 'sell'
  modelPrice: number
  livePrice: number
  slippageBps: number
}

export interface DriftReport {
  /** Bars replayed from the run's first live bar to the last closed one. */
  bars: number
  decisions: DriftDecision[]
  differing: number
  fills: DriftFill[]
  backtestPnl: number
  livePnl: number
  pnlDifference: number
}

export function driftReport(p: {
  instance: StrategyInstance
  symbol: string
  /** Warm-up and live bars, oldest first. */
  series: CandleSeries
  /** The first bar the run could decide on (after its warm-up). */
  firstLiveBar: number
  lastBarTime: number | null
  allocation: number
  intents: readonly IntentRow[]
  fills: readonly Fill[]
  book: RunBook
}): DriftReport {
  const decided = new Map<number, string[]>()
  const recording: StrategyInstance = {
    ...p.instance,
    decide: (bar: BarState) => {
      const orders = p.instance.decide(bar)
      if (orders.length > 0)
        decided.set(
          bar.time,
          orders.map((o) => o.type),
        )
      return orders
    },
  }
  const times = p.series.time
  const n = times.length
  let backtestPnl = 0
  let bars = 0
  for (let i = 0; i < n; i++) if (times[i]! >= p.firstLiveBar) bars++
  if (bars > 0) {
    const result = runBacktest(
      recording,
      [{ symbol: p.symbol, series: p.series }],
      parseSettings({
        cash: p.allocation,
        from: p.firstLiveBar,
      }),
    )
    const eq = result.equity.value
    backtestPnl = eq.length > 0 ? eq[eq.length - 1]! - p.allocation : 0
  }
  const live = new Map<number, IntentRow[]>()
  for (const i of p.intents) {
    if (i.barTime < p.firstLiveBar) continue
    const list = live.get(i.barTime) ?? []
    list.push(i)
    live.set(i.barTime, list)
  }
  const decisions: DriftDecision[] = []
  for (const t of [...new Set([...decided.keys(), ...live.keys()])].sort((a, b) => a - b)) {
    if (t < p.firstLiveBar) continue
    const bt = decided.get(t) ?? []
    const rows = live.get(t) ?? []
    const lv = rows.map((r) => r.kind)
    const rejected = rows.find((r) => r.status === 'rejected')
    let status: DriftDecision['status'] = 'same'
    let why: string | null = null
    if (rejected) {
      status = 'rejected'
      why = rejected.message
    } else if (rows.length === 0 && (p.lastBarTime === null || t > p.lastBarTime)) {
      status = 'not_decided_yet'
      why = 'the run has not decided on this bar yet'
    } else if (rows.length === 0) {
      status = 'no_live_order'
      why = 'no live order: the run was paused, down, or decided otherwise on this bar'
    } else if (bt.join() !== lv.join()) {
      status = 'different'
      why = rows.some((r) => r.status === 'skipped')
        ? `skipped live: ${rows
            .filter((r) => r.status === 'skipped')
            .map((r) => r.message)
            .join('; ')}`
        : 'the run decided otherwise'
    }
    decisions.push({ barTime: t, backtest: bt, live: lv, status, why })
  }
  const barOf = new Map(p.intents.map((i) => [i.clientOrderId, i.barTime]))
  const fills: DriftFill[] = []
  for (const f of [...p.fills].sort((a, b) => a.time - b.time)) {
    const t = f.clientOrderId ? barOf.get(f.clientOrderId) : undefined
    if (t === undefined) continue
    // The model fills a decision at the next bar's open.
    let k = 0
    while (k < n && times[k]! <= t) k++
    if (k >= n) continue
    const model = p.series.open[k]!
    const price = Number(f.price)
    const worse = f.side === 'buy' ? price - model : model - price
    fills.push({
      barTime: t,
      clientOrderId: f.clientOrderId!,
      side: f.side,
      modelPrice: model,
      livePrice: price,
      slippageBps: (worse / model) * 10_000,
    })
  }
  const last = n > 0 ? p.series.close[n - 1]! : NaN
  const pos = p.book.position.toNumber()
  const livePnl = p.book.realized.toNumber() + (pos === 0 ? 0 : pos * (last - p.book.entry.toNumber()))
  return {
    bars,
    decisions,
    differing: decisions.filter((d) => d.status !== 'same').length,
    fills,
    backtestPnl,
    livePnl,
    pnlDifference: livePnl - backtestPnl,
  }
}
