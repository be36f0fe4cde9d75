import { useState } from 'react'
import type { BacktestSummary } from '../../../../shared/contract/backtest'
import { formatPercent } from '../../lib/format'
import { formatMetric } from './metrics'
import { compareRuns, deleteRun, openRun, renameRun, togglePick } from './actions'
import { useBacktestStore } from './store'

/** Stored runs, newest first: open, rename, delete, and tick two to compare. */
export function RunsList() {
  const runs = useBacktestStore((s) => s.runs)
  const picked = useBacktestStore((s) => s.picked)
  const shown = useBacktestStore((s) => s.shown)
  return (
    <section className="bt-runs" data-testid="backtest-runs">
      <div className="bt-runs-head">
        <h2 className="bt-h2">Runs</h2>
        <button
          className="btn btn-small"
          type="button"
          data-testid="backtest-compare"
          disabled={picked.length < 2}
          onClick={() => void compareRuns()}
        >
          Compare {picked.length}/2
        </button>
      </div>
      {runs.length === 0 && <p className="bt-dim">No runs yet.</p>}
      <ul>
        {runs.map((r) => (
          <RunRow key={r.id} run={r} picked={picked.includes(r.id)} open={shown?.id === r.id} />
        ))}
      </ul>
    </section>
  )
}

function RunRow({ run, picked, open }: { run: BacktestSummary; picked: boolean; open: boolean }) {
  const [editing, setEditing] = useState<string | null>(null)
  return (
    <li
      className="bt-run"
      data-testid="backtest-run-row"
      data-status={run.status}
      aria-current={open || undefined}
    >
      <input
        type="checkbox"
        aria-label={`Compare ${run.name}`}
        checked={picked}
        disabled={run.status !== 'done'}
        onChange={() => togglePick(run.id)}
      />
      {editing !== null ? (
        <form
          className="bt-run-rename"
          onSubmit={(e) => {
            e.preventDefault()
            if (editing.trim()) void renameRun(run.id, editing.trim())
            setEditing(null)
          }}
        >
          <input
            autoFocus
            value={editing}
            data-testid="backtest-rename-input"
            onChange={(e) => setEditing(e.target.value)}
          />
          <button className="btn btn-small" type="submit">
            Save
          </button>
        </form>
      ) : (
        <button
          className="bt-run-open"
          type="button"
          disabled={run.status !== 'done'}
          onClick={() => void openRun(run.id)}
          title={run.error ?? run.name}
        >
          <span className="bt-run-name">{run.name}</span>
          <span className="bt-dim num">
            {run.status === 'done'
              ? `${formatPercent(run.totalReturn === null ? null : run.totalReturn * 100)} · ${formatMetric(run.trades, 'count')} trades`
              : run.status}
          </span>
        </button>
      )}
      <span className="bt-run-tools">
        <button
          className="btn btn-small"
          type="button"
          aria-label={`Rename ${run.name}`}
          onClick={() => setEditing(run.name)}
        >
          Rename
        </button>
        <button
          className="btn btn-small"
          type="button"
          aria-label={`Delete ${run.name}`}
          onClick={() => void deleteRun(run.id)}
        >
          Delete
        </button>
      </span>
    </li>
  )
}
