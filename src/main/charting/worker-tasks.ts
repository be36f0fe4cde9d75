import type { CandleSeries } from '../indicators'
import { computeSeed, seedTransferList, type SeedRequest, type SeedResult } from '../signals/seed'
import { computeJobs, type ComputeJob, type JobColumns } from './compute'

/**
 * What the compute worker can run, by name: each task is pure and synchronous, takes a
 * structured-cloneable input and returns its output with the buffers that can be transferred
 * back. The worker (compute-worker.ts) runs them off the main thread; ComputePool runs them
 * inline when the worker is unavailable.
 */
export const WORKER_TASKS = {
  /** Indicator batch jobs for the chart (charting/series.ts). */
  indicators(input: { series: CandleSeries; jobs: ComputeJob[] }): TaskOutput<JobColumns[]> {
    const value = computeJobs(input.series, input.jobs)
    const buffers = new Set<ArrayBuffer>()
    for (const job of value) for (const c of job) buffers.add(c.buffer as ArrayBuffer)
    return { value, transfer: [...buffers] }
  },
  /** A symbol's cold signal seed: bars generated or shipped, replayed, encoded (signals/seed.ts). */
  signalsSeed(input: SeedRequest): TaskOutput<SeedResult> {
    const value = computeSeed(input)
    return { value, transfer: seedTransferList(value) }
  },
} as const

export interface TaskOutput<T> {
  value: T
  transfer: ArrayBuffer[]
}

export type TaskName = keyof typeof WORKER_TASKS
export type TaskInput<K extends TaskName> = Parameters<(typeof WORKER_TASKS)[K]>[0]
export type TaskResult<K extends TaskName> = ReturnType<(typeof WORKER_TASKS)[K]>['value']
