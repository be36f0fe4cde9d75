import { Worker } from 'node:worker_threads'
import { AppError } from '../../shared/contract/errors'
import type { CandleSeries } from '../indicators'
import type { Logger } from '../log'
import type { ComputeJob, JobColumns } from './compute'
import workerModule from './compute-worker?modulePath'
import { WORKER_MARK, type WorkerReply, type WorkerRequest } from './worker-protocol'
import { WORKER_TASKS, type TaskInput, type TaskName, type TaskOutput, type TaskResult } from './worker-tasks'

/**
 * Where the indicator batch work runs.
 *
 * Measured (Node 20, this machine, bench/chart.bench.ts "charting: ..."): the library's batch
 * functions take 2-50 ms per indicator on 100,000 bars (SMA 2 ms, RSI 13, MACD 15, Ichimoku
 * 50), so a 100k-bar chart with a handful of indicators would hold the engine's event loop for
 * 100 ms or more, stalling every tick and every other window's requests. Jobs above
 * `INLINE_LIMIT` bar-instances therefore run in one worker thread; below it (the default
 * 2,000-bar chart with a few indicators: well under 5 ms) the round trip to the worker would
 * cost more than the work, so they run inline.
 */
export const INLINE_LIMIT = 20_000
const TIMEOUT_MS = 60_000

/** What a job in flight fails with when the engine closes (and what any later job fails with). */
export const closingError = (): AppError =>
  new AppError('unavailable', 'engine closing: the computation was cancelled')

interface TaskOptions {
  /** Run in the main thread (work too small to be worth the round trip). */
  inline?: boolean
  /**
   * When the worker dies with this job in flight: compute it in the main thread instead (the
   * chart's indicators, never left empty), or fail it (work the caller must know went wrong).
   */
  onCrash?: 'inline' | 'reject'
}

interface Pending {
  task: TaskName
  input: unknown
  onCrash: 'inline' | 'reject'
  resolve(value: unknown): void
  reject(err: Error): void
  timer: ReturnType<typeof setTimeout>
}

const runInline = <K extends TaskName>(task: K, input: TaskInput<K>): TaskResult<K> =>
  (WORKER_TASKS[task] as (i: TaskInput<K>) => TaskOutput<TaskResult<K>>)(input).value

/**
 * One worker thread for the engine's heavy pure computations (the tasks in worker-tasks.ts:
 * the chart's indicator batches and the signals' cold seed), one job at a time in the order
 * posted. The worker is unref'd while idle (it never keeps the process alive) and terminated by
 * `close`, which the engine calls when it closes.
 */
export class ComputePool {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly exits = new Set<Promise<void>>()
  private broken = false
  private closed: Promise<void> | null = null

  constructor(
    private readonly log: Logger,
    private readonly inlineLimit = INLINE_LIMIT,
    /** Starts the worker; tests pass one that fails. */
    private readonly spawn: () => Worker = createWorker,
  ) {}

  /** Live worker threads: 0 or 1 (none before the first large job and after `close`). */
  get workerCount(): number {
    return this.worker ? 1 : 0
  }

  /** The running worker's thread id, or null. */
  get workerThreadId(): number | null {
    return this.worker?.threadId ?? null
  }

  /** Computes indicator jobs; large ones off the main thread. Every call settles exactly once. */
  run(series: CandleSeries, jobs: ComputeJob[]): Promise<JobColumns[]> {
    const work = jobs.reduce((sum, j) => sum + (series.time.length - j.start), 0)
    return this.task('indicators', { series, jobs }, { inline: work <= this.inlineLimit, onCrash: 'inline' })
  }

