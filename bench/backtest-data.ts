/** Seeded 1m random-walk bars as columns, for the backtest bench (no Candle objects). */
import type { CandleSeries } from '../src/main/indicators'

export function walkSeries(n: number, seed: number, price0 = 100): CandleSeries {
  let s = seed >>> 0 || 1
  const r = (): number => {
    // xorshift32: fast and reproducible
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4294967296
  }
  const out: CandleSeries = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
  let price = price0
  let drift = 0
  let vol = 0.001
  const t0 = Date.UTC(2024, 0, 1)
  for (let i = 0; i < n; i++) {
    if (i % 120 === 0) {
      drift = (r() - 0.5) * 0.0004
      vol = 0.0005 + r() * 0.002
    }
    const open = price
    const close = Math.max(0.01, open * (1 + drift + (r() - 0.5) * 2 * vol))
    out.time[i] = t0 + i * 60_000
    out.open[i] = open
    out.close[i] = close
    out.high[i] = Math.max(open, close) * (1 + r() * vol)
    out.low[i] = Math.min(open, close) * (1 - r() * vol)
    out.volume[i] = 1 + r() * 100
    price = close
  }
  return out
}
