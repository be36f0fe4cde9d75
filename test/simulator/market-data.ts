import { SyntheticBook, type BookSide, type Level } from './book'
import { DepthVersions } from './depth-versions'
import { barsAt, klineRow, nextOpen, selectOpens, type Bar, type KlineQuery, type KlineRow } from './klines'
import { toMarket, type Market, type MarketSpec } from './markets'
import { PricePath, PriceSource } from './price-path'
import { Tape } from './public-trades'
import { ticker24h } from './ticker'
import type { Units } from './decimal'

interface Listing {
  market: Market
  src: PriceSource
  book: SyntheticBook
  tape: Tape
  /**
   * Completed candles by "interval|open". A completed candle never changes: price overrides only
   * apply from the moment they are made, which is after it closed. Cleared with the overrides.
   */
  bars: Map<string, Bar>
  depth?: DepthVersions
}

/** Bound on cached candles per market (a few MB). */
const BAR_CACHE_MAX = 100_000

/**
 * Everything public about the markets: prices, candles, books, tape, tickers. Pure functions of
 * (seed, time) plus the price overrides tests apply, so the same seed serves the same history.
 */
export class MarketData {
  private readonly listings = new Map<string, Listing>()

  constructor(
    specs: readonly MarketSpec[],
    readonly seed: number,
    readonly listedAt: number,
  ) {
    for (const spec of specs) {
      const market = toMarket(spec)
      const src = new PriceSource(new PricePath(seed, spec))
      this.listings.set(spec.symbol, {
        market,
        src,
        book: new SyntheticBook(market, seed),
        tape: new Tape(market, src, seed, listedAt),
        bars: new Map(),
      })
    }
  }

  symbols(): string[] {
    return [...this.listings.keys()]
  }

  market(symbol: string): Market | undefined {
    return this.listings.get(symbol)?.market
  }

  markets(): Market[] {
    return [...this.listings.values()].map((l) => l.market)
  }

  private listing(symbol: string): Listing {
    const l = this.listings.get(symbol)
    if (!l) throw new Error(`unknown market ${symbol}`)
    return l
  }

  source(symbol: string): PriceSource {
    return this.listing(symbol).src
  }

  price(symbol: string, t: number): number {
    return this.listing(symbol).src.priceAt(t)
  }

  /** Book generation epoch: per second, or fixed while the price is frozen. */
  private epoch(l: Listing, t: number): number {
    return l.src.frozenSince(t) ?? Math.floor(t / 1_000)
  }

  levels(symbol: string, side: BookSide, t: number): Generator<Level> {
    const l = this.listing(symbol)
    return l.book.levels(side, l.src.priceAt(t), this.epoch(l, t))
  }

  book(symbol: string, t: number, depth: number): { bids: Level[]; asks: Level[] } {
    const l = this.listing(symbol)
    return l.book.snapshot(l.src.priceAt(t), this.epoch(l, t), depth)
  }

  /** Changes exactly when `book(symbol, t, ...)` does. */
  bookKey(symbol: string, t: number): string {
    const l = this.listing(symbol)
    return l.book.versionKey(l.src.priceAt(t), this.epoch(l, t))
  }

  /** The numbered book versions behind the diff depth stream and GET /depth's lastUpdateId. */
  depth(symbol: string): DepthVersions {
    const l = this.listing(symbol)
    l.depth ??= new DepthVersions(this, symbol)
    return l.depth
  }

  top(symbol: string, t: number): { bid: Level; ask: Level } {
    const { bids, asks } = this.book(symbol, t, 1)
    const bid = bids[0]
    const ask = asks[0]
    if (!bid || !ask) throw new Error(`empty book for ${symbol}`)
    return { bid, ask }
  }

  /** Best bid and ask prices only (cheaper than `top`, used by the matching passes). */
  quotes(symbol: string, t: number): { bid: Units; ask: Units } {
    const l = this.listing(symbol)
    const mid = l.src.priceAt(t)
    return { bid: l.book.bestBid(mid), ask: l.book.bestAsk(mid) }
  }

  klines(symbol: string, q: KlineQuery, now: number): KlineRow[] {
    const l = this.listing(symbol)
    const opens = selectOpens(q, now, this.listedAt)
    const key = (open: number) => `${q.interval}|${open}`
    const missing = opens.filter((o) => !l.bars.has(key(o)))
    const computed = new Map<number, Bar | undefined>()
    barsAt(l.src, l.market, this.seed, q.interval, missing, now).forEach((bar, i) =>
      computed.set(missing[i] ?? 0, bar),
    )
    if (l.bars.size > BAR_CACHE_MAX) l.bars.clear()
    const rows: KlineRow[] = []
    for (const open of opens) {
      const bar = l.bars.get(key(open)) ?? computed.get(open)
      if (!bar) continue
      if (nextOpen(q.interval, open) <= now) l.bars.set(key(open), bar)
      rows.push(klineRow(l.market, q.interval, open, bar))
    }
    return rows
  }

  ticker(symbol: string, now: number, mini = false): Record<string, unknown> {
    const l = this.listing(symbol)
    return ticker24h(
      { market: l.market, src: l.src, tape: l.tape, seed: this.seed, top: this.top(symbol, now), now },
      mini,
    )
  }

  tape(symbol: string): Tape {
    return this.listing(symbol).tape
  }

  resetOverrides(): void {
    for (const l of this.listings.values()) {
      l.src.reset()
      l.bars.clear()
    }
  }
}