  /**
   * Runs a named task in the worker (in the main thread when the worker cannot run, or with
   * `inline`). Settles exactly once: the result, the task's own error (an AppError keeps its
   * kind), a timeout, the worker's death (`onCrash`), or `closingError` when the pool closes.
   */
  task<K extends TaskName>(task: K, input: TaskInput<K>, opts: TaskOptions = {}): Promise<TaskResult<K>> {
    if (this.closed) return Promise.reject(closingError())
    const inline = (): Promise<TaskResult<K>> =>
      Promise.resolve().then(() => {
        if (this.closed) throw closingError()
        return runInline(task, input)
      })
    if (opts.inline || this.broken) return inline()
    const worker = this.ensureWorker()
    if (!worker) return inline()
    const id = this.nextId++
    return new Promise<TaskResult<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        if (this.pending.size === 0) this.worker?.unref()
        reject(new AppError('internal', `${task} computation did not finish within ${TIMEOUT_MS / 1000} s`))
      }, TIMEOUT_MS)
      this.pending.set(id, {
        task,
        input,
        onCrash: opts.onCrash ?? 'reject',
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
      })
      if (this.pending.size === 1) worker.ref()
      const req: WorkerRequest = { id, task, input }
      worker.postMessage(req)
    })
  }

  /**
   * Stops the worker: jobs in flight fail with `closingError`, later ones too, and the returned
   * promise settles once the thread has exited. Idempotent (every call returns the same promise).
   */
  close(): Promise<void> {
    if (!this.closed) {
      this.failAll(closingError())
      const worker = this.worker
      this.worker = null
      if (worker) this.terminate(worker)
      this.closed = Promise.all([...this.exits]).then(() => undefined)
    }
    return this.closed
  }

  private terminate(worker: Worker): void {
    const exit = worker.terminate().then(
      () => undefined,
      () => undefined,
    )
    this.exits.add(exit)
    void exit.then(() => this.exits.delete(exit))
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker
    try {
      const worker = this.spawn()
      worker.unref()
      worker.on('message', (reply: WorkerReply) => this.onReply(reply))
      worker.on('error', (err) =>
        this.giveUp(worker, 'compute worker failed; computing in the main thread', err),
      )
      worker.on('exit', (code) => {
        if (this.worker === worker) this.giveUp(worker, `compute worker exited with code ${code}`)
      })
      this.worker = worker
      return worker
    } catch (err) {
      this.giveUp(null, 'compute worker could not start; computing in the main thread', err)
      return null
    }
  }

  /**
   * Never leaves the chart without indicators: when the worker fails (or cannot start, e.g. a
   * packaged app that cannot load it), later work is computed in the main thread, and the log
   * says so once. Jobs it had in flight are computed in the main thread too, or fail with the
   * reason (`onCrash`).
   */
  private giveUp(worker: Worker | null, message: string, detail?: unknown): void {
    if (!this.broken) this.log.warn(message, detail)
    this.broken = true
    if (worker && this.worker === worker) this.worker = null
    if (worker) this.terminate(worker)
    for (const [id, p] of this.pending) {
      this.pending.delete(id)
      clearTimeout(p.timer)
      if (p.onCrash === 'reject') {
        p.reject(new AppError('internal', `${p.task} computation failed: ${message}`))
        continue
      }
      try {
        p.resolve(runInline(p.task, p.input as never))
      } catch (err) {
        p.reject(err instanceof Error ? err : new Error(String(err)))
      }
    }
  }

  private onReply(reply: WorkerReply): void {
    const p = this.pending.get(reply.id)
    if (!p) return
    this.pending.delete(reply.id)
    clearTimeout(p.timer)
    if (this.pending.size === 0) this.worker?.unref()
    if (reply.ok) p.resolve(reply.value)
    else p.reject(new AppError(reply.error.kind, reply.error.message, reply.error.path))
  }

  private failAll(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer)
      this.pending.delete(id)
      p.reject(err)
    }
  }
}

/**
 * The built app ships the worker as its own chunk (electron-vite's `?modulePath` import gives
 * its path). Under tsx and Vitest the import is not rewritten and yields the module's empty
 * default export: the TypeScript source then runs through tsx's loader, registered inside the
 * worker.
 */
function createWorker(): Worker {
  if (typeof workerModule === 'string' && workerModule.length > 0) {
    return new Worker(workerModule, { workerData: WORKER_MARK })
  }
  const tsx = import.meta.resolve('tsx/esm/api')
  const source = new URL('./compute-worker.ts', import.meta.url).href
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}) })`
  return new Worker(boot, { eval: true, workerData: WORKER_MARK })
}
