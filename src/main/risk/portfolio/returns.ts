/**
 * Daily simple returns (close-to-close, b / a - 1) of each asset whose closes cover every day
 * of the window and are all positive; an asset with a missing or non-positive close has none
 * rather than a return made up across the hole.
 */
export function dailyReturns(
  history: readonly { asset: string; closes: ArrayLike<number> }[],
  days: number,
): Map<string, Float64Array> {
  const n = days - 1
  const out = new Map<string, Float64Array>()
  if (n < 2) return out
  for (const { asset, closes } of history) {
    if (closes.length !== days) continue
    const r = new Float64Array(n)
    let ok = true
    for (let t = 0; t < n; t++) {
      const a = closes[t]!
      const b = closes[t + 1]!
      if (!(a > 0 && b > 0)) ok = false
      r[t] = b / a - 1
    }
    if (ok) out.set(asset, r)
  }
  return out
}
