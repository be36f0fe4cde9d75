import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../shared/contract/errors'
import { WORKER_MARK, type WorkerReply, type WorkerRequest } from './protocol'
import { progressContext, type AnyTaskKind } from './task'

/**
 * The worker thread's side of the pool: answers each request by running its task kind, with
 * the task's progress reports on the way and the result's buffers transferred. A worker entry
 * file (src/main/compute-worker.ts) calls this with the engine's kinds; tests start their own
 * entry with their own kinds. Outside a thread the pool started (the entry imported in the
 * main thread, as tsx and Vitest do for `?modulePath` imports) it does nothing.
 */
export function serveTasks(kinds: readonly AnyTaskKind[]): void {
  const port = workerData === WORKER_MARK ? parentPort : null
  if (!port) return
  const byKind = new Map(kinds.map((k) => [k.kind, k]))
  port.on('message', (req: WorkerRequest) => {
    let reply: WorkerReply
    try {
      const task = byKind.get(req.kind)
      if (!task) throw new AppError('internal', `unknown compute task ${String(req.kind)}`)
      const ctx = progressContext((progress) => {
        const update: WorkerReply = { id: req.id, type: 'progress', progress }
        port.postMessage(update)
      })
      const out = task.run(req.input as never, ctx)
      reply = { id: req.id, type: 'done', value: out.value }
      port.postMessage(reply, out.transfer)
      return
    } catch (err) {
      reply = {
        id: req.id,
        type: 'failed',
        error:
          err instanceof AppError
            ? err.toShape()
            : { kind: 'internal', message: err instanceof Error ? err.message : String(err) },
      }
    }
    port.postMessage(reply)
  })
  const ready: WorkerReply = { type: 'ready' }
  port.postMessage(ready)
}
