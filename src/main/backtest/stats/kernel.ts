// The per-bar passes behind computeMetrics, fused: the same sums in the same order as the
// returns functions in ./returns.ts (which state empyrical's definitions and are tested against
// its published values), so the results are bit for bit theirs (kernel.test.ts), in two
// passes over the returns instead of one or two per statistic, plus one for the cumulative log
// returns (within rounding of returns.ts's stability). Branches on the sign of a return are
// replaced by |d| arithmetic: a random sign mispredicts half the time.

// log(1 + x) for the cumulative log returns behind stability. Math.log1p is a library call
// (~12 ns); per-bar returns are nearly always small, where 2 atanh(x / (2 + x)) as a short odd
// series is within 2 ulp of it at a few ns. Larger |x| go to Math.log1p. For |x| <= 1/16,
// u = x/(2+x) is under 0.033, u^2 under 1.1e-3, and the first dropped term (u^2)^7/15 is under
// 1e-20 of the sum.
const LOG_SERIES_MAX = 0.0625
const C3 = 1 / 3
const C5 = 1 / 5
const C7 = 1 / 7
const C9 = 1 / 9
const C11 = 1 / 11
const C13 = 1 / 13

export function fastLog1p(x: number): number {
  if (x > LOG_SERIES_MAX || x < -LOG_SERIES_MAX) return Math.log1p(x)
  const u = x / (2 + x)
  const v = u * u
  return 2 * u * (1 + v * (C3 + v * (C5 + v * (C7 + v * (C9 + v * (C11 + v * C13))))))
}

export interface ReturnSums {
  /** Returns r[i] = equity[i+1]/equity[i] - 1 were written to `r`. */
  m: number
  /** Sum of (r - rf), of (r - required) and of r. */
  sumRf: number
  sumReq: number
  sum: number
}

/** Writes the per-bar returns into r and sums them (0 -> 0 counts as a 0 return). */
export function returnsAndSums(
  equity: Float64Array,
  r: Float64Array,
  rf: number,
  required: number,
): ReturnSums {
  const m = equity.length - 1
  let sum = 0
  let sumRf = 0
  let sumReq = 0
  let prev = equity[0]!
  for (let i = 0; i < m; i++) {
    const next = equity[i + 1]!
    const x = prev === 0 ? 0 : next / prev - 1
    r[i] = x
    sum += x
    sumRf += x - rf
    sumReq += x - required
    prev = next
  }
  return { m: Math.max(m, 0), sumRf, sumReq, sum }
}

export interface Spread {
  /** Sum of squared deviations of r and of r - rf from their means. */
  ss: number
  ssRf: number
  /** Sum of min(r - required, 0)^2. */
  downside: number
  /** Sums of the gains and losses of r - rf - threshold (Omega). */
  up: number
  down: number
}

/** Second pass: deviations, downside and Omega sums. */
export function spread(
  r: Float64Array,
  m: number,
  s: ReturnSums,
  rf: number,
  required: number,
  threshold: number,
): Spread {
  const mean = s.sum / m
  const meanRf = s.sumRf / m
  let ss = 0
  let ssRf = 0
  let downside = 0
  let up = 0
  let down = 0
  for (let i = 0; i < m; i++) {
    const x = r[i]!
    const d0 = x - mean
    ss += d0 * d0
    const d1 = x - rf - meanRf
    ssRf += d1 * d1
    const q = x - required
    const neg = (q - Math.abs(q)) * 0.5
    downside += neg * neg
    const o = x - rf - threshold
    const ao = Math.abs(o)
    up += (ao + o) * 0.5
    down += (ao - o) * 0.5
  }
  return { ss, ssRf, downside, up, down }
}

/** Cumulative log returns into y, returning their sum (a separate loop: fused with the
 *  spread sums it ran 3x slower). */
export function cumulativeLogs(r: Float64Array, m: number, y: Float64Array): number {
  let cum = 0
  let sum = 0
  for (let i = 0; i < m; i++) {
    const x = r[i]!
    // fastLog1p(x) written out: V8 does not inline the call here.
    // Literals, not the constants above: module constants are loaded on every use here (3x slower).
    if (x > 0.0625 || x < -0.0625) cum += Math.log1p(x)
    else {
      const u = x / (2 + x)
      const v = u * u
      cum +=
        2 *
        u *
        (1 +
          v *
            (0.3333333333333333 +
              v *
                (0.2 +
                  v *
                    (0.14285714285714285 +
                      v * (0.1111111111111111 + v * (0.09090909090909091 + v * 0.07692307692307693))))))
    }
    y[i] = cum
    sum += cum
  }
  return sum
}

/** empyrical's beta (population moments) and alpha (compounded) of r against the benchmark's
 *  per-bar returns, written to b; as returns.ts beta/alpha without NaN rows. */
export function alphaBeta(
  r: Float64Array,
  bench: Float64Array,
  m: number,
  rf: number,
  ppy: number,
  b: Float64Array,
): { alpha: number; beta: number } {
  if (m < 2) return { alpha: NaN, beta: NaN }
  let sb = 0
  let prev = bench[0]!
  for (let i = 0; i < m; i++) {
    const next = bench[i + 1]!
    const x = next / prev - 1
    b[i] = x
    sb += x
    prev = next
  }
  const mb = sb / m
  let cov = 0
  let v = 0
  for (let i = 0; i < m; i++) {
    const d = b[i]! - mb
    cov += d * r[i]!
    v += d * d
  }
  const variance = v / m
  const beta = variance < 1e-30 ? NaN : cov / m / variance
  let s = 0
  for (let i = 0; i < m; i++) s += r[i]! - rf - beta * (b[i]! - rf)
  return { alpha: Math.pow(1 + s / m, ppy) - 1, beta }
}
