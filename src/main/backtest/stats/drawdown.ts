// Drawdowns of an equity curve. The depth at a bar is (equity - running peak) / running peak, as
// empyrical's max_drawdown. A drawdown period runs from a bar at its running peak to the next
// bar back at a peak (or to the last bar if the curve never recovers), backtesting.py's
// definition; its duration is the time (and the bars) between those two bars and its depth the
// deepest point inside.

export interface Drawdowns {
  maxDrawdown: number
  maxDrawdownDuration: number
  maxDrawdownDurationBars: number
  avgDrawdown: number
  avgDrawdownDuration: number
  /** Number of drawdown periods. */
  periods: number
  /** Highest equity (the last running peak). */
  peak: number
}

export function drawdowns(time: Float64Array, equity: Float64Array): Drawdowns {
  const n = equity.length
  if (n < 1) {
    return {
      maxDrawdown: NaN,
      maxDrawdownDuration: NaN,
      maxDrawdownDurationBars: NaN,
      avgDrawdown: NaN,
      avgDrawdownDuration: NaN,
      periods: 0,
      peak: NaN,
    }
  }
  // Within a period the peak is fixed, so its deepest point is its lowest equity: one
  // division per period instead of one per bar.
  let peak = equity[0]!
  let peakBar = 0
  let low = peak
  let worst = 0
  let periods = 0
  let depthSum = 0
  let durationSum = 0
  let maxDuration = 0
  let maxBars = 0
  for (let i = 1; i < n; i++) {
    const v = equity[i]!
    if (v >= peak) {
      if (i > peakBar + 1) {
        // A period closes: from the last peak bar to this one.
        const depth = (low - peak) / peak
        if (depth < worst) worst = depth
        const d = time[i]! - time[peakBar]!
        periods++
        depthSum += depth
        durationSum += d
        if (d > maxDuration) maxDuration = d
        if (i - peakBar > maxBars) maxBars = i - peakBar
      }
      peak = v
      peakBar = i
      low = v
    } else if (v < low) low = v
  }
  if (peakBar < n - 1) {
    const depth = (low - peak) / peak
    if (depth < worst) worst = depth
    if (n - 1 > peakBar + 1) {
      // Not recovered at the end: the period runs to the last bar (as backtesting.py counts it:
      // one bar below the peak at the very end is not a period, though it counts in maxDrawdown).
      const d = time[n - 1]! - time[peakBar]!
      periods++
      depthSum += depth
      durationSum += d
      if (d > maxDuration) maxDuration = d
      if (n - 1 - peakBar > maxBars) maxBars = n - 1 - peakBar
    }
  }
  return {
    maxDrawdown: worst,
    maxDrawdownDuration: maxDuration,
    maxDrawdownDurationBars: maxBars,
    avgDrawdown: periods > 0 ? depthSum / periods : 0,
    avgDrawdownDuration: periods > 0 ? durationSum / periods : 0,
    periods,
    peak,
  }
}
