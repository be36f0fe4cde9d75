// Portfolio risk of today's positions from aligned daily closes: exposure by asset, account and
// strategy; each asset's volatility and beta against the benchmark; the correlation matrix; VaR
// and ES by the three methods (var.ts) for 1 day and N days; component and marginal VaR per
// position; stress tests (stress.ts). Pure: the risk domain gathers positions and candles and runs
// this in a compute-pool worker (tasks.ts).
import { correlation, covariance, means, shape } from './matrix'
import { normalQuantile } from './normal'
import { cornishFisherTail, historicalTail, monteCarlo, normalTail, overlappingSums, type Tail } from './var'
import { dailyReturns } from './returns'
import { runStress, type StressResult, type StressScenario } from './stress'

export interface PortfolioPosition {
  account: string
  strategy: string | null
  symbol: string
  asset: string
  /** Signed amount of the asset (short negative). */
  quantity: number
  /** The asset's price in the valuation currency. */
  price: number
}

export interface PortfolioRiskInput {
  currency: string
  benchmark: string
  /** N of "N days". */
  horizonDays: number
  paths: number
  seed: number
  positions: PortfolioPosition[]
  /** Daily closes in the valuation currency, every column aligned on `times` (ms, ascending). */
  times: Float64Array
  history: { asset: string; closes: Float64Array }[]
  scenarios: StressScenario[]
}

export type VarMethod = 'historical' | 'normal' | 'cornish-fisher' | 'monte-carlo'

export interface MethodFigures {
  method: VarMethod
  oneDay: Tail
  nDays: Tail
  /** The history the figures were estimated from: first and last day, daily returns used. */
  window: { from: number; to: number; returns: number }
  note: string
}

export interface PositionRisk extends PortfolioPosition {
  key: string
  value: number
  /** d(VaR)/d(exposure): the 1-day normal VaR added per unit of currency more of this asset. */
  marginalVar95: number
  marginalVar99: number
  /** value × marginal; the components sum to the 1-day normal VaR. */
  componentVar95: number
  componentVar99: number
}

export interface PortfolioRisk {
  currency: string
  benchmark: string
  horizonDays: number
  paths: number
  exposure: {
    gross: number
    net: number
    byAsset: { key: string; value: number }[]
    byAccount: { key: string; value: number }[]
    byStrategy: { key: string; value: number }[]
  }
  assets: { asset: string; exposure: number; volDaily: number; volAnnual: number; beta: number | null }[]
  portfolio: { volDaily: number; volAnnual: number; beta: number | null; skew: number; exKurt: number }
  correlation: { assets: string[]; matrix: number[][] }
  methods: MethodFigures[]
  positions: PositionRisk[]
  stress: StressResult[]
  /** Assets held without enough history: in exposure and stress, left out of VaR. */
  withoutHistory: string[]
}

/** Crypto trades every day. */
const DAYS_PER_YEAR = 365

