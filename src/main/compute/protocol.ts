import type { AppErrorShape } from '../../shared/contract/errors'
import type { Progress } from './task'

/**
 * The messages between ComputePool (pool.ts) and its worker threads (worker.ts). A module of
 * its own so that both can import them without importing each other.
 */

/** The pool's workerData for the threads it starts; a worker entry serves nothing without it. */
export const WORKER_MARK = 'candlework-compute-worker'

/** One job: the worker runs one at a time and answers every request with `done` or `failed`. */
export interface WorkerRequest {
  id: number
  kind: string
  input: unknown
}

export type WorkerReply =
  /** The worker has loaded its task kinds: from now on a job's time is the job's own. */
  | { type: 'ready' }
  | { id: number; type: 'progress'; progress: Progress }
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'failed'; error: AppErrorShape }
