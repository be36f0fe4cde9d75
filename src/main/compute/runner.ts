import { AppError } from '../../shared/contract/errors'
import { progressContext, type Progress, type TaskKind } from './task'

/** What a job in flight fails with when the engine closes (and what any later job fails with). */
export const closingError = (): AppError =>
  new AppError('unavailable', 'engine closing: the computation was cancelled')

export interface RunOptions {
  /** Run in the main thread (work too small to be worth the round trip to a worker). */
  inline?: boolean
  /**
   * When the worker dies with this job in flight: compute it in the main thread instead (the
   * chart's indicators, never left empty), or fail it (work the caller must know went wrong).
   * The default is 'reject'.
   */
  onCrash?: 'inline' | 'reject'
  /**
   * Cancels the job: a queued one is dropped, a running one's worker is terminated (and a new
   * one started for the next job). The promise rejects with the signal's reason. A job already
   * running in the main thread (inline) cannot be interrupted and finishes.
   */
  signal?: AbortSignal
  /** Receives the task's progress reports (thinned: see TaskContext.progress). */
  onProgress?: (progress: Progress) => void
  /** This job's time limit in a worker, when the pool's own (60 s by default) is too short for it. */
  timeoutMs?: number
}

/**
 * What a domain sees of the engine's compute pool: run one of its task kinds. Domains depend
 * on this, not on ComputePool, so a test can hand them `inlineCompute`.
 */
export interface Compute {
  run<I, O>(task: TaskKind<I, O>, input: I, opts?: RunOptions): Promise<O>
}

/** Runs every task in the calling thread, on a later microtask: the Compute of a domain given no pool. */
export const inlineCompute: Compute = {
  run: (task, input, opts = {}) => runInline(task, input, opts),
}

export function runInline<I, O>(task: TaskKind<I, O>, input: I, opts: RunOptions): Promise<O> {
  return Promise.resolve().then(() => {
    opts.signal?.throwIfAborted()
    return task.run(input, progressContext(opts.onProgress)).value
  })
}
