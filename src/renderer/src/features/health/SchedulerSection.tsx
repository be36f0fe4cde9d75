import { useEffect } from 'react'
import type { Task, TaskRun } from '../../../../shared/contract/scheduler'
import { formatStamp } from '../desk/format'
import { openEditor, runNow, setEnabled, watchScheduler } from './scheduler-actions'
import { useSchedulerStore } from './scheduler-store'
import { TaskEditorRow } from './TaskEditor'

const RESULT_LABELS: Record<TaskRun['result'], string> = { ok: 'OK', failed: 'Failed', skipped: 'Skipped' }
const TRIGGER_LABELS: Record<TaskRun['trigger'], string> = {
  schedule: 'on schedule',
  'catch-up': 'caught up',
  manual: 'run by hand',
}
const CATCH_UP_LABELS: Record<Task['catchUp'], string> = {
  'run-once': 'missed runs: run once',
  skip: 'missed runs: skip',
}

/** A run's length: `120 ms`, `4.2 s`. */
function formatRunTime(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`
}

/** The engine's scheduled tasks: schedule, switch, next and last run, Run now and the editor. */
export function SchedulerSection() {
  useEffect(() => watchScheduler(), [])
  const tasks = useSchedulerStore((s) => s.tasks)
  const editing = useSchedulerStore((s) => s.editor?.id ?? null)
  return (
    <>
      <h2 className="health-h2">Scheduled tasks</h2>
      {tasks === null ? (
        <p className="health-dim">Reading…</p>
      ) : (
        <div className="health-table-wrap">
          <table className="health-table" data-testid="scheduler-tasks">
            <thead>
              <tr>
                <th>Task</th>
                <th>Schedule</th>
                <th>On</th>
                <th>Next run</th>
                <th>Last run</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tasks.map((t) => (
                <TaskRows key={t.id} task={t} editing={editing === t.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

function TaskRows({ task: t, editing }: { task: Task; editing: boolean }) {
  const asked = useSchedulerStore((s) => s.running.includes(t.id))
  const busy = asked || t.running
  return (
    <>
      <tr data-testid="task-row" data-task={t.id}>
        <td title={t.about}>{t.label}</td>
        <td data-testid="task-schedule">
          {t.description}
          <div className="health-dim">{CATCH_UP_LABELS[t.catchUp]}</div>
        </td>
        <td>
          <input
            type="checkbox"
            data-testid="task-enabled"
            aria-label={`${t.label} enabled`}
            checked={t.enabled}
            onChange={(e) => void setEnabled(t.id, e.target.checked)}
          />
        </td>
        <td className="num" data-testid="task-next">
          {t.running ? (
            'Running now'
          ) : t.nextRun === null ? (
            <span className="health-dim">Off</span>
          ) : (
            formatStamp(t.nextRun)
          )}
        </td>
        <td data-testid="task-last">
          <LastRun run={t.lastRun} />
        </td>
        <td className="r health-actions">
          <button
            type="button"
            className="btn"
            data-testid="task-run-now"
            disabled={busy}
            onClick={() => void runNow(t.id)}
          >
            {busy ? 'Running…' : 'Run now'}
          </button>{' '}
          <button
            type="button"
            className="btn"
            data-testid="task-edit"
            disabled={editing}
            onClick={() => openEditor(t)}
          >
            Edit…
          </button>
        </td>
      </tr>
      {editing && <TaskEditorRow />}
    </>
  )
}

function LastRun({ run }: { run: TaskRun | null }) {
  if (run === null) return <span className="health-dim">Never</span>
  const cls = run.result === 'ok' ? 'up' : run.result === 'failed' ? 'down' : 'health-dim'
  return (
    <span data-started={run.startedAt}>
      <span className="num">{formatStamp(run.startedAt)}</span>{' '}
      <span className={cls} data-testid="task-result">
        {RESULT_LABELS[run.result]}
      </span>
      <span className="health-dim">
        {' '}
        · {formatRunTime(run.durationMs)} · {TRIGGER_LABELS[run.trigger]}
      </span>
      <div className="health-task-message" title={run.message} data-testid="task-message">
        {run.message}
      </div>
    </span>
  )
}
