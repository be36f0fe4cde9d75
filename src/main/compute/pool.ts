import type { Worker } from 'node:worker_threads'
import { AppError } from '../../shared/contract/errors'
import type { Logger } from '../log'
import type { WorkerReply, WorkerRequest } from './protocol'
import { closingError, runInline, type Compute, type RunOptions } from './runner'
import { defaultPoolSize } from './spawn'
import type { AnyTaskKind, TaskKind } from './task'

/** A job running longer than this fails, and its worker is replaced. */
export const TIMEOUT_MS = 60_000
/** A worker that has not loaded its task kinds by then counts as failed (see giveUp). */
export const BOOT_TIMEOUT_MS = 60_000

export interface ComputePoolOptions {
  log: Logger
  /** Every task kind the pool may run; the worker entry `spawn` starts must serve the same. */
  kinds: readonly AnyTaskKind[]
  /** Starts one worker thread (see spawn.ts's workerSpawner); tests pass one that fails. */
  spawn: () => Worker
  /** Worker threads at most; by default `defaultPoolSize()` (one per core but one, at least 1). */
  size?: number
  timeoutMs?: number
  bootTimeoutMs?: number
}

interface Job {
  id: number
  task: AnyTaskKind
  input: unknown
  opts: RunOptions
  /** The worker running it, once dispatched. */
  slot: Slot | null
  timer: ReturnType<typeof setTimeout> | null
  settled: boolean
  unhook(): void
  resolve(value: unknown): void
  reject(err: unknown): void
}

interface Slot {
  worker: Worker
  job: Job | null
  /** Until the worker says it is ready: the limit on its start-up (a job's own time starts after). */
  booting: ReturnType<typeof setTimeout> | null
}

/**
 * The engine's worker threads for heavy pure work (the task kinds of src/main/tasks.ts: the
 * chart's indicator batches, the signals' cold seeds, ...).
 *
 * Scheduling: every kind has its own FIFO queue, and a free worker takes the next job of the
 * kind with the fewest jobs running, then the one served longest ago. So a kind that queues
 * many long jobs (an optimisation) cannot starve another: a job of another kind waits at most
 * for one job to finish (with one worker; less with more). A job itself is never split or
 * interrupted, so work that takes long must be posted as several jobs.
 *
 * Workers start when work needs them, up to `size`, and stay (unref'd while idle: they never
 * keep the process alive) until `close`, which the engine calls when it closes. When a worker
 * fails, later work runs in the main thread (never an empty chart), and the log says so once.
 */
export class ComputePool implements Compute {
  readonly size: number
  private readonly log: Logger
  private readonly spawn: () => Worker
  private readonly timeoutMs: number
  private readonly bootTimeoutMs: number
  private readonly kinds = new Map<string, AnyTaskKind>()
  private readonly queues = new Map<string, Job[]>()
  private readonly running = new Map<string, number>()
  private readonly lastServed = new Map<string, number>()
  private served = 0
  private nextId = 1
  private slots: Slot[] = []
  private readonly exits = new Set<Promise<void>>()
  private broken = false
  private closed: Promise<void> | null = null

  constructor(opts: ComputePoolOptions) {
    const size = opts.size ?? defaultPoolSize()
    if (!Number.isInteger(size) || size < 1) {
      throw new Error(`compute pool size must be a whole number of at least 1, got ${size}`)
    }
    this.size = size
    this.log = opts.log
    this.spawn = opts.spawn
    this.timeoutMs = opts.timeoutMs ?? TIMEOUT_MS
    this.bootTimeoutMs = opts.bootTimeoutMs ?? BOOT_TIMEOUT_MS
    for (const k of opts.kinds) {
      if (this.kinds.has(k.kind)) throw new Error(`compute task kind ${k.kind} is registered twice`)
      this.kinds.set(k.kind, k)
      this.queues.set(k.kind, [])
    }
  }

  /** Live worker threads: 0 before the first job that needs one, at most `size`, 0 after `close`. */
  get workerCount(): number {
    return this.slots.length
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    let n = 0
    for (const q of this.queues.values()) n += q.length
    return n
  }

