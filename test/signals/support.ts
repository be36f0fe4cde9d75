import type { Candle } from '../../src/shared/domain/candles'
import { nextBucket, type Timeframe } from '../../src/shared/domain/timeframes'
import { aggregateCandles } from '../../src/main/market/aggregate'

/** Deterministic numbers in [0, 1) for generated series (the indicator tests' generator). */
import { rng } from '../support/indicators/random-walk'

export { rng }

export const T0 = Date.UTC(2025, 0, 6)

/**
 * `n` valid 1m bars of a seeded random walk with drifting regimes (so trends, ranges and
 * volume bursts all occur), starting at `start` (a minute boundary). Volumes are integers.
 */
export function walk1m(n: number, seed: number, start = T0, price0 = 100): Candle[] {
  const r = rng(seed)
  const out: Candle[] = []
  let price = price0
  let drift = 0
  let vol = 0.001
  for (let i = 0; i < n; i++) {
    if (i % 120 === 0) {
      drift = (r() - 0.5) * 0.0008
      vol = 0.0005 + r() * 0.002
    }
    const open = price
    const close = Math.max(0.01, open * (1 + drift + (r() - 0.5) * 2 * vol))
    const high = Math.max(open, close) * (1 + r() * vol)
    const low = Math.min(open, close) * (1 - r() * vol)
    const burst = r() < 0.03 ? 5 : 1
    out.push({ time: start + i * 60_000, open, high, low, close, volume: Math.floor(r() * 1000 * burst) })
    price = close
  }
  return out
}

/** Complete bars of `tf` folded from 1m bars (a bucket still forming after the last minute is left out). */
export function completeBars(minutes: readonly Candle[], tf: Timeframe): Candle[] {
  if (tf === '1m') return [...minutes]
  const last = minutes.at(-1)
  if (!last) return []
  const end = last.time + 60_000
  const first = minutes[0]!.time
  // A bucket is complete when it opens at or after the first minute and closes by the last.
  return aggregateCandles(minutes, tf).filter((b) => b.time >= first && nextBucket(b.time, tf) <= end)
}

/** Every timeframe's complete bars from the same minutes. */
export function seriesOf(
  minutes: readonly Candle[],
  tfs: readonly Timeframe[],
): Partial<Record<Timeframe, Candle[]>> {
  const out: Partial<Record<Timeframe, Candle[]>> = {}
  for (const tf of tfs) out[tf] = completeBars(minutes, tf)
  return out
}

/** The bars of each series that have closed by `t`: what a live engine had seen at `t`. */
export function knownAt(
  series: Partial<Record<Timeframe, readonly Candle[]>>,
  t: number,
): Partial<Record<Timeframe, Candle[]>> {
  const out: Partial<Record<Timeframe, Candle[]>> = {}
  for (const [tf, bars] of Object.entries(series) as [Timeframe, readonly Candle[]][]) {
    out[tf] = bars.filter((b) => nextBucket(b.time, tf) <= t)
  }
  return out
}
