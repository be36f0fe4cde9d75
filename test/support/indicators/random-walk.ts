import type { CandleSeries } from '../../../src/main/indicators/core/series'

/** Deterministic pseudo-random numbers (mulberry32) for generated test and bench data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A random-walk candle series: valid bars (low <= open, close <= high), volume >= 0. */
export function randomWalk(n: number, seed: number, start = 100): CandleSeries {
  const r = rng(seed)
  const s: CandleSeries = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
  let price = start
  for (let i = 0; i < n; i++) {
    const open = price
    const close = Math.max(0.01, open * (1 + (r() - 0.5) * 0.02))
    const high = Math.max(open, close) * (1 + r() * 0.005)
    const low = Math.min(open, close) * (1 - r() * 0.005)
    s.time[i] = Date.UTC(2024, 0, 1) + i * 60_000
    s.open[i] = open
    s.high[i] = high
    s.low[i] = low
    s.close[i] = close
    s.volume[i] = Math.floor(r() * 1000)
    price = close
  }
  return s
}
