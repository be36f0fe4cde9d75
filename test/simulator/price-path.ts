import { fmix32, hash32, normalFrom, stringKey } from './rng'
import type { MarketSpec } from './markets'

export const MINUTE = 60_000

/**
 * Number of noise octaves: periods of 1, 2, 4, ... 2^19 minutes (about a year). The amplitude of
 * each grows with the square root of its period, which gives Brownian-like scaling (moves over
 * N minutes grow like sqrt(N)) while staying bounded around the market's base price over the
 * long run, so a simulator left running for weeks does not drift to zero or infinity.
 */
const OCTAVES = 20

/**
 * Scale so that one-minute log returns have `sigmaPerMinute` standard deviation: with linear value
 * noise of amplitude a*sqrt(period), a one-minute change has variance 2a^2 from the one-minute
 * octave plus about 2a^2 from all slower ones together, so a = sigma / 2. (Measured: the ratio is
 * 1.00 and 1440-minute moves are about sqrt(1440) times larger; see price-path.test.ts.)
 */
const AMP_SCALE = 0.5

/**
 * A deterministic synthetic price path: a pure function of (seed, symbol, time). Every octave is
 * linear between lattice points that fall on whole minutes, so the path is piecewise linear per
 * minute: its extremes over any interval are at minute boundaries or at the interval's ends. That
 * keeps candles exact and cheap, and lets any stretch of history be generated on its own.
 */
export class PricePath {
  private readonly amps: Float64Array
  /** Per-octave salts: a lattice value is then a two-step hash of (salt, index), cheap enough for millions. */
  private readonly salts: Uint32Array
  private readonly logBase: number

  constructor(seed: number, spec: MarketSpec) {
    const key = stringKey(spec.symbol)
    this.logBase = Math.log(spec.basePrice)
    this.amps = new Float64Array(OCTAVES)
    this.salts = new Uint32Array(OCTAVES)
    for (let o = 0; o < OCTAVES; o++) {
      this.amps[o] = AMP_SCALE * spec.sigmaPerMinute * Math.sqrt(2 ** o)
      this.salts[o] = hash32(seed, key, o, 0x9a7)
    }
  }

  /** Log price at the minute boundaries m0, m0+1, ... (minutes since the Unix epoch). */
  logAtMinutes(m0: number, count: number): Float64Array {
    const out = new Float64Array(count).fill(this.logBase)
    for (let o = 0; o < OCTAVES; o++) {
      const period = 2 ** o
      const amp = this.amps[o] ?? 0
      const salt = this.salts[o] ?? 0
      const j0 = Math.floor(m0 / period)
      const j1 = Math.floor((m0 + count - 1) / period) + 1
      const lattice = new Float64Array(j1 - j0 + 1)
      // Minute indices stay below 2^32 until the year 10136, so one 32-bit mix per point suffices.
      for (let j = j0; j <= j1; j++) lattice[j - j0] = normalFrom(fmix32((salt ^ j) >>> 0))
      for (let i = 0; i < count; i++) {
        const x = (m0 + i) / period
        const j = Math.floor(x)
        const a = lattice[j - j0] ?? 0
        const b = lattice[j - j0 + 1] ?? 0
        out[i] = (out[i] ?? 0) + amp * (a + (b - a) * (x - j))
      }
    }
    return out
  }

  /** Log price at any instant (linear within the minute). */
  logAt(t: number): number {
    const m = t / MINUTE
    const m0 = Math.floor(m)
    const pair = this.logAtMinutes(m0, 2)
    const a = pair[0] ?? this.logBase
    const b = pair[1] ?? this.logBase
    return a + (b - a) * (m - m0)
  }
}

/** A manual change of a market's price from `from` on: pinned to a value, or shifted. */
export type PriceOverride =
  { from: number; kind: 'fixed'; price: number } | { from: number; kind: 'offset'; logOffset: number }

/**
 * The price of one market: the synthetic path plus any overrides tests or the operator applied
 * (`setPrice`). Overrides only affect times from the moment they were made, so history already
 * served stays as it was.
 */
export class PriceSource {
  private overrides: PriceOverride[] = []

  constructor(readonly path: PricePath) {}

  private overrideAt(t: number): PriceOverride | undefined {
    for (let i = this.overrides.length - 1; i >= 0; i--) {
      const o = this.overrides[i]
      if (o && o.from <= t) return o
    }
    return undefined
  }

  priceAt(t: number): number {
    const o = this.overrideAt(t)
    if (o?.kind === 'fixed') return o.price
    return Math.exp(this.path.logAt(t) + (o?.kind === 'offset' ? o.logOffset : 0))
  }

  /** Prices at minute boundaries m0.. with overrides applied. */
  minutePrices(m0: number, count: number): Float64Array {
    const logs = this.path.logAtMinutes(m0, count)
    const out = new Float64Array(count)
    for (let i = 0; i < count; i++) {
      const o = this.overrideAt((m0 + i) * MINUTE)
      const log = logs[i] ?? 0
      out[i] = o?.kind === 'fixed' ? o.price : Math.exp(log + (o?.kind === 'offset' ? o.logOffset : 0))
    }
    return out
  }

  /**
   * Moves the price to `price` at time `t`. Frozen: it stays exactly there (tests that need an
   * exact fill price use this). Not frozen: the path carries on from the new level.
   */
  setPrice(t: number, price: number, freeze: boolean): void {
    if (!(price > 0)) throw new Error(`price must be positive, got ${price}`)
    this.overrides.push(
      freeze
        ? { from: t, kind: 'fixed', price }
        : { from: t, kind: 'offset', logOffset: Math.log(price) - this.path.logAt(t) },
    )
  }

  /** Lets a frozen price move again from where it stands. */
  unfreeze(t: number): void {
    if (this.overrideAt(t)?.kind === 'fixed') this.setPrice(t, this.priceAt(t), false)
  }

  /** When the price is pinned, the time it was pinned (the book is then static too). */
  frozenSince(t: number): number | undefined {
    const o = this.overrideAt(t)
    return o?.kind === 'fixed' ? o.from : undefined
  }

  reset(): void {
    this.overrides = []
  }
}
