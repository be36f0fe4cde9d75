/**
 * Seeded randomness. Two flavours, both deterministic for a given seed:
 * - `hashUnit`/`hashNormal`: counter-based (a pure function of the seed and some integers), so
 *   any candle, book level or trade can be generated on its own, in any order, and always comes
 *   out the same. Market data uses these.
 * - `SeqRng`: a plain sequential generator (mulberry32) for things that happen in request order,
 *   such as probabilistic fault injection.
 */

/** murmur3's finaliser: a cheap, well-mixed 32-bit permutation. */
export function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Folds a non-negative integer up to 2^53 into the hash (both 32-bit halves). */
function fold(h: number, x: number): number {
  const lo = x >>> 0
  const hi = Math.floor(x / 4294967296) >>> 0
  h = fmix32((h ^ lo) + 0x9e3779b9)
  return hi === 0 ? h : fmix32((h ^ hi) + 0x7f4a7c15)
}

/** A 32-bit hash of a few integers (negative values are folded through their two's complement). */
export function hash32(a: number, b: number, c = 0, d = 0): number {
  let h = fold(0x2545f491, a < 0 ? a >>> 0 : a)
  h = fold(h, b < 0 ? b >>> 0 : b)
  h = fold(h, c < 0 ? c >>> 0 : c)
  return fold(h, d < 0 ? d >>> 0 : d)
}

/** Uniform in (0, 1), a pure function of its arguments. */
export function hashUnit(a: number, b: number, c = 0, d = 0): number {
  return (hash32(a, b, c, d) + 0.5) / 4294967296
}

/**
 * Approximately standard normal (Irwin–Hall with four uniforms: mean 0, variance 1, bounded by
 * ±3.46). Cheaper than Box–Muller and the missing tails do not matter for synthetic prices.
 */
export function hashNormal(a: number, b: number, c = 0, d = 0): number {
  return normalFrom(hash32(a, b, c, d))
}

/** The same approximate normal from an existing 32-bit hash (several draws from one hash). */
export function normalFrom(h1: number): number {
  const h2 = fmix32(h1 ^ 0x5bd1e995)
  const sum = (h1 & 0xffff) + (h1 >>> 16) + (h2 & 0xffff) + (h2 >>> 16)
  return (sum / 65536 - 2) * 1.7320508075688772
}

/** Stable small integer for a string (symbol names), so hashes differ per market. */
export function stringKey(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** Sequential seeded generator (mulberry32). */
export class SeqRng {
  private state: number

  constructor(seed: number) {
    this.state = fmix32(seed >>> 0) || 1
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
}
