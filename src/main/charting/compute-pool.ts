import { Worker } from 'node:worker_threads'
import { AppError, type AppErrorShape } from '../../shared/contract/errors'
import type { CandleSeries } from '../indicators'
import type { Logger } from '../log'
import { computeJobs, type ComputeJob, type JobColumns } from './compute'
import workerModule from './compute-worker?modulePath'

/** Must equal compute-worker.ts's mark (not imported from there: it would bundle the worker into main). */
const WORKER_MARK = 'candlework-charting-worker'

export interface WorkerRequest {
  id: number
  series: CandleSeries
  jobs: ComputeJob[]
}

export type WorkerReply =
  { id: number; ok: true; columns: JobColumns[] } | { id: number; ok: false; error: AppErrorShape }

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

interface Pending {
  series: CandleSeries
  jobs: ComputeJob[]
  resolve(columns: JobColumns[]): void
  reject(err: Error): void
  timer: ReturnType<typeof setTimeout>
}

export class ComputePool {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private broken = false

  constructor(
    private readonly log: Logger,
    private readonly inlineLimit = INLINE_LIMIT,
    /** Starts the worker; tests pass one that fails. */
    private readonly spawn: () => Worker = createWorker,
  ) {}

  /** Computes the jobs; large ones off the main thread. Every call settles exactly once. */
  run(series: CandleSeries, jobs: ComputeJob[]): Promise<JobColumns[]> {
    const work = jobs.reduce((sum, j) => sum + (series.time.length - j.start), 0)
    if (work <= this.inlineLimit || this.broken)
      return Promise.resolve().then(() => computeJobs(series, jobs))
    const worker = this.ensureWorker()
    if (!worker) return Promise.resolve().then(() => computeJobs(series, jobs))
    const id = this.nextId++
    return new Promise<JobColumns[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new AppError('internal', `indicator computation did not finish within ${TIMEOUT_MS / 1000} s`))
      }, TIMEOUT_MS)
      this.pending.set(id, { series, jobs, resolve, reject, timer })
      if (this.pending.size === 1) worker.ref()
      const req: WorkerRequest = { id, series, jobs }
      worker.postMessage(req)
    })
  }

  /** Stops the worker; pending computations fail. */
  close(): void {
    this.failAll(new AppError('unavailable', 'the engine is shutting down'))
    void this.worker?.terminate()
    this.worker = null
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker
    try {
      const worker = this.spawn()
      worker.unref()
      worker.on('message', (reply: WorkerReply) => this.onReply(reply))
      worker.on('error', (err) =>
        this.giveUp(worker, 'indicator worker failed; computing in the main thread', err),
      )
      worker.on('exit', (code) => {
        if (this.worker === worker) this.giveUp(worker, `indicator worker exited with code ${code}`)
      })
      this.worker = worker
      return worker
    } catch (err) {
      this.giveUp(null, 'indicator worker could not start; computing in the main thread', err)
      return null
    }
  }

  /**
   * Never leaves the chart without indicators: when the worker fails (or cannot start, e.g. a
   * packaged app that cannot load it), what it had pending and everything after is computed
   * in the main thread, and the log says so once.
   */
  private giveUp(worker: Worker | null, message: string, detail?: unknown): void {
    if (!this.broken) this.log.warn(message, detail)
    this.broken = true
    if (worker && this.worker === worker) this.worker = null
    void worker?.terminate()
    for (const [id, p] of this.pending) {
      this.pending.delete(id)
      clearTimeout(p.timer)
      try {
        p.resolve(computeJobs(p.series, p.jobs))
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
    if (reply.ok) p.resolve(reply.columns)
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
