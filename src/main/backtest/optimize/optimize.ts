/**
 * An optimisation over the compute pool: the parameter sets cut into batches that run side by
 * side on the pool's workers, each set scored by an objective (a statistic), sets with too few
 * trades set aside; and, with walk-forward folds, the same search on each in-sample window with
 * the best set tested on the next out-of-sample window and the out-of-sample equity stitched.
 */
import { setMaxListeners } from 'node:events'
import type { Compute } from '../../compute/runner'
import type { SymbolSeries } from '../engine'
import type { BacktestSettingsInput } from '../settings'
import { backtestTask } from '../tasks'
import type { Constraint, ParamRange } from './space'
import { optimizeBatchTask, type OptimizeRow } from './task'
import { Tpe } from './tpe'
import { stitchEquity, walkForwardWindows, type Window } from './walk-forward'

/** A model-based search (TPE, `tpe.ts`) instead of fixed sets: each window's search proposes as it learns. */
export interface TpeSearch {
  ranges: ParamRange[]
  constraints: Constraint[]
  trials: number
  seed: number
}

/**
 * Sets a TPE search runs side by side before it learns from them: fixed, so the sets tried (and
 * the result) do not depend on the number of workers.
 */
export const TPE_ROUND = 4

export interface OptimizeRequest {
  strategy: string
  base?: Record<string, unknown>
  /** The sets to try (grid or random); ignored with `tpe`. */
  sets: Record<string, number>[]
  tpe?: TpeSearch
  settings?: BacktestSettingsInput
  data: SymbolSeries[]
  /** The statistic to maximise (maxDrawdown is negative, so larger is better there too). */
  objective: string
  /** Sets with fewer closed trades are not eligible as the best. */
  minTrades?: number
  /** Walk-forward folds; 0 optimises once over the whole range. */
  walkForward?: number
  /** Sets per batch handed to one worker (smaller batches: finer progress, more messages). */
  batch?: number
}

export interface OptimizeOptions {
  signal?: AbortSignal
  onProgress?: (p: { done: number; total: number }) => void
}

export interface FoldReport {
  window: Window
  best: Record<string, number> | null
  inSample: number | null
  outOfSample: number | null
}

export interface OptimizeResult {
  objective: string
  /** Every set over the whole range (or the last in-sample window with walk-forward), best first. */
  rows: OptimizeRow[]
  best: OptimizeRow | null
  walkForward: {
    folds: FoldReport[]
    /** Mean in-sample and out-of-sample objective of the folds' best sets, and OOS / IS. */
    inSample: number | null
    outOfSample: number | null
    ratio: number | null
    equity: { time: number[]; value: number[] }
    /** Said plainly when the out-of-sample result falls apart. */
    warning: string | null
  } | null
}

const score = (row: OptimizeRow, objective: string): number => {
  const v = row.metrics[objective]
  return v === undefined || Number.isNaN(v) ? -Infinity : v
}

/** Rows best first; those short of `minTrades` after the rest. */
export function rank(rows: OptimizeRow[], objective: string, minTrades = 0): OptimizeRow[] {
  const ok = (r: OptimizeRow) => (r.metrics.trades ?? 0) >= minTrades
  return [...rows].sort((a, b) => Number(ok(b)) - Number(ok(a)) || score(b, objective) - score(a, objective))
}

/** A plain warning when out-of-sample falls apart (a loss, or under half the in-sample figure), or nothing worked in-sample. */
export function overfitWarning(
  inSample: number | null,
  outOfSample: number | null,
  objective: string,
): string | null {
  if (inSample === null || outOfSample === null) return null
  if (inSample <= 0)
    return `The best in-sample ${objective} is ${inSample.toFixed(2)}: no parameter set worked even on the data it was chosen on (out-of-sample ${outOfSample.toFixed(2)}).`
  if (inSample > 0 && outOfSample <= 0)
    return `Out-of-sample ${objective} is ${outOfSample.toFixed(2)} against ${inSample.toFixed(2)} in-sample: the parameters do not hold up on unseen data (likely overfitted).`
  if (inSample > 0 && outOfSample / inSample < 0.5)
    return `Out-of-sample ${objective} is under half the in-sample figure (${outOfSample.toFixed(2)} vs ${inSample.toFixed(2)}): expect much less than the optimisation shows.`
  return null
}

