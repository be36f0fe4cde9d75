/**
 * `optimize (--file F | --symbol S --timeframe TF) --strategy NAME --range k=from..to:step ...`
 *
 * Searches parameter ranges (grid, random trials from the grid, or TPE) on the compute pool's
 * workers with the engine the app uses, walk-forward by default: each fold optimises on its
 * in-sample window and tests the best set on the next out-of-sample window. Prints the best
 * sets and the in-sample vs out-of-sample figures (with a plain warning when out-of-sample falls
 * apart), or with `--json` `{"objective", "rows": [{params, metrics}], "best", "walkForward"}`.
 *
 * Exit codes: 0 done; 1 the data cannot be used or the run failed; 2 usage errors.
 */
import { AppError } from '../../shared/contract/errors'
import { optimize, type OptimizeResult } from '../backtest/optimize/optimize'
import { gridSets, parseConstraint, parseRange, randomSets } from '../backtest/optimize/space'
import { Tpe } from '../backtest/optimize/tpe'
import type { BacktestSettingsInput } from '../backtest/settings'
import { createComputePool } from '../compute-pool'
import { silentLogger } from '../log'
import { loadData, number, params, sizing, time, Usage } from './backtest'
import { parseFlags, usageError, type CliCommand, type CliIo } from './io'

const USAGE = `Usage: npm run cli -- optimize (--file F | --symbol S --timeframe TF) --strategy NAME --range k=from..to:step... [options]

  --range k=a..b:s       a parameter's range (step 1 when left out); repeat for several
  --constraint C         e.g. "fast < slow" (default for sma-cross, ema-cross, macd-cross); repeat
  --method M             grid (default) | random | tpe (model-based: learns from the sets scored so far)
  --trials N             random, tpe: parameter sets tried (default 100)
  --seed N               random, tpe: the seed (default 1)
  --objective NAME       the statistic maximised (default sharpe; any of docs/BACKTEST.md's)
  --min-trades N         sets with fewer trades are not eligible (default 1)
  --walk-forward N       folds (default 4); 0 optimises once over the whole range
  --workers N            compute workers (default one per core)
  --top N                rows printed (default 10)
  --json                 print the result as JSON
  (--file, --symbol, --timeframe, --source, --data-dir, --param, --from, --to, --cash,
   --commission, --slippage-bps, --size, --sides, --intrabar, --intrabar-file as for backtest)`