  /**
   * Runs a task in a worker (in the main thread with `inline`, or when no worker can run).
   * Settles exactly once: the result, the task's own error (an AppError keeps its kind), a
   * timeout, the worker's death (`onCrash`), the signal's reason when cancelled, or
   * `closingError` when the pool closes.
   */
  run<I, O>(task: TaskKind<I, O>, input: I, opts: RunOptions = {}): Promise<O> {
    if (this.closed) return Promise.reject(closingError())
    if (this.kinds.get(task.kind) !== (task as unknown as AnyTaskKind)) {
      return Promise.reject(
        new AppError(
          'internal',
          `compute task ${task.kind} is not registered with the pool (src/main/tasks.ts)`,
        ),
      )
    }
    if (opts.signal?.aborted) return Promise.reject(opts.signal.reason)
    if (opts.inline || this.broken) return this.inline(task, input, opts)
    return new Promise<O>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        task: task as unknown as AnyTaskKind,
        input,
        opts,
        slot: null,
        timer: null,
        settled: false,
        unhook: () => {},
        resolve: resolve as (value: unknown) => void,
        reject,
      }
      const signal = opts.signal
      if (signal) {
        const onAbort = (): void => this.cancel(job, signal.reason)
        signal.addEventListener('abort', onAbort, { once: true })
        job.unhook = () => signal.removeEventListener('abort', onAbort)
      }
      this.queues.get(task.kind)!.push(job)
      this.pump()
    })
  }

  /**
   * Stops the workers: jobs queued and in flight fail with `closingError`, later ones too, and
   * the returned promise settles once every thread has exited. Idempotent (every call returns
   * the same promise).
   */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = Promise.resolve()
      for (const q of this.queues.values()) for (const job of q.splice(0)) this.fail(job, closingError())
      for (const slot of this.slots.splice(0)) {
        if (slot.job) this.fail(slot.job, closingError())
        if (slot.booting) clearTimeout(slot.booting)
        this.terminate(slot.worker)
      }
      this.closed = Promise.all([...this.exits]).then(() => undefined)
    }
    return this.closed
  }

  private inline<I, O>(task: TaskKind<I, O>, input: I, opts: RunOptions): Promise<O> {
    return Promise.resolve().then(() => {
      if (this.closed) throw closingError()
      return runInline(task, input, opts)
    })
  }

  /** Hands queued jobs to free workers (starting workers up to `size`), fairly between kinds. */
  private pump(): void {
    while (!this.closed && !this.broken) {
      const kind = this.nextKind()
      if (!kind) return
      const slot = this.freeSlot()
      if (!slot) return
      this.dispatch(slot, this.queues.get(kind)!.shift()!)
    }
  }

  /** The kind with queued work and the fewest jobs running; of those, the one served longest ago. */
  private nextKind(): string | null {
    let best: string | null = null
    let bestRunning = 0
    let bestServed = 0
    for (const [kind, queue] of this.queues) {
      if (queue.length === 0) continue
      const running = this.running.get(kind) ?? 0
      const served = this.lastServed.get(kind) ?? 0
      if (best === null || running < bestRunning || (running === bestRunning && served < bestServed)) {
        best = kind
        bestRunning = running
        bestServed = served
      }
    }
    return best
  }

  private freeSlot(): Slot | null {
    const idle = this.slots.find((s) => s.job === null)
    if (idle) return idle
    if (this.slots.length >= this.size) return null
    let worker: Worker
    try {
      worker = this.spawn()
    } catch (err) {
      this.giveUp(null, 'compute worker could not start; computing in the main thread', err)
      return null
    }
    const slot: Slot = { worker, job: null, booting: null }
    slot.booting = setTimeout(() => {
      if (this.slots.includes(slot)) {
        this.giveUp(slot, `compute worker did not start within ${this.bootTimeoutMs / 1000} s`)
      }
    }, this.bootTimeoutMs)
    slot.booting.unref()
    worker.unref()
    worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply))
    worker.on('error', (err) => {
      if (this.slots.includes(slot))
        this.giveUp(slot, 'compute worker failed; computing in the main thread', err)
    })
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) this.giveUp(slot, `compute worker exited with code ${code}`)
    })
    this.slots.push(slot)
    return slot
  }

  private dispatch(slot: Slot, job: Job): void {
    const kind = job.task.kind
    slot.job = job
    job.slot = slot
    this.running.set(kind, (this.running.get(kind) ?? 0) + 1)
    this.lastServed.set(kind, ++this.served)
    if (!slot.booting) this.startClock(slot, job)
    slot.worker.ref()
    const req: WorkerRequest = { id: job.id, kind, input: job.input }
    slot.worker.postMessage(req)
  }

  /** The job's time limit, from when its worker is ready to run it. */
  private startClock(slot: Slot, job: Job): void {
    const limit = job.opts.timeoutMs ?? this.timeoutMs
    job.timer = setTimeout(
      () =>
        this.stop(
          slot,
          new AppError('internal', `${job.task.kind} computation did not finish within ${limit / 1000} s`),
        ),
      limit,
    )
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const job = slot.job
    if (reply.type === 'ready') {
      if (slot.booting) clearTimeout(slot.booting)
      slot.booting = null
      if (job && !job.timer) this.startClock(slot, job)
      return
    }
    if (!job || job.id !== reply.id) return
    if (reply.type === 'progress') {
      try {
        job.opts.onProgress?.(reply.progress)
      } catch (err) {
        this.log.warn(`${job.task.kind} progress listener failed`, err)
      }
      return
    }
    this.release(slot)
    if (reply.type === 'done') this.settle(job, () => job.resolve(reply.value))
    else this.fail(job, new AppError(reply.error.kind, reply.error.message, reply.error.path))
    this.pump()
  }

  /** The slot's job is over: the worker is free again (or, once the pool gave up on workers, stopped). */
  private release(slot: Slot): void {
    const job = slot.job
    if (job) this.running.set(job.task.kind, this.running.get(job.task.kind)! - 1)
    slot.job = null
    slot.worker.unref()
    if (this.broken) this.retire(slot)
  }

  /** Ends the job a worker is running by terminating that worker; the next job gets a new one. */
  private stop(slot: Slot, reason: unknown): void {
    const job = slot.job
    if (!job) return
    this.release(slot)
    this.retire(slot)
    this.fail(job, reason)
    this.pump()
  }

  private cancel(job: Job, reason: unknown): void {
    if (job.settled) return
    if (job.slot) return this.stop(job.slot, reason)
    const queue = this.queues.get(job.task.kind)!
    const at = queue.indexOf(job)
    if (at >= 0) queue.splice(at, 1)
    this.fail(job, reason)
  }

  private retire(slot: Slot): void {
    const at = this.slots.indexOf(slot)
    if (at < 0) return
    this.slots.splice(at, 1)
    if (slot.booting) clearTimeout(slot.booting)
    this.terminate(slot.worker)
  }

  private terminate(worker: Worker): void {
    const exit = worker.terminate().then(
      () => undefined,
      () => undefined,
    )
    this.exits.add(exit)
    void exit.then(() => this.exits.delete(exit))
  }

  /**
   * Never leaves the chart without indicators: when a worker fails (or cannot start, e.g. a
   * packaged app that cannot load it), later work is computed in the main thread, and the log
   * says so once. The failed worker's job is computed in the main thread too, or fails with the
   * reason (`onCrash`); queued jobs run in the main thread; other workers finish their job and stop.
   */
  private giveUp(slot: Slot | null, message: string, detail?: unknown): void {
    if (!this.broken) this.log.warn(message, detail)
    this.broken = true
    const crashed = slot?.job ?? null
    if (slot) {
      this.release(slot)
      this.retire(slot)
    }
    for (const idle of this.slots.filter((s) => s.job === null)) this.retire(idle)
    if (crashed) {
      if (crashed.opts.onCrash === 'inline') this.fallBack(crashed)
      else this.fail(crashed, new AppError('internal', `${crashed.task.kind} computation failed: ${message}`))
    }
    for (const q of this.queues.values()) for (const job of q.splice(0)) this.fallBack(job)
  }

  private fallBack(job: Job): void {
    job.slot = null
    this.inline(job.task, job.input as never, job.opts).then(
      (value) => this.settle(job, () => job.resolve(value)),
      (err: unknown) => this.fail(job, err),
    )
  }

  private fail(job: Job, err: unknown): void {
    this.settle(job, () => job.reject(err))
  }

  private settle(job: Job, outcome: () => void): void {
    if (job.settled) return
    job.settled = true
    job.unhook()
    if (job.timer) clearTimeout(job.timer)
    outcome()
  }
}
