// Sample moments of aligned return columns: means, the covariance matrix (n − 1), correlations,
// skewness and excess kurtosis, and the Cholesky factor the Monte Carlo draws correlated moves with.

/** Column means of k series of length n (series[i][t]). */
export function means(series: readonly Float64Array[], n: number): Float64Array {
  const m = new Float64Array(series.length)
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!
    let sum = 0
    for (let t = 0; t < n; t++) sum += s[t]!
    m[i] = n > 0 ? sum / n : NaN
  }
  return m
}

/** Sample covariance (divisor n − 1), k×k row-major. */
export function covariance(series: readonly Float64Array[], n: number, mu: Float64Array): Float64Array {
  const k = series.length
  const dev = series.map((s, i) => {
    const d = new Float64Array(n)
    const m = mu[i]!
    for (let t = 0; t < n; t++) d[t] = s[t]! - m
    return d
  })
  const cov = new Float64Array(k * k)
  for (let i = 0; i < k; i++) {
    const a = dev[i]!
    for (let j = 0; j <= i; j++) {
      const b = dev[j]!
      let sum = 0
      for (let t = 0; t < n; t++) sum += a[t]! * b[t]!
      const v = n > 1 ? sum / (n - 1) : NaN
      cov[i * k + j] = v
      cov[j * k + i] = v
    }
  }
  return cov
}

/** Correlations from a covariance matrix; an asset that never moved correlates 0 (1 with itself). */
export function correlation(cov: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k)
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const d = Math.sqrt(cov[i * k + i]! * cov[j * k + j]!)
      out[i * k + j] = i === j ? 1 : d > 0 ? cov[i * k + j]! / d : 0
    }
  return out
}

/**
 * Lower-triangular L with L·Lᵀ = cov (row-major k×k). A semi-definite matrix (an asset that never
 * moved, two that moved identically) gets a zero column where the pivot vanishes instead of NaN.
 */
export function cholesky(cov: Float64Array, k: number): Float64Array {
  const L = new Float64Array(k * k)
  let maxDiag = 0
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, cov[i * k + i]!)
  const eps = maxDiag * 1e-12
  for (let j = 0; j < k; j++) {
    let d = cov[j * k + j]!
    for (let p = 0; p < j; p++) d -= L[j * k + p]! ** 2
    if (d <= eps) continue
    const ljj = Math.sqrt(d)
    L[j * k + j] = ljj
    for (let i = j + 1; i < k; i++) {
      let s = cov[i * k + j]!
      for (let p = 0; p < j; p++) s -= L[i * k + p]! * L[j * k + p]!
      L[i * k + j] = s / ljj
    }
  }
  return L
}

/** Sample skewness and excess kurtosis (population moments, as scipy's defaults). */
export function shape(x: Float64Array, n: number): { skew: number; exKurt: number } {
  let m = 0
  for (let t = 0; t < n; t++) m += x[t]!
  m /= n
  let m2 = 0
  let m3 = 0
  let m4 = 0
  for (let t = 0; t < n; t++) {
    const d = x[t]! - m
    const d2 = d * d
    m2 += d2
    m3 += d2 * d
    m4 += d2 * d2
  }
  m2 /= n
  m3 /= n
  m4 /= n
  if (!(m2 > 0)) return { skew: 0, exKurt: 0 }
  return { skew: m3 / m2 ** 1.5, exKurt: m4 / (m2 * m2) - 3 }
}
