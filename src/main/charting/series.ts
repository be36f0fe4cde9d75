import type { InstanceSeries, IndicatorInstance } from '../../shared/contract/charting'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import { pause, readCandlesInSlices, runInSlices } from '../market/slices'
import type { BarSource } from './bars'
import type { Compute } from '../compute'
import type { CandleSeries } from '../indicators'
import { indicatorsTask, type ComputeJob, type JobColumns } from './tasks'
import { nullableSteps, resolveInstances, type ResolvedInstance } from './instances'
import { withWarmup, type BarWindow } from './window'

/**
 * Where the indicator batch work runs.
 *
 * Measured (Node 20, this machine, bench/chart.bench.ts "charting: ..."): the library's batch
 * functions take 2-50 ms per indicator on 100,000 bars (SMA 2 ms, RSI 13, MACD 15, Ichimoku
 * 50), so a 100k-bar chart with a handful of indicators would hold the engine's event loop for
 * 100 ms or more, stalling every tick and every other window's requests. Jobs above
 * `INLINE_LIMIT` bar-instances therefore run in the compute pool's worker threads; below it
 * (the default 2,000-bar chart with a few indicators: well under 5 ms) the round trip to a
 * worker would cost more than the work, so they run inline.
 */
export const INLINE_LIMIT = 20_000

export interface SeriesRequest {
  source: string
  symbol: string
  timeframe: Timeframe
  instances: IndicatorInstance[]
  to?: number | undefined
  limit: number
}

export interface SeriesDeps {
  bars: BarSource
  clock: Clock
  pool: Compute
  /** Bar-instances computed inline before work goes to a worker (INLINE_LIMIT). */
  inlineLimit: number
}

/**
 * `charting.series`: the bars `market.candles` returns for the same request, each instance
 * computed from its warm-up history on (see warmup.ts), columns cut to the shown bars.
 *
 * The main thread's share (the bars, the columns' conversion for the wire) is done in slices
 * with pauses between (market/slices.ts): at 100,000 bars it is 40-65 ms, which in one piece
 * would hold up every other request the engine serves, `/healthz` included.
 */
export async function indicatorSeries(
  { bars, clock, pool, inlineLimit }: SeriesDeps,
  req: SeriesRequest,
): Promise<{ time: number[]; instances: InstanceSeries[] }> {
  const resolved = resolveInstances(req.instances, 'params.instances')
  const now = clock.now()
  const shown = await readCandlesInSlices(
    bars,
    req.source,
    req.symbol,
    req.timeframe,
    req.to ?? now,
    req.limit,
    now,
  )
  const win = await withWarmup(
    bars,
    req,
    shown,
    resolved.map((r) => r.rule),
    now,
  )
  const first = win.first
  const jobs: ComputeJob[] = resolved.map((r, i) => {
    const start = win.starts[i]!
    // Outputs drawn shifted right also need the values just before the first shown bar.
    const lead = Math.max(0, ...r.offsets)
    return { id: r.descriptor.id, params: r.params, start, keep: Math.max(start, first - lead) }
  })
  // The copy of the bars posted to the worker is one more stretch: start it on a fresh turn.
  await pause()
  const columns = await computeIndicators(pool, win.series, jobs, inlineLimit)
  // The worker's answer arrives with I/O: the conversion goes on in the turns `pause` hands out.
  await pause()
  const instances = await runInSlices(wireInstances(resolved, jobs, columns, win))
  return { time: shown.time, instances }
}

/**
 * The jobs' columns, in a worker when they are large; if the worker dies meanwhile they are
 * computed inline (a chart is never left without its indicators).
 */
export function computeIndicators(
  pool: Compute,
  series: CandleSeries,
  jobs: ComputeJob[],
  inlineLimit = INLINE_LIMIT,
): Promise<JobColumns[]> {
  const work = jobs.reduce((sum, j) => sum + (series.time.length - j.start), 0)
  return pool.run(indicatorsTask, { series, jobs }, { inline: work <= inlineLimit, onCrash: 'inline' })
}

/** Each instance's columns as the contract has them (NaN as null), a pause possible every few thousand values. */
function* wireInstances(
  resolved: readonly ResolvedInstance[],
  jobs: readonly ComputeJob[],
  columns: readonly JobColumns[],
  win: BarWindow,
): Generator<void, InstanceSeries[], undefined> {
  const first = win.first
  const out: InstanceSeries[] = []
  for (const [i, r] of resolved.entries()) {
    const job = jobs[i]!
    const at = first - job.keep
    const outputs: InstanceSeries['outputs'] = []
    for (const [k, o] of r.descriptor.outputs.entries()) {
      const col = columns[i]![k]!
      const offset = r.offsets[k]!
      let before: (number | null)[] = []
      if (offset > 0) {
        const got = yield* nullableSteps(col.subarray(Math.max(0, at - offset), at))
        before = [...new Array<null>(offset - got.length).fill(null), ...got]
      }
      const values = yield* nullableSteps(col.subarray(at))
      outputs.push({ name: o.name, plot: o.plot, offset, values, before })
    }
    out.push({
      id: r.descriptor.id,
      params: { ...r.params },
      from: win.series.time.length > job.start ? win.series.time[job.start]! : null,
      warmupBars: first - job.start,
      complete: win.complete[i]!,
      outputs,
    })
  }
  return out
}
