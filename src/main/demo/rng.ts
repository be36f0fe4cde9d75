/**
 * Counter-based randomness: every stream is keyed by integers such as (seed, symbol, day), so
 * any day or minute can be generated on its own, in any order, with the same numbers.
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean,
 * 32-bit integer arithmetic only, so identical on every JavaScript engine).
 */

const TWO_POW_M32 = 2.3283064365386963e-10

/** MurmurHash3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
export function fmix32(x: number): number {
  let h = x | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Folds integer keys (each taken modulo 2^32) into one 32-bit stream key; order matters. */
export function streamKey(a: number, b: number, c: number, d = 0): number {
  let h = fmix32(a ^ 0x9e3779b9)
  h = fmix32((h ^ b) + 0x7f4a7c15)
  h = fmix32((h ^ c) + 0x94d049bb)
  return fmix32((h ^ d) + 0x2545f491)
}

/** Splits a safe integer seed into two 32-bit words so seeds above 2^32 still differ. */
export function seedWords(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0]
}

export class Sfc32 {
  // State in an Int32Array: V8 stores its elements unboxed, where int32 object fields above
  // 2^30 would be boxed on every write (4x slower).
  private readonly s = new Int32Array(4)

  constructor(key: number) {
    // splitmix32 expands the key into the initial state; 12 discarded outputs decorrelate
    // streams whose keys differ in few bits.
    let x = key >>> 0
    for (let i = 0; i < 3; i++) {
      x = (x + 0x9e3779b9) | 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
      this.s[i] = z ^ (z >>> 15)
    }
    this.s[3] = 1
    for (let i = 0; i < 12; i++) this.nextU32()
  }

  /** A generator at an exact state (a, b, c, counter), for checking against a reference. */
  static fromState(a: number, b: number, c: number, d: number): Sfc32 {
    const rng = new Sfc32(0)
    rng.s.set([a, b, c, d])
    return rng
  }

  nextU32(): number {
    const s = this.s
    const a = s[0]!
    const b = s[1]!
    const c = s[2]!
    const d = s[3]!
    const t = (((a + b) | 0) + d) | 0
    s[0] = b ^ (b >>> 9)
    s[1] = (c + (c << 3)) | 0
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0
    s[3] = (d + 1) | 0
    return t >>> 0
  }

  /** Uniform on the open interval (0, 1): never 0, so `Math.log(u)` is always finite. */
  uniform(): number {
    return (this.nextU32() + 0.5) * TWO_POW_M32
  }

  /** Standard normal by Marsaglia's polar method (only `log` and `sqrt`: exact IEEE results). */
  normal(): number {
    for (;;) {
      const u = 2 * this.uniform() - 1
      const v = 2 * this.uniform() - 1
      const w = u * u + v * v
      if (w < 1) return u * Math.sqrt((-2 * Math.log(w)) / w)
    }
  }

  /**
   * Student-t with ν = 4, scaled to unit variance (a raw t₄ has variance ν/(ν−2) = 2).
   * Bailey's polar method: for (u, v) uniform in the unit disc, w = u² + v²,
   * t = u·√(ν(w^(−2/ν) − 1)/w); with ν = 4, w^(−1/2) needs only `sqrt`.
   */
  studentT4(): number {
    for (;;) {
      const u = 2 * this.uniform() - 1
      const v = 2 * this.uniform() - 1
      const w = u * u + v * v
      if (w < 1) {
        // √(2(w^(−1/2) − 1)/w) = r·√(2(r − 1)) with r = w^(−1/2): one division instead of two.
        const r = 1 / Math.sqrt(w)
        return u * r * Math.sqrt(2 * (r - 1))
      }
    }
  }
}

/**
 * P(|T| > t) for a raw (unscaled) Student-t with ν = 4. With θ = atan(t/2):
 * F(t) = ½ + ½·sin θ·(1 + ½cos²θ), so the two-sided tail is 1 − sin θ·(1 + ½cos²θ).
 */
export function t4TwoSidedTail(t: number): number {
  const s = t / Math.sqrt(4 + t * t)
  const c2 = 4 / (4 + t * t)
  return 1 - s * (1 + 0.5 * c2)
}

/**
 * E[min(z², cap)] for z a unit-variance t₄ (z = T/√2). Substituting T = 2 tan θ in the t₄
 * density (3/8)(1 + T²/4)^(−5/2) gives E[T²; |T| < s] = 2 sin³θₛ, so with s = √(2·cap):
 * E[min(z², cap)] = sin³θₛ + cap·P(|T| > s).
 */
export function t4CappedSecondMoment(cap: number): number {
  const s = Math.sqrt(2 * cap)
  const sin = s / Math.sqrt(4 + s * s)
  return sin * sin * sin + cap * t4TwoSidedTail(s)
}
