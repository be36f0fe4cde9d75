/**
 * The parameter sets an optimisation tries: every point of a grid over the ranges, or N drawn
 * at random from it (seeded, so a search repeats), keeping only those that meet the constraints
 * (for example fast < slow). Pure: no engine, no pool.
 */

export interface ParamRange {
  name: string
  from: number
  to: number
  step: number
}

/** A constraint over one parameter set, e.g. `fast < slow`, read from text. */
export type Constraint = (params: Record<string, number>) => boolean

/** The values of a range, from `from` to `to` inclusive by `step`, without float drift (0.1 + 0.2). */
export function rangeValues(r: ParamRange): number[] {
  if (!(r.step > 0)) throw new Error(`range ${r.name}: step must be above 0`)
  if (r.to < r.from) throw new Error(`range ${r.name}: ${r.to} is below ${r.from}`)
  const places = Math.max(decimals(r.from), decimals(r.step))
  const n = Math.floor((r.to - r.from) / r.step + 1e-9)
  const out: number[] = []
  for (let i = 0; i <= n; i++) out.push(Number((r.from + i * r.step).toFixed(places)))
  return out
}

const decimals = (x: number): number => {
  const s = String(x)
  const i = s.indexOf('.')
  return i < 0 ? 0 : s.length - i - 1
}

/** `k=from..to:step` as the CLI takes it (step 1 when left out). */
export function parseRange(text: string): ParamRange {
  const m = /^([A-Za-z_]\w*)=(-?[\d.]+)\.\.(-?[\d.]+)(?::([\d.]+))?$/.exec(text.trim())
  if (!m) throw new Error(`--range ${text}: expected name=from..to:step`)
  return { name: m[1]!, from: Number(m[2]), to: Number(m[3]), step: m[4] === undefined ? 1 : Number(m[4]) }
}

const OPS: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '!=': (a, b) => a !== b,
}

/** `a < b` (or <=, >, >=, !=) between two parameters or a parameter and a number. */
export function parseConstraint(text: string): Constraint {
  const m = /^\s*([A-Za-z_]\w*|-?[\d.]+)\s*(<=|>=|!=|<|>)\s*([A-Za-z_]\w*|-?[\d.]+)\s*$/.exec(text)
  if (!m) throw new Error(`constraint ${text}: expected a < b (or <=, >, >=, !=)`)
  const side = (s: string) => (/^[A-Za-z_]/.test(s) ? (p: Record<string, number>) => p[s]! : () => Number(s))
  const a = side(m[1]!)
  const b = side(m[3]!)
  const op = OPS[m[2]!]!
  return (p) => op(a(p), b(p))
}

/** Every grid point meeting the constraints, the first range varying slowest. */
export function gridSets(
  ranges: readonly ParamRange[],
  constraints: readonly Constraint[] = [],
): Record<string, number>[] {
  const values = ranges.map(rangeValues)
  const out: Record<string, number>[] = []
  const walk = (i: number, acc: Record<string, number>): void => {
    if (i === ranges.length) {
      if (constraints.every((c) => c(acc))) out.push({ ...acc })
      return
    }
    for (const v of values[i]!) {
      acc[ranges[i]!.name] = v
      walk(i + 1, acc)
    }
  }
  walk(0, {})
  return out
}

/** A small seeded generator (mulberry32): the same seed draws the same sets. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Up to `trials` distinct grid points drawn at random among those meeting the constraints (all
 * of them when there are fewer), in the order drawn.
 */
export function randomSets(
  ranges: readonly ParamRange[],
  trials: number,
  constraints: readonly Constraint[] = [],
  seed = 1,
): Record<string, number>[] {
  const all = gridSets(ranges, constraints)
  const next = random(seed)
  // A partial Fisher-Yates shuffle: the first `trials` places are a uniform draw without repeats.
  const k = Math.min(trials, all.length)
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (all.length - i))
    ;[all[i], all[j]] = [all[j]!, all[i]!]
  }
  return all.slice(0, k)
}