export async function optimize(
  compute: Compute,
  req: OptimizeRequest,
  opts: OptimizeOptions = {},
): Promise<OptimizeResult> {
  // One signal serves every batch in flight (each listens for it).
  if (opts.signal) setMaxListeners(0, opts.signal)
  const folds = req.walkForward ?? 0
  const times = req.data[0]!.series.time
  const windows = folds > 0 ? walkForwardWindows(times.length, folds) : []
  const searches = Math.max(1, windows.length)
  const tpe = req.tpe
  const perSearch = tpe ? new Tpe(tpe.ranges, tpe.constraints, tpe).total : req.sets.length
  // Each search tries every set; each fold adds one out-of-sample run.
  const total = searches * perSearch + windows.length
  let done = 0
  const report = () => opts.onProgress?.({ done, total })

  /** Every set of a grid or random search; with TPE, rounds of proposals each scored before the next. */
  const search = async (settings: BacktestSettingsInput): Promise<OptimizeRow[]> => {
    if (!tpe) return rank(await runSets(req.sets, settings), req.objective, req.minTrades)
    const model = new Tpe(tpe.ranges, tpe.constraints, tpe)
    const rows: OptimizeRow[] = []
    for (let sets = model.propose(TPE_ROUND); sets.length > 0; sets = model.propose(TPE_ROUND)) {
      for (const row of await runSets(sets, settings)) {
        // Sets short of the minimum trades are the worst, as in the ranking.
        const eligibleRow = (row.metrics.trades ?? 0) >= (req.minTrades ?? 0)
        model.tell(row.params, eligibleRow ? score(row, req.objective) : -Infinity)
        rows.push(row)
      }
    }
    return rank(rows, req.objective, req.minTrades)
  }

  const runSets = async (
    sets: Record<string, number>[],
    settings: BacktestSettingsInput,
  ): Promise<OptimizeRow[]> => {
    const size = req.batch ?? Math.max(1, Math.ceil(sets.length / 16))
    const batches: Record<string, number>[][] = []
    for (let i = 0; i < sets.length; i += size) batches.push(sets.slice(i, i + size))
    const base = done
    const doneBy = new Array<number>(batches.length).fill(0)
    const parts = await Promise.all(
      batches.map((sets, i) =>
        compute.run(
          optimizeBatchTask,
          { strategy: req.strategy, base: req.base ?? {}, sets, settings, data: req.data },
          {
            ...(opts.signal ? { signal: opts.signal } : {}),
            onProgress: (p) => {
              doneBy[i] = p.done
              done = base + doneBy.reduce((a, b) => a + b, 0)
              report()
            },
          },
        ),
      ),
    )
    done = base + sets.length
    report()
    return parts.flat()
  }

  const settings = req.settings ?? {}
  if (windows.length === 0) {
    const rows = await search(settings)
    return { objective: req.objective, rows, best: eligible(rows[0], req.minTrades), walkForward: null }
  }

  const reports: FoldReport[] = []
  const curves: { time: Float64Array; value: Float64Array }[] = []
  let rows: OptimizeRow[] = []
  for (const w of windows) {
    // Times, not slices: bars before a window still warm its indicators up.
    rows = await search({ ...settings, from: times[w.isFrom]!, to: times[w.isTo - 1]! })
    const best = eligible(rows[0], req.minTrades)
    let outOfSample: number | null = null
    if (best) {
      const out = await compute.run(
        backtestTask,
        {
          spec: {
            strategy: req.strategy,
            params: { ...req.base, ...best.params },
            settings: { ...settings, from: times[w.oosFrom]!, to: times[w.oosTo - 1]! },
          },
          data: req.data,
        },
        opts.signal ? { signal: opts.signal } : {},
      )
      const v = out.metrics[req.objective]
      outOfSample = typeof v === 'number' && !Number.isNaN(v) ? v : null
      curves.push({ time: out.equityTime, value: out.equityValue })
    }
    done++
    report()
    reports.push({
      window: w,
      best: best?.params ?? null,
      inSample: best ? score(best, req.objective) : null,
      outOfSample,
    })
  }
  const mean = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null && Number.isFinite(x))
    return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length
  }
  const inSample = mean(reports.map((r) => r.inSample))
  const outOfSample = mean(reports.map((r) => r.outOfSample))
  return {
    objective: req.objective,
    rows,
    best: eligible(rows[0], req.minTrades),
    walkForward: {
      folds: reports,
      inSample,
      outOfSample,
      // A ratio of two losses reads as success: only meaningful over an in-sample gain.
      ratio: inSample !== null && outOfSample !== null && inSample > 0 ? outOfSample / inSample : null,
      equity: stitchEquity(curves, (settings.cash as number | undefined) ?? 10_000),
      warning: overfitWarning(inSample, outOfSample, req.objective),
    },
  }
}

function eligible(row: OptimizeRow | undefined, minTrades = 0): OptimizeRow | null {
  return row && (row.metrics.trades ?? 0) >= minTrades ? row : null
}
