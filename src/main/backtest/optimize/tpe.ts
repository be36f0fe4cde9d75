/**
 * Model-based search: a Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kégl,
 * "Algorithms for Hyper-Parameter Optimization", 2011; the estimator hyperopt and optuna use),
 * small, seeded and pure. No npm library fits: `hyperparameters` (the one JS port of hyperopt)
 * ships grid and random search only.
 *
 * It searches the same grid as `grid` and `random` (each range's values by its step, the
 * constraints kept), so every set it tries is one a grid would try:
 * - the first `startup` sets (default 10) are drawn at random among the untried points;
 * - then the sets scored so far are split into the best `gamma` share (at most 25) and the
 *   rest; per parameter, a Parzen mixture of truncated normals over the grid's index (one
 *   kernel per set, bandwidth from the distance to its neighbours as in hyperopt, plus a wide
 *   prior kernel) models each group, `l` for the good and `g` for the rest;
 * - `candidates` points (default 24) are drawn from `l` (each parameter independently, rounded
 *   to the grid), and the untried one meeting the constraints with the largest
 *   `Σ log l(x) - log g(x)` is proposed. None left: a random untried point.
 * Larger scores are better; NaN counts as the worst. The same seed and the same scores give the
 * same proposals (mulberry32 draws, no clock, a fixed order of operations).
 */
import { gridSets, random, rangeValues, type Constraint, type ParamRange } from './space'

export interface TpeOptions {
  /** Sets to try at most (fewer when the constrained grid has fewer points). */
  trials: number
  seed?: number
  /** Random sets before the model is used (default 10). */
  startup?: number
  /** Share of the scored sets taken as good (default 0.25; at most 25 sets). */
  gamma?: number
  /** Candidates drawn from the good model per proposal (default 24). */
  candidates?: number
}

/** Grids up to this many points are listed (exact count, exact random draws); larger are sampled. */
const LISTED = 200_000

interface Kernel {
  mu: number
  sigma: number
  w: number
}

export class Tpe {
  /** Sets this search will try: the trials, or every point of a smaller constrained grid. */
  readonly total: number
  private readonly values: number[][]
  private readonly rng: () => number
  private readonly startup: number
  private readonly gamma: number
  private readonly candidates: number
  /** Index keys of every set proposed. */
  private readonly tried = new Set<string>()
  private readonly scored: { idx: number[]; score: number }[] = []
  /** Index of each proposed set by its parameters' key. */
  private readonly byParams = new Map<string, number[]>()
  /** The constrained grid as index vectors, when small enough to list. */
  private readonly listed: number[][] | null
  private proposedCount = 0

  constructor(
    private readonly ranges: readonly ParamRange[],
    private readonly constraints: readonly Constraint[],
    opts: TpeOptions,
  ) {
    this.values = ranges.map(rangeValues)
    this.rng = random(opts.seed ?? 1)
    this.startup = Math.max(1, opts.startup ?? 10)
    this.gamma = opts.gamma ?? 0.25
    this.candidates = Math.max(1, opts.candidates ?? 24)
    const size = this.values.reduce((n, v) => n * v.length, 1)
    if (size <= LISTED) {
      const pos = this.values.map((v) => new Map(v.map((x, i) => [x, i])))
      this.listed = gridSets(ranges, constraints).map((s) => ranges.map((r, d) => pos[d]!.get(s[r.name]!)!))
      this.total = Math.min(opts.trials, this.listed.length)
    } else {
      this.listed = null
      this.total = opts.trials
    }
  }

  /** Up to `n` new sets (fewer at the end, none when the search is done). */
  propose(n: number): Record<string, number>[] {
    const out: Record<string, number>[] = []
    while (out.length < n && this.proposedCount < this.total) {
      const idx =
        this.proposedCount < this.startup || this.scored.length === 0
          ? this.randomUntried()
          : this.fromModel()
      if (!idx) break
      this.proposedCount++
      this.tried.add(idx.join(','))
      const set = this.setOf(idx)
      this.byParams.set(this.paramsKey(set), idx)
      out.push(set)
    }
    return out
  }

  /** The score of a proposed set (larger is better; NaN and -Infinity are the worst). */
  tell(params: Record<string, number>, score: number): void {
    const idx = this.byParams.get(this.paramsKey(params))
    if (!idx) throw new Error(`tpe: ${JSON.stringify(params)} was not proposed`)
    this.scored.push({ idx, score: score === score ? score : -Infinity })
  }

  private setOf(idx: readonly number[]): Record<string, number> {
    const set: Record<string, number> = {}
    this.ranges.forEach((r, d) => (set[r.name] = this.values[d]![idx[d]!]!))
    return set
  }

  private paramsKey(set: Record<string, number>): string {
    return this.ranges.map((r) => set[r.name]).join(',')
  }

  private ok(idx: readonly number[]): boolean {
    if (this.tried.has(idx.join(','))) return false
    if (this.constraints.length === 0) return true
    const set = this.setOf(idx)
    return this.constraints.every((c) => c(set))
  }

