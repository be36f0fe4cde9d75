// Seeded standard normal draws, so a Monte Carlo run is the same every time for the same seed:
// Marsaglia and Tsang's ziggurat (128 layers; "The Ziggurat Method for Generating Random
// Variables", J. Stat. Software 5(8), 2000) over a xorshift32 generator seeded through
// splitmix32. Most draws cost one integer step, a table look-up and a multiplication, which is
// what lets 100,000 paths of 50 assets (5 million draws) fit the 200 ms budget; Box-Muller's
// log, sqrt and cos per pair took five times as long.

export interface NormalSource {
  /** Fills out[0..n) with independent standard normal draws. */
  fill(out: Float64Array, n: number): void
}

const M1 = 2147483648
const kn = new Float64Array(128)
const wn = new Float64Array(128)
const fn = new Float64Array(128)
{
  let dn = 3.442619855899
  let tn = dn
  const vn = 9.91256303526217e-3
  const q = vn / Math.exp(-0.5 * dn * dn)
  kn[0] = (dn / q) * M1
  kn[1] = 0
  wn[0] = q / M1
  wn[127] = dn / M1
  fn[0] = 1
  fn[127] = Math.exp(-0.5 * dn * dn)
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)))
    kn[i + 1] = (dn / tn) * M1
    tn = dn
    fn[i] = Math.exp(-0.5 * dn * dn)
    wn[i] = dn / M1
  }
}
const R = 3.442619855899

export function seededNormals(seed: number): NormalSource {
  // splitmix32 of the seed: a state that is never 0 (xorshift's fixed point).
  let x = (seed + 0x9e3779b9) | 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  let s = (x ^ (x >>> 16)) | 0 || 0x2545f491
  const next = (): number => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return s
  }
  // Uniform in (0, 1): never 0, so log(u) is finite.
  const uni = (): number => ((next() >>> 0) + 0.5) / 4294967296
  const tail = (hz: number, iz: number): number => {
    for (;;) {
      let xv = hz * wn[iz]!
      if (iz === 0) {
        let y: number
        do {
          xv = -Math.log(uni()) / R
          y = -Math.log(uni())
        } while (y + y < xv * xv)
        return hz > 0 ? R + xv : -R - xv
      }
      if (fn[iz]! + uni() * (fn[iz - 1]! - fn[iz]!) < Math.exp(-0.5 * xv * xv)) return xv
      hz = next()
      iz = hz & 127
      if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!
    }
  }
  return {
    fill(out, n) {
      for (let i = 0; i < n; i++) {
        // Inlined xorshift32 (the common case stays in this loop).
        s ^= s << 13
        s ^= s >>> 17
        s ^= s << 5
        const hz = s
        const iz = hz & 127
        out[i] = Math.abs(hz) < kn[iz]! ? hz * wn[iz]! : tail(hz, iz)
      }
    },
  }
}
