import { Sfc32 } from './rng'

/**
 * The path of the price inside one minute, for the live forming bar. The price is held for a
 * tick of TICK_MS, so at time τ into the minute it is the value of tick ⌊τ / TICK_MS⌋.
 *
 * The path is built from the closed bar and a per-minute random stream, so it is a pure
 * function of (seed, symbol, minute): tick 0 trades at the open, the last tick at the close,
 * and the high and the low are each touched at one random interior tick (unless the open or
 * close already is the extreme). Between those knots it is a Brownian bridge reflected into
 * [low, high] and rounded to the price precision, so running max/min over the whole minute are
 * exactly the bar's high/low. Volume accrues with random (exponential) weights per tick and is
 * floored to the volume step, reaching exactly the bar's volume on the last tick. Hence the
 * forming bar at the minute's last millisecond equals the closed bar.
 */
export const TICK_MS = 250
export const TICKS_PER_MINUTE = 60_000 / TICK_MS

/** The forming 1m bar after each tick. */
export interface MinutePath {
  readonly price: Float64Array
  readonly high: Float64Array
  readonly low: Float64Array
  readonly volume: Float64Array
}

export function newMinutePath(): MinutePath {
  return {
    price: new Float64Array(TICKS_PER_MINUTE),
    high: new Float64Array(TICKS_PER_MINUTE),
    low: new Float64Array(TICKS_PER_MINUTE),
    volume: new Float64Array(TICKS_PER_MINUTE),
  }
}

export interface ClosedMinute {
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/** Noise of each tick relative to the bar's range / √ticks: enough to wander, rarely clamped. */
const WIGGLE = 0.3

export function buildMinutePath(
  bar: ClosedMinute,
  priceScale: number,
  volumeStep: number,
  key: number,
  out: MinutePath,
): void {
  const K = TICKS_PER_MINUTE
  const rng = new Sfc32(key)
  const { open, high, low, close } = bar
  const price = out.price

  // Knots: (0, open), the interior extremes in time order, (K − 1, close).
  const knotTick: number[] = [0]
  const knotPrice: number[] = [open]
  const needHigh = high > Math.max(open, close)
  const needLow = low < Math.min(open, close)
  const tHigh = 1 + Math.floor(rng.uniform() * (K - 2))
  let tLow = 1 + Math.floor(rng.uniform() * (K - 2))
  if (tLow === tHigh) tLow = tHigh < K - 2 ? tHigh + 1 : tHigh - 1
  if (needHigh && needLow) {
    knotTick.push(Math.min(tHigh, tLow), Math.max(tHigh, tLow))
    knotPrice.push(tHigh < tLow ? high : low, tHigh < tLow ? low : high)
  } else if (needHigh) {
    knotTick.push(tHigh)
    knotPrice.push(high)
  } else if (needLow) {
    knotTick.push(tLow)
    knotPrice.push(low)
  }
  knotTick.push(K - 1)
  knotPrice.push(close)

  const sigma = (WIGGLE * (high - low)) / Math.sqrt(K)
  for (let k = 0; k + 1 < knotTick.length; k++) {
    const t0 = knotTick[k]!
    const t1 = knotTick[k + 1]!
    const p0 = knotPrice[k]!
    const p1 = knotPrice[k + 1]!
    const n = t1 - t0
    // Random walk w over the segment, then subtract the straight line to its end: a bridge.
    let w = 0
    for (let j = 1; j < n; j++) {
      // Irwin–Hall(3) scaled to unit variance: a cheap, bounded stand-in for a normal.
      w += sigma * 2 * (rng.uniform() + rng.uniform() + rng.uniform() - 1.5)
      price[t0 + j] = w
    }
    const wEnd = w + sigma * 2 * (rng.uniform() + rng.uniform() + rng.uniform() - 1.5)
    price[t0] = p0
    for (let j = 1; j < n; j++) {
      const frac = j / n
      let p = p0 + (p1 - p0) * frac + price[t0 + j]! - wEnd * frac
      // Reflect off the bar's extremes (clamping alone would leave flat stretches at them).
      if (p > high) p = 2 * high - p
      if (p < low) p = 2 * low - p
      if (p > high) p = high
      price[t0 + j] = Math.round(p * priceScale) / priceScale
    }
  }
  price[K - 1] = close

  // Running extremes and accrued volume.
  let hi = open
  let lo = open
  let totalWeight = 0
  const weight = out.volume
  for (let k = 0; k < K; k++) {
    const p = price[k]!
    if (p > hi) hi = p
    if (p < lo) lo = p
    out.high[k] = hi
    out.low[k] = lo
    totalWeight += -Math.log(rng.uniform())
    weight[k] = totalWeight
  }
  const units = bar.volume / volumeStep
  for (let k = 0; k < K; k++) {
    // Divide first: weight[K − 1] / totalWeight is exactly 1, so the last tick carries exactly
    // the bar's volume (units · w / total could round below it).
    weight[k] = Math.floor(units * (weight[k]! / totalWeight)) * volumeStep
  }
}