  /** A uniformly drawn untried point meeting the constraints, or null when none is left. */
  private randomUntried(): number[] | null {
    if (this.listed) {
      // Mostly untried: a few draws find one; near the end, the untried are listed.
      for (let k = 0; k < 32; k++) {
        const p = this.listed[Math.floor(this.rng() * this.listed.length)]
        if (p && !this.tried.has(p.join(','))) return p
      }
      const left = this.listed.filter((p) => !this.tried.has(p.join(',')))
      return left.length === 0 ? null : left[Math.floor(this.rng() * left.length)]!
    }
    for (let k = 0; k < 10_000; k++) {
      const idx = this.values.map((v) => Math.floor(this.rng() * v.length))
      if (this.ok(idx)) return idx
    }
    return null
  }

  private fromModel(): number[] | null {
    // Stable: equal scores keep the order they were told in.
    const order = this.scored
      .map((s, i) => i)
      .sort((a, b) => this.scored[b]!.score - this.scored[a]!.score || a - b)
    const nGood = Math.min(25, Math.max(1, Math.ceil(this.gamma * order.length)))
    const good = order.slice(0, nGood).map((i) => this.scored[i]!.idx)
    const bad = order.slice(nGood).map((i) => this.scored[i]!.idx)
    const dims = this.values.length
    const l: Kernel[][] = []
    const g: Kernel[][] = []
    for (let d = 0; d < dims; d++) {
      const m = this.values[d]!.length
      l.push(
        parzen(
          good.map((p) => p[d]!),
          m,
        ),
      )
      g.push(
        parzen(
          bad.map((p) => p[d]!),
          m,
        ),
      )
    }
    let best: number[] | null = null
    let bestScore = -Infinity
    for (let c = 0; c < this.candidates; c++) {
      const idx: number[] = []
      let s = 0
      for (let d = 0; d < dims; d++) {
        const m = this.values[d]!.length
        const k = sample(l[d]!, m, this.rng)
        idx.push(k)
        s += Math.log(mass(l[d]!, k, m)) - Math.log(mass(g[d]!, k, m))
      }
      if (s > bestScore && this.ok(idx)) {
        best = idx
        bestScore = s
      }
    }
    return best ?? this.randomUntried()
  }
}

/**
 * A Parzen mixture over grid indices 0..m-1 (the continuous interval [-0.5, m - 0.5] rounds to
 * them): a kernel per observation and a prior kernel at the middle as wide as the interval; each
 * observation's bandwidth is the larger distance to its sorted neighbours (the prior's mean counts
 * as one), clipped to [width / min(100, n + 1), width] (hyperopt's adaptive Parzen).
 */
function parzen(points: readonly number[], m: number): Kernel[] {
  const lo = -0.5
  const hi = m - 0.5
  const width = hi - lo
  const prior = (m - 1) / 2
  const mus = [...points, prior].sort((a, b) => a - b)
  const minSigma = width / Math.min(100, mus.length + 1)
  const out: Kernel[] = [{ mu: prior, sigma: width, w: 1 }]
  const w = 1
  for (const p of points) {
    const i = mus.indexOf(p)
    const left = i > 0 ? p - mus[i - 1]! : 0
    const right = i < mus.length - 1 ? mus[i + 1]! - p : 0
    const sigma = Math.min(width, Math.max(minSigma, left, right))
    out.push({ mu: p, sigma, w })
  }
  return out
}

/** The probability the mixture, truncated to the grid's interval, gives index k. */
function mass(ks: readonly Kernel[], k: number, m: number): number {
  const lo = -0.5
  const hi = m - 0.5
  let total = 0
  let weight = 0
  for (const q of ks) {
    const z = phi((hi - q.mu) / q.sigma) - phi((lo - q.mu) / q.sigma)
    if (!(z > 0)) continue
    total += (q.w * (phi((k + 0.5 - q.mu) / q.sigma) - phi((k - 0.5 - q.mu) / q.sigma))) / z
    weight += q.w
  }
  // A floor keeps log finite where the mixture's tail underflows.
  return Math.max(1e-300, total / weight)
}

/** An index drawn from the mixture truncated to the grid's interval. */
function sample(ks: readonly Kernel[], m: number, rng: () => number): number {
  let sum = 0
  for (const q of ks) sum += q.w
  let u = rng() * sum
  let q = ks[ks.length - 1]!
  for (const k of ks) {
    if (u < k.w) {
      q = k
      break
    }
    u -= k.w
  }
  for (let t = 0; t < 100; t++) {
    const x = q.mu + q.sigma * normal(rng)
    if (x >= -0.5 && x < m - 0.5) return Math.min(m - 1, Math.max(0, Math.round(x)))
  }
  return Math.min(m - 1, Math.max(0, Math.round(q.mu)))
}

/** A standard normal draw (Box-Muller on two uniform draws). */
function normal(rng: () => number): number {
  const u = 1 - rng()
  const v = rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** The standard normal distribution function, from erf (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * z)
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z)
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y)
}
