import type { AppErrorShape } from '../../shared/contract/errors'
import type { TaskName } from './worker-tasks'

/**
 * The messages between ComputePool (compute-pool.ts) and its worker thread (compute-worker.ts).
 * A module of its own so that both can import them: the pool names the worker's file, so the
 * worker importing these from the pool would make the two import each other, and the pool
 * importing the worker would bundle the worker into main.
 */

/** The pool's workerData for the thread it starts; compute-worker.ts does nothing without it. */
export const WORKER_MARK = 'candlework-charting-worker'

export interface WorkerRequest {
  id: number
  task: TaskName
  input: unknown
}

export type WorkerReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: AppErrorShape }
