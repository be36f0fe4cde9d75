import type { InstanceSeries, IndicatorInstance } from '../../shared/contract/charting'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import { readBars, type BarSource } from './bars'
import type { ComputeJob } from './compute'
import type { ComputePool } from './compute-pool'
import { nullable, resolveInstances } from './instances'
import { withWarmup } from './window'

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
  pool: ComputePool
}

/**
 * `charting.series`: the bars `market.candles` returns for the same request, each instance
 * computed from its warm-up history on (see warmup.ts), columns cut to the shown bars.
 */
export async function indicatorSeries(
  { bars, clock, pool }: SeriesDeps,
  req: SeriesRequest,
): Promise<{ time: number[]; instances: InstanceSeries[] }> {
  const resolved = resolveInstances(req.instances, 'params.instances')
  const now = clock.now()
  const shown = readBars(bars, req.source, req.symbol, req.timeframe, req.to ?? now, req.limit, now)
  const win = withWarmup(
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
  const columns = await pool.run(win.series, jobs)
  const instances = resolved.map((r, i): InstanceSeries => {
    const job = jobs[i]!
    const at = first - job.keep
    return {
      id: r.descriptor.id,
      params: { ...r.params },
      from: win.series.time.length > job.start ? win.series.time[job.start]! : null,
      warmupBars: first - job.start,
      complete: win.complete[i]!,
      outputs: r.descriptor.outputs.map((o, k) => {
        const col = columns[i]![k]!
        const offset = r.offsets[k]!
        let before: (number | null)[] = []
        if (offset > 0) {
          const got = nullable(col.subarray(Math.max(0, at - offset), at))
          before = [...new Array<null>(offset - got.length).fill(null), ...got]
        }
        return { name: o.name, plot: o.plot, offset, values: nullable(col.subarray(at)), before }
      }),
    }
  })
  return { time: shown.time, instances }
}
