/**
 * The compute pool's worker thread entry (built as its own chunk: see compute-pool.ts): serves
 * the engine's task kinds. Imported anywhere else (tsx and Vitest resolve compute-pool.ts's
 * `?modulePath` import to this module itself) it does nothing.
 */
import { serveTasks } from './compute/worker'
import { TASK_KINDS } from './tasks'

// The import needs a default export to link outside the build, which replaces it with a path.
export default ''

serveTasks(TASK_KINDS)
