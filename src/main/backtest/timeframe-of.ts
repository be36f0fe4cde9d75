/** The timeframe of a run's bars, read from their spacing (the bars carry no timeframe). */
import { TIMEFRAMES, timeframeMs, type Timeframe } from '../../shared/domain/timeframes'

const DAY = 86_400_000

/**
 * The timeframe of evenly spaced bars: the smallest step between two bars (gaps only make steps
 * longer). Monthly bars step 28 to 31 days. Undefined when no timeframe fits (or one bar).
 */
export function inferTimeframe(time: Float64Array): Timeframe | undefined {
  let step = Infinity
  const n = Math.min(time.length, 5_000)
  for (let i = 1; i < n; i++) {
    const d = time[i]! - time[i - 1]!
    if (d > 0 && d < step) step = d
  }
  if (step === Infinity) return undefined
  if (step >= 28 * DAY && step <= 31 * DAY) return '1M'
  return TIMEFRAMES.find((tf) => tf !== '1M' && timeframeMs(tf) === step)
}
