// The engine's compute pool: worker threads for heavy pure work, with task kinds defined by the
// domains (see docs/ARCHITECTURE.md, "Compute"). Domains import `defineTask` from ./task in
// their tasks.ts (which the worker loads) and the `Compute` type from here.
export { ComputePool, TIMEOUT_MS, type ComputePoolOptions } from './pool'
export { closingError, inlineCompute, type Compute, type RunOptions } from './runner'
export { defaultPoolSize, workerSpawner } from './spawn'
export {
  defineTask,
  type AnyTaskKind,
  type Progress,
  type TaskContext,
  type TaskKind,
  type TaskOutput,
} from './task'
export { serveTasks } from './worker'
