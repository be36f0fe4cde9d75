import { create } from 'zustand'
import type { CatchUp, Task } from '../../../../shared/contract/scheduler'

/** Units an interval is typed in. */
export const INTERVAL_UNITS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const
export type IntervalUnit = keyof typeof INTERVAL_UNITS

/** What `scheduler.describe` said of the cron being typed. */
export type CronCheck =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ok'; description: string; nextRuns: number[] }
  | { state: 'bad'; message: string }

/** The schedule editor of one task, as typed (nothing is sent until Save). */
export interface TaskEditor {
  id: string
  type: 'cron' | 'interval'
  cron: string
  timeZone: string
  every: string
  unit: IntervalUnit
  catchUp: CatchUp
  check: CronCheck
  saving: boolean
  /** The engine's refusal of Save, at the field it names. */
  error: { field: 'cron' | 'timeZone' | 'every' | 'form'; message: string } | null
}

interface SchedulerState {
  tasks: Task[] | null
  /** Task ids with a Run now in flight. */
  running: string[]
  editor: TaskEditor | null
}

export const useSchedulerStore = create<SchedulerState>()(() => ({ tasks: null, running: [], editor: null }))

/** A task put in its place by id (new ones at the end). */
export function withTask(tasks: readonly Task[] | null, task: Task): Task[] {
  const list = tasks ?? []
  const i = list.findIndex((t) => t.id === task.id)
  return i < 0 ? [...list, task] : list.map((t, j) => (j === i ? task : t))
}
