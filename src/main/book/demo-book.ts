import { fromUnits, plainDecimal, tickOfPlaces } from '../../shared/domain/book'
import type { DemoMarket } from '../demo'
import { fmix32, streamKey } from '../demo/rng'
import { DEMO_SYMBOL_SPECS, type DemoSymbolSpec } from '../demo/symbols'

/**
 * A simulated order book for a demo symbol, consistent with the demo's prices: a pure function of
 * (seed, symbol, time).
 *
 * - The mid is the demo's price at `now` (the last trade, rounded to the tick), exactly: the best
 *   bid and ask sit the same whole number of ticks below and above it, half of SPREAD_BPS each
 *   side and at least one tick, the spread paper trading fills at (trading/demo-prices.ts).
 * - Levels are dense at the touch and thin out with distance (offset in ticks grows with the
 *   square of the level's rank), up to about SPAN of the price, so every aggregation step up to
 *   about 1% of the price has levels to group.
 * - A level's size is keyed by its absolute price (so a level keeps its size while the mid moves
 *   past) and by a 2-second epoch (so sizes change as a real book's do), grows with distance, and
 *   is a whole number of the symbol's volume step (a power of two: every sum of sizes is exact).
 */
export const SPREAD_BPS = 2
const SPAN = 0.008
const SIZE_EPOCH_MS = 2_000

export interface DemoBook {
  time: number
  tick: string
  bids: [string, string][]
  asks: [string, string][]
}

export function specOf(symbol: string): DemoSymbolSpec | undefined {
  return DEMO_SYMBOL_SPECS.find((s) => s.symbol === symbol)
}

/** The demo's price at `now` as whole ticks (half-up), as paper trading rounds it. */
export function priceTicks(demo: DemoMarket, spec: DemoSymbolSpec, now: number): number {
  return Math.round(demo.quote(spec.symbol, now).last * 10 ** spec.pricePrecision)
}

/** Half the spread in whole ticks: SPREAD_BPS / 2 of the price, rounded up, at least one tick. */
export function halfSpreadTicks(lastTicks: number): number {
  return Math.max(1, Math.ceil((lastTicks * SPREAD_BPS) / 20_000))
}

export function demoBook(demo: DemoMarket, symbol: string, now: number, depth: number): DemoBook {
  const spec = specOf(symbol)
  if (!spec) throw new Error(`Unknown demo symbol: ${symbol}`)
  const places = spec.pricePrecision
  const last = priceTicks(demo, spec, now)
  const half = halfSpreadTicks(last)
  const span = Math.max(depth * 2, Math.round(last * SPAN))
  const epoch = Math.floor(now / SIZE_EPOCH_MS)
  const side = (sign: 1 | -1): [string, string][] => {
    const best = last + sign * half
    const levels: [string, string][] = []
    let offset = -1
    for (let i = 0; i < depth; i++) {
      const want = Math.round(span * (i / depth) ** 2)
      offset = Math.max(offset + 1, want)
      const ticks = sign === 1 ? best + offset : best - offset
      if (ticks <= 0) break
      levels.push([
        fromUnits(BigInt(ticks), places),
        plainDecimal(levelSize(demo.seed, spec, ticks, sign, epoch, offset / span)),
      ])
    }
    return levels
  }
  return { time: now, tick: tickOfPlaces(places), bids: side(-1), asks: side(1) }
}

/**
 * Size resting at one level: about 2% of a minute's volume at the touch, up to ~6x that far out,
 * with a heavy-ish tail; a whole number (>= 1) of volume steps.
 */
function levelSize(
  seed: number,
  spec: DemoSymbolSpec,
  ticks: number,
  sign: 1 | -1,
  epoch: number,
  distance: number,
): number {
  const level = streamKey(seed, spec.streamId, ticks, sign === 1 ? 1 : 2)
  const base = fmix32(level) / 4294967296
  const flicker = fmix32(streamKey(level, epoch, 3)) / 4294967296
  const scale = 0.02 * (1 + 5 * distance) * (0.25 + 1.5 * base ** 2 + 0.5 * flicker)
  const units = Math.max(1, Math.round((spec.baseVolume * scale) / spec.volumeStep))
  return units * spec.volumeStep
}
