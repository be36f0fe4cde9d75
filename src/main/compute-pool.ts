import { ComputePool } from './compute/pool'
import { workerSpawner } from './compute/spawn'
import type { Logger } from './log'
import workerModule from './compute-worker?modulePath'
import { TASK_KINDS } from './tasks'

/**
 * The engine's compute pool: the task kinds of tasks.ts, served by compute-worker.ts (in the
 * built app its own chunk, whose path electron-vite's `?modulePath` import gives; under tsx and
 * Vitest the TypeScript source). `size` worker threads at most, by default one per core but
 * one. The engine creates one and closes it.
 */
export function createComputePool(opts: { log: Logger; size?: number | undefined }): ComputePool {
  return new ComputePool({
    log: opts.log,
    size: opts.size,
    kinds: TASK_KINDS,
    spawn: workerSpawner(workerModule, new URL('./compute-worker.ts', import.meta.url)),
  })
}
