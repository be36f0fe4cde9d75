/**
 * Worker thread for large indicator computations (see compute-pool.ts for when it is used).
 * Receives candle columns and jobs, answers with the output columns, buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../shared/contract/errors'
import { computeJobs } from './compute'
import type { WorkerReply, WorkerRequest } from './compute-pool'

/** Set by ComputePool when it starts this file as its worker; anywhere else this module does nothing. */
export const WORKER_MARK = 'candlework-charting-worker'

/**
 * Importing this file outside the worker (tsx and Vitest resolve compute-pool.ts's
 * `?modulePath` import to the module itself) must be harmless, and the import needs a default
 * export to link; the built app replaces that import with the chunk's path.
 */
export default ''

const port = workerData === WORKER_MARK ? parentPort : null
if (port) {
  port.on('message', (req: WorkerRequest) => {
    let reply: WorkerReply
    try {
      const columns = computeJobs(req.series, req.jobs)
      const buffers = new Set<ArrayBuffer>()
      for (const job of columns) for (const c of job) buffers.add(c.buffer as ArrayBuffer)
      reply = { id: req.id, ok: true, columns }
      port.postMessage(reply, [...buffers])
      return
    } catch (err) {
      reply = {
        id: req.id,
        ok: false,
        error:
          err instanceof AppError
            ? err.toShape()
            : { kind: 'internal', message: err instanceof Error ? err.message : String(err) },
      }
    }
    port.postMessage(reply)
  })
}
