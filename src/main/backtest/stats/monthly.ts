// Calendar returns (UTC), compounded within each month or year as empyrical's aggregate_returns.
import type { MonthlyReturn } from './types'

/** Monthly returns of an equity curve: for each month holding at least one bar after the
 *  first, its last equity over the last equity before it (the first bar's for the first month)
 *  minus 1. */
export function monthlyReturns(time: Float64Array, equity: Float64Array): MonthlyReturn[] {
  const out: MonthlyReturn[] = []
  const n = equity.length
  if (n < 2) return out
  let base = equity[0]!
  // Times are sorted: each month's last bar is found by binary search, not by visiting bars.
  for (let i = 1; i < n;) {
    const at = monthOf(time[i]!)
    const j = firstAtOrAfter(time, at.end, i, n)
    const last = equity[j - 1]!
    out.push({ year: at.year, month: at.month, return: last / base - 1 })
    base = last
    i = j
  }
  return out
}

/** The first index in [from, to) whose time is >= t (to if none); times sorted. */
export function firstAtOrAfter(time: Float64Array, t: number, from: number, to: number): number {
  let lo = from
  let hi = to
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (time[mid]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** empyrical.aggregate_returns(returns, 'monthly' | 'yearly') for returns stamped with `time`:
 *  prod(1 + r) - 1 within each calendar month or year (NaN returns count as 0). */
export function aggregateReturns(
  time: ArrayLike<number>,
  returns: ArrayLike<number>,
  by: 'monthly' | 'yearly',
): number[] {
  const out: number[] = []
  let key = NaN
  let p = 1
  for (let i = 0; i < returns.length; i++) {
    const d = new Date(time[i]!)
    const k = by === 'monthly' ? d.getUTCFullYear() * 12 + d.getUTCMonth() : d.getUTCFullYear()
    if (k !== key) {
      if (i > 0) out.push(p - 1)
      key = k
      p = 1
    }
    const r = returns[i]!
    if (r === r) p *= 1 + r
  }
  if (returns.length > 0) out.push(p - 1)
  return out
}

function monthOf(t: number): { year: number; month: number; end: number } {
  const d = new Date(t)
  const year = d.getUTCFullYear()
  const m = d.getUTCMonth()
  return { year, month: m + 1, end: Date.UTC(year, m + 1, 1) }
}
