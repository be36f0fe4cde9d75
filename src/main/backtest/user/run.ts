/**
 * Runs a user strategy file in its own worker thread (./worker.ts; in the built app its own
 * chunk, whose path electron-vite's `?modulePath` import gives). A syntax or runtime error in
 * the file fails only that run, with the file and line; a decision that takes longer than
 * `barTimeoutMs` (a loop) gets the worker terminated and the run fails naming the bar. Loading
 * the file has its own limit (`loadTimeoutMs`), for a loop at the file's top level.
 *
 * The worker isolates mistakes; it is not a sandbox: the file is code the trader runs.
 */
import { readdirSync } from 'node:fs'
import { extname, join } from 'node:path'
import { AppError } from '../../../shared/contract/errors'
import { workerSpawner } from '../../compute/spawn'
import type { SymbolSeries } from '../engine'
import type { RunOutput, RunSpec } from '../run'
import { STRATEGY_EXTENSIONS } from './load'
import { STRATEGY_WORKER_MARK, WATCH, type DescribedStrategy, type StrategyWorkerReply } from './protocol'
import workerModule from './worker?modulePath'
import type { StrategyWorkerRequest } from './worker'

export interface UserRunOptions {
  /** Longest one decision may take (default 1000 ms). */
  barTimeoutMs?: number
  /** Longest loading the file may take (default 10 s: transpiling and the worker's start). */
  loadTimeoutMs?: number
  signal?: AbortSignal
  onProgress?(done: number, total: number): void
}

const spawn = workerSpawner(workerModule, new URL('./worker.ts', import.meta.url), STRATEGY_WORKER_MARK)

function inWorker(
  req: Omit<StrategyWorkerRequest, 'watch'>,
  opts: UserRunOptions,
): Promise<StrategyWorkerReply> {
  const barLimit = opts.barTimeoutMs ?? 1000
  const loadLimit = opts.loadTimeoutMs ?? 10_000
  const watch = new SharedArrayBuffer(WATCH.size * 4)
  const w = new Int32Array(watch)
  const worker = spawn()
  return new Promise<StrategyWorkerReply>((resolve, reject) => {
    const started = Date.now()
    let seenSeq = -1
    let seenAt = started
    const stop = (err: AppError): void => {
      clearInterval(timer)
      void worker.terminate()
      reject(err)
    }
    const timer = setInterval(
      () => {
        const phase = Atomics.load(w, WATCH.phase)
        const now = Date.now()
        if (phase === WATCH.loading) {
          if (now - started > loadLimit)
            stop(new AppError('validation', `${req.file}: loading took longer than ${loadLimit} ms; stopped`))
          return
        }
        const seq = Atomics.load(w, WATCH.seq)
        if (phase !== WATCH.deciding || seq !== seenSeq) {
          seenSeq = seq
          seenAt = now
          return
        }
        if (now - seenAt > barLimit)
          stop(
            new AppError(
              'validation',
              `${req.file}: the decision on bar ${Atomics.load(w, WATCH.bar)} took longer than ${barLimit} ms (a loop?); stopped`,
            ),
          )
      },
      Math.max(5, Math.min(100, barLimit / 4)),
    )
    opts.signal?.addEventListener('abort', () => stop(new AppError('validation', 'cancelled')), {
      once: true,
    })
    worker.on('message', (reply: StrategyWorkerReply) => {
      if (reply.type === 'progress') return opts.onProgress?.(reply.done, reply.total)
      clearInterval(timer)
      void worker.terminate()
      resolve(reply)
    })
    worker.once('error', (err) => {
      clearInterval(timer)
      reject(new AppError('validation', `${req.file}: ${err.message}`))
    })
    worker.postMessage({ ...req, watch } satisfies StrategyWorkerRequest)
  })
}

/** One backtest of the strategy in `file` over `data`; rejects with AppError naming the file. */
export async function runStrategyFile(
  file: string,
  spec: Omit<RunSpec, 'strategy'>,
  data: SymbolSeries[],
  opts: UserRunOptions = {},
): Promise<RunOutput> {
  const reply = await inWorker({ file, spec: { ...spec, strategy: file }, data }, opts)
  if (reply.type === 'failed') throw new AppError('validation', reply.message)
  if (reply.type !== 'done') throw new AppError('internal', 'strategy worker answered out of turn')
  return reply.out
}

/** The strategy a file exports, described (loaded in a worker, not in this thread). */
export async function describeStrategyFile(
  file: string,
  opts: UserRunOptions = {},
): Promise<DescribedStrategy> {
  const reply = await inWorker({ file, spec: { strategy: file }, data: [], describeOnly: true }, opts)
  if (reply.type === 'failed') throw new AppError('validation', reply.message)
  if (reply.type !== 'described') throw new AppError('internal', 'strategy worker answered out of turn')
  return reply.def
}

/** Strategy files in a folder (the data folder's `strategies/`), sorted; none when it is missing. */
export function strategyFiles(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names
    .filter((n) => (STRATEGY_EXTENSIONS as readonly string[]).includes(extname(n)) && !n.endsWith('.d.ts'))
    .sort()
    .map((n) => join(dir, n))
}
