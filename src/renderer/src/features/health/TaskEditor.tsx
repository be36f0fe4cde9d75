import type { CatchUp } from '../../../../shared/contract/scheduler'
import { formatStamp } from '../desk/format'
import { closeEditor, editSchedule, saveEditor } from './scheduler-actions'
import { INTERVAL_UNITS, useSchedulerStore, type IntervalUnit } from './scheduler-store'

/** Time zones offered as the zone is typed (any IANA name the engine knows is accepted). */
const ZONES: readonly string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []

/**
 * A task's schedule being edited, in a row under it: a cron (described with its next five runs
 * as it is typed, or the field that is wrong) or an interval, a time zone, and what to do with
 * runs missed while the app was closed or the machine asleep.
 */
export function TaskEditorRow() {
  const e = useSchedulerStore((s) => s.editor)
  if (!e) return null
  const fieldError = (field: 'cron' | 'timeZone' | 'every') =>
    e.error?.field === field ? (
      <div className="down health-field-error" role="alert" data-testid={`task-${field}-error`}>
        {e.error.message}
      </div>
    ) : null
  return (
    <tr className="health-editor-row" data-testid="task-editor">
      <td colSpan={6}>
        <form
          className="health-editor"
          onSubmit={(ev) => {
            ev.preventDefault()
            void saveEditor()
          }}
        >
          <fieldset className="health-editor-kind">
            <label>
              <input
                type="radio"
                name="kind"
                checked={e.type === 'cron'}
                onChange={() => editSchedule({ type: 'cron' })}
              />{' '}
              Cron
            </label>
            <label>
              <input
                type="radio"
                name="kind"
                data-testid="task-kind-interval"
                checked={e.type === 'interval'}
                onChange={() => editSchedule({ type: 'interval' })}
              />{' '}
              Interval
            </label>
          </fieldset>
          {e.type === 'cron' ? (
            <div className="health-field">
              <label htmlFor="task-cron">Cron (minute hour day month weekday)</label>
              <input
                id="task-cron"
                className="num"
                data-testid="task-cron"
                value={e.cron}
                spellCheck={false}
                autoFocus
                aria-invalid={e.check.state === 'bad' || e.error?.field === 'cron'}
                onChange={(ev) => editSchedule({ cron: ev.target.value })}
              />
              {e.check.state === 'bad' && (
                <div className="down health-field-error" role="alert" data-testid="task-cron-error">
                  {e.check.message}
                </div>
              )}
              {e.check.state !== 'bad' && fieldError('cron')}
              {e.check.state === 'ok' && (
                <div data-testid="task-cron-described">
                  <div>{e.check.description}</div>
                  <ol className="health-dim health-next-runs" data-testid="task-cron-next">
                    {e.check.nextRuns.map((t) => (
                      <li key={t} className="num">
                        {formatStamp(t)}
                      </li>
                    ))}
                  </ol>
                </div>
              )}
              {e.check.state === 'checking' && <div className="health-dim">Checking…</div>}
            </div>
          ) : (
            <div className="health-field">
              <label htmlFor="task-every">Every</label>
              <span>
                <input
                  id="task-every"
                  className="num health-every"
                  data-testid="task-every"
                  inputMode="numeric"
                  value={e.every}
                  onChange={(ev) => editSchedule({ every: ev.target.value })}
                />{' '}
                <select
                  aria-label="Unit"
                  value={e.unit}
                  onChange={(ev) => editSchedule({ unit: ev.target.value as IntervalUnit })}
                >
                  {Object.keys(INTERVAL_UNITS).map((u) => (
                    <option key={u} value={u}>
                      {u}
                    </option>
                  ))}
                </select>
              </span>
              <div className="health-dim">Counted from the last run.</div>
              {fieldError('every')}
            </div>
          )}
          <div className="health-field">
            <label htmlFor="task-zone">Time zone</label>
            <input
              id="task-zone"
              data-testid="task-zone"
              list="task-zones"
              value={e.timeZone}
              spellCheck={false}
              onChange={(ev) => editSchedule({ timeZone: ev.target.value })}
            />
            <datalist id="task-zones">
              {ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            {fieldError('timeZone')}
          </div>
          <div className="health-field">
            <label htmlFor="task-catch-up">Missed runs</label>
            <select
              id="task-catch-up"
              data-testid="task-catch-up"
              value={e.catchUp}
              onChange={(ev) => editSchedule({ catchUp: ev.target.value as CatchUp })}
            >
              <option value="run-once">Run once (however many were missed)</option>
              <option value="skip">Skip them</option>
            </select>
          </div>
          {e.error?.field === 'form' && (
            <div className="down health-field-error" role="alert" data-testid="task-save-error">
              {e.error.message}
            </div>
          )}
          <div className="health-editor-actions">
            <button type="button" className="btn" onClick={closeEditor} disabled={e.saving}>
              Cancel
            </button>
            <button
              type="submit"
              className="btn tk-btn-solid"
              data-testid="task-save"
              disabled={e.saving || (e.type === 'cron' && e.check.state === 'bad')}
            >
              {e.saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      </td>
    </tr>
  )
}
