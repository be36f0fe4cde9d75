import { floorTo, maxUnits, unitsFromNumber, type Units } from './decimal'
import type { Market } from './markets'
import { hashUnit, stringKey } from './rng'

export interface Level {
  price: Units
  qty: Units
}

export type BookSide = 'bids' | 'asks'

/** Mean gap between levels as a fraction of the price (0.2 basis points). */
const GAP_FRACTION = 0.00002

/**
 * A synthetic order book around the current price: best bid at the price rounded down to the
 * tick, best ask one tick above (Binance's liquid pairs trade at a one-tick spread), deeper levels
 * spaced a few ticks apart with quantities growing with depth. Levels are a pure function of
 * (seed, market, side, depth index, epoch); the epoch changes every second, or never while the
 * price is frozen, so a test can read the book and then trade against exactly what it read.
 * The book is not depleted by the simulator's own fills (each order sees a fresh book).
 */
export class SyntheticBook {
  private readonly key: number

  constructor(
    private readonly market: Market,
    private readonly seed: number,
  ) {
    this.key = stringKey(market.symbol)
  }

  bestBid(mid: number): Units {
    return maxUnits(floorTo(unitsFromNumber(mid), this.market.tick), this.market.tick)
  }

  bestAsk(mid: number): Units {
    return this.bestBid(mid) + this.market.tick
  }

  private meanGap(mid: number): number {
    return Math.max(1, Math.round((mid * GAP_FRACTION) / Number(this.market.tick) / 1e-8))
  }

  /** Equal keys mean equal books: the levels depend on the best bid, the gap scale and the epoch only. */
  versionKey(mid: number, epoch: number): string {
    return `${this.bestBid(mid)}|${this.meanGap(mid)}|${epoch}`
  }

  /** Levels outward from the top, generated lazily (a market order may walk far). */
  *levels(side: BookSide, mid: number, epoch: number): Generator<Level> {
    const m = this.market
    const tick = m.tick
    const meanGap = this.meanGap(mid)
    const sideKey = this.key ^ (side === 'bids' ? 0x1b873593 : 0x68e31da4)
    let price = side === 'bids' ? this.bestBid(mid) : this.bestAsk(mid)
    for (let i = 0; ; i++) {
      if (i > 0) {
        const gap = BigInt(Math.max(1, Math.round(meanGap * (0.5 + hashUnit(this.seed, sideKey, i, epoch)))))
        price = side === 'bids' ? price - gap * tick : price + gap * tick
      }
      if (price <= 0n) return
      const size =
        m.spec.levelQty * (0.2 + 1.6 * hashUnit(this.seed, sideKey ^ 0x2f, i, epoch)) * (1 + i / 30)
      yield { price, qty: maxUnits(floorTo(unitsFromNumber(size), m.step), m.minQty) }
    }
  }

  snapshot(mid: number, epoch: number, depth: number): { bids: Level[]; asks: Level[] } {
    return {
      bids: take(this.levels('bids', mid, epoch), depth),
      asks: take(this.levels('asks', mid, epoch), depth),
    }
  }
}

function take(gen: Generator<Level>, n: number): Level[] {
  const out: Level[] = []
  for (const level of gen) {
    if (out.length >= n) break
    out.push(level)
  }
  return out
}
