// The model-based search (TPE): better than random search on a known objective with the same
// trials and seed, reproducible for a seed, and every set on the constrained grid.
import { describe, expect, it } from 'vitest'
import {
  parseConstraint,
  randomSets,
  type Constraint,
  type ParamRange,
} from '../../src/main/backtest/optimize/space'
import { Tpe } from '../../src/main/backtest/optimize/tpe'

const RANGES: ParamRange[] = [
  { name: 'x', from: 0, to: 100, step: 1 },
  { name: 'y', from: 0, to: 50, step: 0.5 },
]
/** A quadratic with its peak (0) at x = 37, y = 12.5. */
const f = (p: Record<string, number>): number => -((p.x! - 37) ** 2) - 4 * (p.y! - 12.5) ** 2

/** Runs a search to its end, 4 sets per round as the optimiser does; every set in order. */
function search(ranges: ParamRange[], trials: number, seed: number, constraints: Constraint[] = []) {
  const tpe = new Tpe(ranges, constraints, { trials, seed })
  const all: Record<string, number>[] = []
  for (;;) {
    const sets = tpe.propose(4)
    if (sets.length === 0) break
    for (const s of sets) tpe.tell(s, f(s))
    all.push(...sets)
  }
  return all
}

const best = (sets: Record<string, number>[]) => Math.max(...sets.map(f))

describe('TPE', () => {
  it('finds a better optimum than random search with the same trials and seed, on average over seeds', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    const trials = 60
    let tpeSum = 0
    let randomSum = 0
    let tpeWins = 0
    for (const seed of seeds) {
      const t = best(search(RANGES, trials, seed))
      const r = best(randomSets(RANGES, trials, [], seed))
      tpeSum += t
      randomSum += r
      if (t > r) tpeWins++
    }
    const tpeMean = tpeSum / seeds.length
    const randomMean = randomSum / seeds.length
    expect(tpeMean).toBeGreaterThan(randomMean)
    expect(tpeWins).toBeGreaterThanOrEqual(7)
    // Close to the peak: within a few grid steps on average.
    expect(tpeMean).toBeGreaterThan(-30)
  })

  it('is reproducible for a seed, and another seed searches differently', () => {
    const a = search(RANGES, 40, 7)
    expect(search(RANGES, 40, 7)).toEqual(a)
    expect(search(RANGES, 40, 8)).not.toEqual(a)
  })

  it('tries distinct points of the grid only (integer and step ranges), meeting the constraints', () => {
    const ranges: ParamRange[] = [
      { name: 'fast', from: 2, to: 40, step: 2 },
      { name: 'slow', from: 10, to: 100, step: 5 },
    ]
    const sets = search(ranges, 80, 3, [parseConstraint('fast < slow'), parseConstraint('slow <= 80')])
    expect(sets).toHaveLength(80)
    expect(new Set(sets.map((s) => `${s.fast},${s.slow}`)).size).toBe(80)
    for (const s of sets) {
      expect(s.fast! % 2).toBe(0)
      expect(s.slow! % 5).toBe(0)
      expect(s.fast).toBeGreaterThanOrEqual(2)
      expect(s.fast).toBeLessThanOrEqual(40)
      expect(s.fast!).toBeLessThan(s.slow!)
      expect(s.slow).toBeLessThanOrEqual(80)
    }
  })

  it('stops at the constrained grid’s size, and counts NaN scores as the worst', () => {
    const small: ParamRange[] = [
      { name: 'a', from: 1, to: 3, step: 1 },
      { name: 'b', from: 1, to: 3, step: 1 },
    ]
    const tpe = new Tpe(small, [parseConstraint('a < b')], { trials: 100, seed: 1, startup: 1 })
    expect(tpe.total).toBe(3)
    const seen: Record<string, number>[] = []
    for (let sets = tpe.propose(2); sets.length > 0; sets = tpe.propose(2)) {
      for (const s of sets) tpe.tell(s, NaN)
      seen.push(...sets)
    }
    expect(seen.map((s) => `${s.a}<${s.b}`).sort()).toEqual(['1<2', '1<3', '2<3'])
    expect(() => tpe.tell({ a: 3, b: 1 }, 0)).toThrow(/not proposed/)
  })
})
