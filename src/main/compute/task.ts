/**
 * A task kind: a named pure function the compute pool can run off the main thread. A domain
 * defines its kinds in its own `tasks.ts` (charting's indicator batches, signals' cold seeds)
 * and lists them once in src/main/tasks.ts, which both the pool and its worker threads read.
 * The function runs in a worker thread (or, when the work is small or no worker can run, in the
 * main thread), so it must be synchronous, take a structured-cloneable input and return its
 * output with the buffers that can be transferred back instead of copied.
 */
export interface TaskKind<I, O> {
  /** `<domain>.<what>`, unique across the engine (the pool refuses a second kind of one name). */
  readonly kind: string
  readonly run: (input: I, ctx: TaskContext) => TaskOutput<O>
}

/** Any task kind, whatever its input and output (for lists of kinds). */
export type AnyTaskKind = TaskKind<never, unknown>

export interface TaskOutput<T> {
  value: T
  /** Buffers of `value` handed over to the caller's thread rather than copied. */
  transfer: ArrayBuffer[]
}

/** How far a task has come, in the task's own units (bars replayed, parameter sets tried...). */
export interface Progress {
  done: number
  total: number
}

/** What a running task can tell its caller. */
export interface TaskContext {
  /**
   * Reports progress; cheap to call often: at most one report per PROGRESS_INTERVAL_MS reaches
   * the caller, and always the last one (`done >= total`).
   */
  progress(done: number, total: number): void
}

/** Progress reports closer together than this are dropped (a message each would cost more than the work). */
export const PROGRESS_INTERVAL_MS = 50

export function defineTask<I, O>(
  kind: string,
  run: (input: I, ctx: TaskContext) => TaskOutput<O>,
): TaskKind<I, O> {
  return { kind, run }
}

/** A TaskContext whose reports, thinned to one per PROGRESS_INTERVAL_MS (and the last), go to `report`. */
export function progressContext(report: ((p: Progress) => void) | undefined): TaskContext {
  if (!report) return { progress: () => {} }
  let last = -Infinity
  return {
    progress(done, total) {
      const now = performance.now()
      if (done < total && now - last < PROGRESS_INTERVAL_MS) return
      last = now
      report({ done, total })
    },
  }
}
