// The ticket's VaR preview: the 1-day 95 % historical VaR of one account's positions before and
// after an order, by the same definitions as risk.portfolio's historical method (simple daily
// returns of the aligned closes, the book's P&L Σ wᵢ rᵢ, empyrical's quantile via var.ts). Small
// enough (a year of days, a few assets) to run in the main process between keystrokes.
import type { PortfolioPosition } from './compute'
import { dailyReturns } from './returns'
import { historicalTail } from './var'

export interface OrderVarInput {
  currency: string
  positions: PortfolioPosition[]
  /** Aligned daily closes (as gather.ts makes them). */
  times: Float64Array
  history: { asset: string; closes: Float64Array }[]
}

export interface OrderVar {
  before: number | null
  after: number | null
  returns: number
  from: number | null
  to: number | null
  note: string
}

/** `order`: the asset bought (quantity positive) or sold (negative) at `price` in the currency. */
export function orderVar(
  input: OrderVarInput,
  order: { asset: string; quantity: number; price: number } | null,
): OrderVar {
  const nDays = input.times.length
  const n = nDays - 1
  const window = {
    returns: Math.max(0, n),
    from: nDays > 0 ? input.times[0]! : null,
    to: nDays > 0 ? input.times[nDays - 1]! : null,
  }
  if (n < 2) {
    return { before: null, after: null, ...window, note: 'no daily history for the assets held' }
  }
  const returns = dailyReturns(input.history, nDays)
  const exposures = (extra: typeof order): Map<string, number> => {
    const w = new Map<string, number>()
    for (const p of input.positions) {
      if (p.asset === input.currency) continue
      w.set(p.asset, (w.get(p.asset) ?? 0) + p.quantity * p.price)
    }
    if (extra && extra.asset !== input.currency)
      w.set(extra.asset, (w.get(extra.asset) ?? 0) + extra.quantity * extra.price)
    return w
  }
  const varOf = (w: Map<string, number>): { v: number; missing: string[] } => {
    const pnl = new Float64Array(n)
    const missing: string[] = []
    for (const [asset, wi] of w) {
      if (wi === 0) continue
      const r = returns.get(asset)
      if (!r) {
        missing.push(asset)
        continue
      }
      for (let t = 0; t < n; t++) pnl[t] = pnl[t]! + wi * r[t]!
    }
    // + 0: a flat book reads 0, not −0.
    return { v: historicalTail(pnl, n).var95 + 0, missing }
  }
  const before = varOf(exposures(null))
  const after = varOf(exposures(order))
  const gaps = [...new Set([...before.missing, ...after.missing])]
  const note =
    gaps.length > 0
      ? `no daily history for ${gaps.join(', ')}: left out`
      : `${n} daily returns of the account's positions in ${input.currency}`
  const orderGap = order !== null && after.missing.includes(order.asset)
  return { before: before.v, after: orderGap ? null : after.v, ...window, note }
}
