import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { WORKER_MARK } from './protocol'

/**
 * How many worker threads the pool runs by default: one per core but one, left to the main
 * thread (the engine's event loop), and at least one.
 */
export function defaultPoolSize(cores: number = availableParallelism()): number {
  return Math.max(1, cores - 1)
}

/**
 * Starts a worker entry file (one that calls `serveTasks`). `built` is what electron-vite's
 * `?modulePath` import of the entry gave: in the built app the path of the entry's own chunk.
 * Under tsx and Vitest that import is not rewritten and yields the module's (empty) default
 * export instead: the TypeScript `source` then runs through tsx's loader, registered inside
 * the worker.
 */
export function workerSpawner(built: unknown, source: URL, data: unknown = WORKER_MARK): () => Worker {
  return () => {
    if (typeof built === 'string' && built.length > 0) {
      return new Worker(built, { workerData: data })
    }
    const tsx = import.meta.resolve('tsx/esm/api')
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}) })`
    return new Worker(boot, { eval: true, workerData: data })
  }
}
