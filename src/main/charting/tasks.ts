import { defineTask, type TaskOutput } from '../compute/task'
import type { CandleSeries } from '../indicators'
import { getIndicator, type ParamValues } from '../indicators'

/** One indicator computed over `series` from bar `start`, returned from bar `keep` on. */
export interface ComputeJob {
  id: string
  params: ParamValues
  /** First bar the computation reads (its warm-up starts here). */
  start: number
  /** First bar whose values are returned (>= start). */
  keep: number
}

/** What one job returns: a column per output, from bar `keep` to the end of the series. */
export type JobColumns = Float64Array[]

function slice(series: CandleSeries, from: number): CandleSeries {
  if (from === 0) return series
  return {
    time: series.time.subarray(from),
    open: series.open.subarray(from),
    high: series.high.subarray(from),
    low: series.low.subarray(from),
    close: series.close.subarray(from),
    volume: series.volume.subarray(from),
  }
}

/**
 * Runs every job with the library's batch functions: the same numbers `compute` gives on the
 * same bars. Pure and synchronous: the `charting.indicators` task below, in a compute worker or
 * (small jobs) in the main thread.
 */
export function computeJobs(series: CandleSeries, jobs: readonly ComputeJob[]): JobColumns[] {
  return jobs.map((job) => {
    const cols = getIndicator(job.id).compute(slice(series, job.start), job.params)
    const skip = job.keep - job.start
    return cols.map((c) => (skip === 0 ? c : c.subarray(skip)))
  })
}

/** Indicator batch jobs for the chart (series.ts), as a compute task kind. */
export const indicatorsTask = defineTask(
  'charting.indicators',
  (input: { series: CandleSeries; jobs: ComputeJob[] }): TaskOutput<JobColumns[]> => {
    const value = computeJobs(input.series, input.jobs)
    const buffers = new Set<ArrayBuffer>()
    for (const job of value) for (const c of job) buffers.add(c.buffer as ArrayBuffer)
    return { value, transfer: [...buffers] }
  },
)

/** Charting's compute task kinds (listed in src/main/tasks.ts). */
export const CHARTING_TASKS = [indicatorsTask]
