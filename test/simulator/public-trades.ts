import { floorTo, formatUnits, maxUnits, roundTo, unitsFromNumber, type Units } from './decimal'
import type { Market } from './markets'
import type { PriceSource } from './price-path'
import { hashNormal, hashUnit, stringKey } from './rng'

/**
 * The public tape: one synthetic trade per second at the path's price (the simulator's own
 * fills do not appear here). Trade ids count seconds since the listing, so any id or time range
 * can be generated directly and paging by `fromId` is exact.
 */
export interface PublicTrade {
  id: number
  time: number
  price: Units
  qty: Units
  buyerIsMaker: boolean
}

export class Tape {
  private readonly key: number
  private readonly firstSecond: number

  constructor(
    private readonly market: Market,
    private readonly src: PriceSource,
    private readonly seed: number,
    listedAt: number,
  ) {
    this.key = stringKey(market.symbol) ^ 0x7a9e
    this.firstSecond = Math.floor(listedAt / 1_000)
  }

  /** The trade with this id (trade `id` happens during second firstSecond + id). */
  trade(id: number): PublicTrade {
    const second = this.firstSecond + id
    const time = second * 1_000 + Math.floor(hashUnit(this.seed, this.key, 1, second) * 1_000)
    const m = this.market
    const size =
      (m.spec.volumePerMinute / 60) * Math.exp(0.8 * hashNormal(this.seed, this.key, 2, second) - 0.32)
    return {
      id,
      time,
      price: roundTo(unitsFromNumber(this.src.priceAt(time)), m.tick),
      qty: maxUnits(floorTo(unitsFromNumber(size), m.step), m.minQty),
      buyerIsMaker: hashUnit(this.seed, this.key, 3, second) < 0.5,
    }
  }

  /** Id of the last trade at or before `t` (-1 if none yet). */
  lastIdAt(t: number): number {
    let id = Math.floor(t / 1_000) - this.firstSecond
    if (id >= 0 && this.trade(id).time > t) id -= 1
    return id
  }

  /** Id of the first trade at or after `t`. */
  firstIdFrom(t: number): number {
    let id = Math.max(0, Math.floor(t / 1_000) - this.firstSecond)
    if (this.trade(id).time < t) id += 1
    return id
  }

  /** Trades with ids in [from, to], both clamped to what has happened by `now`. */
  range(from: number, to: number, now: number): PublicTrade[] {
    const last = Math.min(to, this.lastIdAt(now))
    const out: PublicTrade[] = []
    for (let id = Math.max(0, from); id <= last; id++) out.push(this.trade(id))
    return out
  }
}

/** GET /api/v3/aggTrades row (one trade per aggregate here). */
export function aggTradeJson(t: PublicTrade): Record<string, unknown> {
  return {
    a: t.id,
    p: formatUnits(t.price),
    q: formatUnits(t.qty),
    f: t.id,
    l: t.id,
    T: t.time,
    m: t.buyerIsMaker,
    M: true,
  }
}

/** GET /api/v3/trades row. */
export function tradeJson(t: PublicTrade): Record<string, unknown> {
  return {
    id: t.id,
    price: formatUnits(t.price),
    qty: formatUnits(t.qty),
    quoteQty: formatUnits((t.price * t.qty) / 100_000_000n),
    time: t.time,
    isBuyerMaker: t.buyerIsMaker,
    isBestMatch: true,
  }
}
