import type { AnyTaskKind } from './compute/task'
import { BACKTEST_TASKS } from './backtest/tasks'
import { BACKUP_TASKS } from './backup/tasks'
import { CHARTING_TASKS } from './charting/tasks'
import { RISK_TASKS } from './risk/portfolio/tasks'
import { SIGNALS_TASKS } from './signals/tasks'
import { STORAGE_TASKS } from './storage/tasks'

/**
 * Every compute task kind of the engine, one line per domain that has any. The pool accepts
 * only these (compute-pool.ts) and its worker threads serve the same list (compute-worker.ts).
 */
export const TASK_KINDS: readonly AnyTaskKind[] = [
  ...CHARTING_TASKS,
  ...SIGNALS_TASKS,
  ...STORAGE_TASKS,
  ...BACKTEST_TASKS,
  ...BACKUP_TASKS,
  ...RISK_TASKS,
]