export function computePortfolioRisk(input: PortfolioRiskInput): PortfolioRisk {
  const { currency, horizonDays: h } = input
  if (!(Number.isInteger(h) && h >= 1))
    throw new RangeError(`horizonDays must be a whole number ≥ 1, got ${h}`)
  if (!(Number.isInteger(input.paths) && input.paths >= 1000))
    throw new RangeError(`paths must be ≥ 1000, got ${input.paths}`)
  const positions = input.positions.map((p) => ({
    ...p,
    key: `${p.account}:${p.symbol}`,
    value: p.quantity * p.price,
  }))
  const exposure = exposureOf(positions)

  // Returns of every asset with a full column (and of the benchmark), aligned.
  const nDays = input.times.length
  const n = nDays - 1
  const returns = dailyReturns(input.history, nDays)
  const held = [
    ...new Set(positions.filter((p) => p.asset !== currency && p.value !== 0).map((p) => p.asset)),
  ]
  const assets = held.filter((a) => returns.has(a))
  const withoutHistory = held.filter((a) => !returns.has(a))
  const k = assets.length
  const w = new Float64Array(k)
  for (const p of positions) {
    const i = assets.indexOf(p.asset)
    if (i >= 0) w[i] = w[i]! + p.value
  }
  const cols = assets.map((a) => returns.get(a)!)
  const mu = means(cols, n)
  const cov = covariance(cols, n, mu)

  // The book's daily P&L over the window.
  const pnl = new Float64Array(Math.max(0, n))
  for (let i = 0; i < k; i++) {
    const c = cols[i]!
    const wi = w[i]!
    for (let t = 0; t < n; t++) pnl[t] = pnl[t]! + wi * c[t]!
  }
  let muP = 0
  let varP = 0
  for (let i = 0; i < k; i++) {
    muP += w[i]! * mu[i]!
    for (let j = 0; j < k; j++) varP += w[i]! * w[j]! * cov[i * k + j]!
  }
  const sigmaP = Math.sqrt(Math.max(0, varP))
  const { skew, exKurt } = n > 0 ? shape(pnl, n) : { skew: 0, exKurt: 0 }

  const window = { from: input.times[0] ?? NaN, to: input.times[nDays - 1] ?? NaN, returns: Math.max(0, n) }
  const methods: MethodFigures[] = []
  if (k > 0 && n >= 2) {
    const sums = overlappingSums(pnl, n, h)
    methods.push({
      method: 'historical',
      oneDay: historicalTail(pnl, n),
      nDays: sums.length >= 2 ? historicalTail(sums, sums.length) : nanTail(),
      window,
      note: `${n} daily P&Ls; ${sums.length} overlapping ${h}-day sums`,
    })
    methods.push({
      method: 'normal',
      oneDay: normalTail(muP, sigmaP),
      nDays: normalTail(muP * h, sigmaP * Math.sqrt(h)),
      window,
      note: 'mean and covariance of daily returns; N days: mean ×N, deviation ×√N',
    })
    methods.push({
      method: 'cornish-fisher',
      oneDay: cornishFisherTail(muP, sigmaP, skew, exKurt),
      nDays: cornishFisherTail(muP * h, sigmaP * Math.sqrt(h), skew / Math.sqrt(h), exKurt / h),
      window,
      note: `skewness ${skew.toFixed(2)}, excess kurtosis ${exKurt.toFixed(2)} of the daily P&L; N days: ÷√N, ÷N`,
    })
    const mc = monteCarlo(w, mu, cov, { paths: input.paths, seed: input.seed, horizon: h })
    methods.push({
      method: 'monte-carlo',
      oneDay: mc.oneDay,
      nDays: mc.nDays,
      window,
      note: `${input.paths.toLocaleString('en-US')} correlated normal paths (Cholesky), seed ${input.seed}`,
    })
  }

  // Euler allocation of the 1-day normal VaR: marginal_i = −μ_i − z·(Σw)_i / σ_p.
  const sw = new Float64Array(k)
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sw[i] = sw[i]! + cov[i * k + j]! * w[j]!
  const z95 = normalQuantile(0.05)
  const z99 = normalQuantile(0.01)
  const marginal = (i: number, z: number): number => (sigmaP > 0 ? -mu[i]! - (z * sw[i]!) / sigmaP : 0)
  const posRisk: PositionRisk[] = positions.map((p) => {
    const i = assets.indexOf(p.asset)
    const m95 = i >= 0 ? marginal(i, z95) : 0
    const m99 = i >= 0 ? marginal(i, z99) : 0
    return {
      ...p,
      marginalVar95: m95,
      marginalVar99: m99,
      componentVar95: p.value * m95,
      componentVar99: p.value * m99,
    }
  })

  // Volatility and beta against the benchmark (its own column whether held or not).
  const bench = returns.get(input.benchmark)
  const betaOf = (x: Float64Array): number | null => (bench ? beta(x, bench, n) : null)
  const assetRows = assets.map((a, i) => {
    const vd = Math.sqrt(cov[i * k + i]!)
    return {
      asset: a,
      exposure: w[i]!,
      volDaily: vd,
      volAnnual: vd * Math.sqrt(DAYS_PER_YEAR),
      beta: betaOf(cols[i]!),
    }
  })
  const gross = exposure.gross
  const portfolioReturns = new Float64Array(Math.max(0, n))
  if (gross > 0) for (let t = 0; t < n; t++) portfolioReturns[t] = pnl[t]! / gross
  const volP = gross > 0 ? sigmaP / gross : 0

  const corr = correlation(cov, k)
  const matrix = assets.map((_, i) => Array.from(corr.subarray(i * k, i * k + k)))

  return {
    currency,
    benchmark: input.benchmark,
    horizonDays: h,
    paths: input.paths,
    exposure,
    assets: assetRows,
    portfolio: {
      volDaily: volP,
      volAnnual: volP * Math.sqrt(DAYS_PER_YEAR),
      beta: gross > 0 && n >= 2 ? betaOf(portfolioReturns) : null,
      skew,
      exKurt,
    },
    correlation: { assets, matrix },
    methods,
    positions: posRisk,
    stress: input.scenarios.map((s) => runStress(s, positions, currency)),
    withoutHistory,
  }
}

/** cov(x, b) / var(b) over n values; null when the benchmark never moved. */
export function beta(x: Float64Array, b: Float64Array, n: number): number | null {
  let mx = 0
  let mb = 0
  for (let t = 0; t < n; t++) {
    mx += x[t]!
    mb += b[t]!
  }
  mx /= n
  mb /= n
  let c = 0
  let v = 0
  for (let t = 0; t < n; t++) {
    const db = b[t]! - mb
    c += (x[t]! - mx) * db
    v += db * db
  }
  return v > 0 ? c / v : null
}

function exposureOf(
  positions: readonly { account: string; strategy: string | null; asset: string; value: number }[],
): PortfolioRisk['exposure'] {
  const group = (key: (p: (typeof positions)[number]) => string): { key: string; value: number }[] => {
    const m = new Map<string, number>()
    for (const p of positions) m.set(key(p), (m.get(key(p)) ?? 0) + p.value)
    return [...m]
      .map(([k, value]) => ({ key: k, value }))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
  }
  let gross = 0
  let net = 0
  for (const p of positions) {
    gross += Math.abs(p.value)
    net += p.value
  }
  return {
    gross,
    net,
    byAsset: group((p) => p.asset),
    byAccount: group((p) => p.account),
    byStrategy: group((p) => p.strategy ?? 'manual'),
  }
}

function nanTail(): Tail {
  return { var95: NaN, es95: NaN, var99: NaN, es99: NaN }
}