const OPTIONS = {
  file: { type: 'string' },
  symbol: { type: 'string' },
  timeframe: { type: 'string' },
  source: { type: 'string' },
  'data-dir': { type: 'string' },
  strategy: { type: 'string' },
  param: { type: 'string', multiple: true },
  range: { type: 'string', multiple: true },
  constraint: { type: 'string', multiple: true },
  method: { type: 'string' },
  trials: { type: 'string' },
  seed: { type: 'string' },
  objective: { type: 'string' },
  'min-trades': { type: 'string' },
  'walk-forward': { type: 'string' },
  workers: { type: 'string' },
  top: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  cash: { type: 'string' },
  commission: { type: 'string' },
  'slippage-bps': { type: 'string' },
  size: { type: 'string' },
  sides: { type: 'string' },
  intrabar: { type: 'boolean', default: false },
  'intrabar-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

/** Strategies whose fast period must stay below the slow one. */
const FAST_SLOW = new Set(['sma-cross', 'ema-cross', 'macd-cross'])

const fmt = (x: number | null | undefined): string =>
  x === null || x === undefined || x !== x ? 'n/a' : x.toFixed(4)

function text(res: OptimizeResult, top: number): string {
  const over = res.walkForward ? ' over the last in-sample window' : ''
  const lines = [`objective ${res.objective}; ${res.rows.length} parameter sets${over}, best first`]
  for (const r of res.rows.slice(0, top))
    lines.push(
      `  ${JSON.stringify(r.params)}  ${res.objective} ${fmt(r.metrics[res.objective])}  return ${fmt(r.metrics.totalReturn)}  trades ${r.metrics.trades}`,
    )
  const wf = res.walkForward
  if (wf) {
    lines.push(`walk-forward, ${wf.folds.length} folds (best in-sample set tested on the next window):`)
    for (const [i, f] of wf.folds.entries())
      lines.push(
        `  fold ${i + 1}: ${JSON.stringify(f.best)}  in-sample ${fmt(f.inSample)}  out-of-sample ${fmt(f.outOfSample)}`,
      )
    lines.push(`in-sample ${fmt(wf.inSample)}  out-of-sample ${fmt(wf.outOfSample)}  ratio ${fmt(wf.ratio)}`)
    const eq = wf.equity.value
    if (eq.length > 0) lines.push(`stitched out-of-sample equity ${fmt(eq[0])} -> ${fmt(eq.at(-1))}`)
    if (wf.warning) lines.push(`WARNING: ${wf.warning}`)
  }
  return lines.join('\n')
}

/** Progress on stderr at each tenth done, so a long search shows it is moving. */
function tenths(io: CliIo): (p: { done: number; total: number }) => void {
  let shown = 0
  return ({ done, total }) => {
    const tenth = Math.floor((done / total) * 10)
    if (tenth > shown && done < total) io.err(`${(shown = tenth) * 10} % (${done}/${total})`)
  }
}

function fail(io: CliIo, err: unknown): number {
  if (err instanceof Usage) return usageError(io, 'optimize', USAGE, err.message)
  if (err instanceof AppError || err instanceof Error) {
    io.err(`optimize: ${err.message}`)
    return err instanceof AppError && err.kind === 'validation' ? 2 : 1
  }
  throw err
}

export const optimizeCommand: CliCommand = async (argv, io) => {
  const flags = parseFlags('optimize', USAGE, argv, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const v = flags.values
  let pool: ReturnType<typeof createComputePool> | null = null
  try {
    if (!v.strategy) throw new Usage('--strategy is required (see backtest --list-strategies)')
    if (!v.file && !v.symbol) throw new Usage('give --file F, or --symbol S with --timeframe TF')
    if (v.symbol && !v.timeframe) throw new Usage('--symbol needs --timeframe')
    if (!v.range || v.range.length === 0) throw new Usage('give at least one --range k=from..to:step')
    const method = v.method ?? 'grid'
    if (method !== 'grid' && method !== 'random' && method !== 'tpe')
      throw new Usage(`--method "${method}": grid, random or tpe`)
    let ranges, constraints
    try {
      ranges = v.range.map(parseRange)
      constraints = (v.constraint ?? []).map(parseConstraint)
    } catch (err) {
      throw new Usage((err as Error).message)
    }
    const names = new Set(ranges.map((r) => r.name))
    if (!v.constraint && FAST_SLOW.has(v.strategy) && names.has('fast') && names.has('slow'))
      constraints.push(parseConstraint('fast < slow'))
    const trials = number('trials', v.trials) ?? 100
    const seed = number('seed', v.seed) ?? 1
    const tpe = method === 'tpe' ? { ranges, constraints, trials, seed } : undefined
    const sets =
      method === 'grid'
        ? gridSets(ranges, constraints)
        : method === 'random'
          ? randomSets(ranges, trials, constraints, seed)
          : []
    if (tpe ? new Tpe(ranges, constraints, tpe).total === 0 : sets.length === 0)
      throw new Usage('no parameter set meets the ranges and constraints')
    const commission = number('commission', v.commission)
    const settings: BacktestSettingsInput = {
      cash: number('cash', v.cash),
      fees: commission === undefined ? undefined : { maker: commission, taker: commission },
      slippage:
        v['slippage-bps'] === undefined ? undefined : { bps: number('slippage-bps', v['slippage-bps']) },
      sizing: sizing(v.size),
      sides: v.sides as BacktestSettingsInput['sides'],
      intrabar: v.intrabar || undefined,
      from: time('from', v.from),
      to: time('to', v.to),
    }
    const data = loadData(v)
    pool = createComputePool({ log: silentLogger, size: number('workers', v.workers) })
    const res = await optimize(
      pool,
      {
        strategy: v.strategy,
        base: params(v.param ?? []),
        sets,
        ...(tpe ? { tpe } : {}),
        settings,
        data,
        objective: v.objective ?? 'sharpe',
        minTrades: number('min-trades', v['min-trades']) ?? 1,
        walkForward: number('walk-forward', v['walk-forward']) ?? 4,
      },
      v.json ? {} : { onProgress: tenths(io) },
    )
    io.out(v.json ? JSON.stringify(res) : text(res, number('top', v.top) ?? 10))
    return 0
  } catch (err) {
    return fail(io, err)
  } finally {
    await pool?.close()
  }
}
