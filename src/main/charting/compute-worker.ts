/**
 * The compute worker thread (see compute-pool.ts for when it is used): runs the named pure
 * tasks of worker-tasks.ts (indicator batches, the signals' cold seed) and answers with their
 * results, buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../shared/contract/errors'
import { WORKER_MARK, type WorkerReply, type WorkerRequest } from './worker-protocol'
import { WORKER_TASKS, type TaskOutput } from './worker-tasks'

/**
 * Importing this file outside the worker (tsx and Vitest resolve compute-pool.ts's
 * `?modulePath` import to the module itself) must be harmless, and the import needs a default
 * export to link; the built app replaces that import with the chunk's path.
 */
export default ''

// Set by ComputePool when it starts this file as its worker; anywhere else this module does nothing.
const port = workerData === WORKER_MARK ? parentPort : null
if (port) {
  port.on('message', (req: WorkerRequest) => {
    let reply: WorkerReply
    try {
      const run = Object.hasOwn(WORKER_TASKS, req.task)
        ? (WORKER_TASKS[req.task] as (input: unknown) => TaskOutput<unknown>)
        : undefined
      if (!run) throw new AppError('internal', `unknown compute task ${String(req.task)}`)
      const out = run(req.input)
      reply = { id: req.id, ok: true, value: out.value }
      port.postMessage(reply, out.transfer)
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
