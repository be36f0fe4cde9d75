import type { AppErrorShape } from '../../../../shared/contract'
import type { Schedule, Task } from '../../../../shared/contract/scheduler'
import { slot } from '../../sync'
import { notify } from '../notices/store'
import {
  INTERVAL_UNITS,
  useSchedulerStore,
  withTask,
  type IntervalUnit,
  type TaskEditor,
} from './scheduler-store'

/**
 * The Health view's scheduled tasks: `scheduler.list` once, then `scheduler.updates` applied
 * (a task replaced by its id), while the view is open. The editor is a scope of its own per
 * task, so a cron description typed for a task that is no longer edited never lands.
 */
const watching = slot()
const editing = slot()

/** How long typing may pause before the cron is described (one request per pause, newest wins). */
export const DESCRIBE_DELAY_MS = 200

const set = useSchedulerStore.setState
const get = useSchedulerStore.getState

export function watchScheduler(): () => void {
  const scope = watching.open()
  let snapshot = false
  // Followed before the list is asked for: a task event meanwhile is applied again on top.
  scope.follow(
    'scheduler.updates',
    {},
    (e) => {
      if (e.type === 'snapshot') {
        snapshot = true
        set({ tasks: e.tasks })
      } else set((s) => ({ tasks: withTask(s.tasks, e.task) }))
    },
    { endTitle: 'Scheduled tasks stopped updating' },
  )
  void scope.invoke('scheduler.list', {}).then((res) => {
    if (!res) return
    if (!res.ok) notify('warning', 'Could not read the scheduled tasks', res.error.message)
    else if (!snapshot) set({ tasks: res.value })
  })
  return () => {
    watching.close(scope)
    closeEditor()
  }
}

function applyTask(task: Task): void {
  set((s) => ({ tasks: withTask(s.tasks, task) }))
}

/** Runs a task now; its new last run arrives with the answer (and through the stream). */
export async function runNow(id: string): Promise<void> {
  const scope = watching.current
  if (!scope || get().running.includes(id)) return
  set((s) => ({ running: [...s.running, id] }))
  const res = await scope.invoke('scheduler.runNow', { id })
  set((s) => ({ running: s.running.filter((r) => r !== id) }))
  if (!res) return
  if (res.ok) applyTask(res.value)
  else notify('warning', 'Could not run the task', res.error.message)
}

export async function setEnabled(id: string, enabled: boolean): Promise<void> {
  const scope = watching.current
  if (!scope) return
  const res = await scope.invoke('scheduler.update', { id, enabled }, `enabled:${id}`)
  if (!res) return
  if (res.ok) applyTask(res.value)
  else
    notify('warning', enabled ? 'Could not enable the task' : 'Could not pause the task', res.error.message)
}

/** The interval as typed: a whole number of the largest unit that divides it. */
function intervalParts(everyMs: number): { every: string; unit: IntervalUnit } {
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    if (everyMs % INTERVAL_UNITS[unit] === 0) return { every: String(everyMs / INTERVAL_UNITS[unit]), unit }
  }
  return { every: String(everyMs / INTERVAL_UNITS.minutes), unit: 'minutes' }
}

export function openEditor(task: Task): void {
  const scope = editing.open(task.id)
  const s = task.schedule
  const interval =
    s.type === 'interval' ? intervalParts(s.everyMs) : { every: '60', unit: 'minutes' as const }
  set({
    editor: {
      id: task.id,
      type: s.type,
      cron: s.type === 'cron' ? s.cron : '0 * * * *',
      timeZone: s.timeZone,
      ...interval,
      catchUp: task.catchUp,
      check: { state: 'idle' },
      saving: false,
      error: null,
    },
  })
  if (s.type === 'cron') void describe(scope)
}

export function closeEditor(): void {
  editing.close()
  set({ editor: null })
}

/** A change typed in the editor; the cron and its zone are described again after a pause. */
export function editSchedule(
  patch: Partial<Pick<TaskEditor, 'type' | 'cron' | 'timeZone' | 'every' | 'unit' | 'catchUp'>>,
): void {
  const scope = editing.current
  if (!scope) return
  set((s) => (s.editor ? { editor: { ...s.editor, ...patch, error: null } } : {}))
  if ('cron' in patch || 'timeZone' in patch || patch.type === 'cron') {
    set((s) => (s.editor ? { editor: { ...s.editor, check: { state: 'checking' } } } : {}))
    scope.later('describe', () => void describe(scope), DESCRIBE_DELAY_MS)
  }
}

async function describe(scope: NonNullable<typeof editing.current>): Promise<void> {
  const e = get().editor
  if (!e || e.type !== 'cron') return
  const res = await scope.invoke('scheduler.describe', { cron: e.cron, timeZone: e.timeZone }, 'describe')
  if (!res) return
  const check = res.ok
    ? ({ state: 'ok', ...res.value } as const)
    : ({ state: 'bad', message: res.error.message } as const)
  set((s) => (s.editor ? { editor: { ...s.editor, check } } : {}))
}

/** The schedule as typed, or the field that is wrong. */
export function scheduleOf(e: TaskEditor): Schedule | { field: 'every'; message: string } {
  if (e.type === 'cron') return { type: 'cron', cron: e.cron, timeZone: e.timeZone }
  const n = Number(e.every.trim())
  if (e.every.trim() === '' || !Number.isInteger(n) || n <= 0) {
    return { field: 'every', message: 'Every: a whole number above 0' }
  }
  const everyMs = n * INTERVAL_UNITS[e.unit]
  if (everyMs < INTERVAL_UNITS.minutes || everyMs > 31 * INTERVAL_UNITS.days) {
    return { field: 'every', message: 'Every: from 1 minute to 31 days' }
  }
  return { type: 'interval', everyMs, timeZone: e.timeZone }
}

/** Which field an engine refusal names (`params.schedule.cron`, `params.schedule.timeZone`, ...). */
function fieldOf(error: AppErrorShape): 'cron' | 'timeZone' | 'every' | 'form' {
  const path = error.path ?? ''
  if (path.endsWith('cron')) return 'cron'
  if (path.endsWith('timeZone')) return 'timeZone'
  if (path.endsWith('everyMs')) return 'every'
  return 'form'
}

export async function saveEditor(): Promise<void> {
  const scope = editing.current
  const e = get().editor
  if (!scope || !e || e.saving) return
  const schedule = scheduleOf(e)
  if ('field' in schedule) {
    set({ editor: { ...e, error: schedule } })
    return
  }
  set({ editor: { ...e, saving: true, error: null } })
  const res = await scope.invoke('scheduler.update', { id: e.id, schedule, catchUp: e.catchUp }, 'save')
  if (!res) return
  if (res.ok) {
    applyTask(res.value)
    closeEditor()
  } else {
    set((s) =>
      s.editor
        ? {
            editor: {
              ...s.editor,
              saving: false,
              error: { field: fieldOf(res.error), message: res.error.message },
            },
          }
        : {},
    )
  }
}
