import { formatDuration } from '../../lib/format'
import { cancelOptimize, editOptimize, editRange, startOptimize } from './optimize-actions'
import { OBJECTIVES, useOptimizeStore, type OptimizeMethod } from './optimize-store'
import { etaMs } from './form'

/** The parameters to search (from, to, step), the objective and walk-forward folds; Optimise and Cancel. */
export function OptimizeForm() {
  const ranges = useOptimizeStore((s) => s.ranges)
  const method = useOptimizeStore((s) => s.method)
  const trials = useOptimizeStore((s) => s.trials)
  const objective = useOptimizeStore((s) => s.objective)
  const folds = useOptimizeStore((s) => s.folds)
  const minTrades = useOptimizeStore((s) => s.minTrades)
  const error = useOptimizeStore((s) => s.error)
  const search = useOptimizeStore((s) => s.search)
  const running = search?.progress.status === 'running'
  return (
    <fieldset className="bt-group" data-testid="optimize-form">
      <legend>Optimise</legend>
      {Object.entries(ranges).map(([name, r]) => (
        <div key={name} className="bt-range" data-testid={`optimize-range-${name}`}>
          <label>
            <input
              type="checkbox"
              checked={r.on}
              onChange={(e) => editRange(name, { on: e.target.checked })}
            />
            <span>{name}</span>
          </label>
          {(['from', 'to', 'step'] as const).map((k) => (
            <input
              key={k}
              className="num"
              aria-label={`${name} ${k}`}
              data-testid={`optimize-${name}-${k}`}
              disabled={!r.on}
              value={r[k]}
              onChange={(e) => editRange(name, { [k]: e.target.value })}
            />
          ))}
        </div>
      ))}
      <label className="bt-field">
        <span>Method</span>
        <select
          data-testid="optimize-method"
          value={method}
          onChange={(e) => editOptimize({ method: e.target.value as OptimizeMethod })}
        >
          <option value="grid">Grid (every set)</option>
          <option value="random">Random sets</option>
          <option value="tpe">TPE (learns as it goes)</option>
        </select>
      </label>
      {method !== 'grid' && (
        <label className="bt-field">
          <span>Trials</span>
          <input
            className="num"
            data-testid="optimize-trials"
            title="Parameter sets tried"
            value={trials}
            onChange={(e) => editOptimize({ trials: e.target.value })}
          />
        </label>
      )}
      <label className="bt-field">
        <span>Objective</span>
        <select value={objective} onChange={(e) => editOptimize({ objective: e.target.value })}>
          {OBJECTIVES.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      <label className="bt-field">
        <span>Walk-forward</span>
        <input
          className="num"
          data-testid="optimize-folds"
          title="Folds: optimise in-sample, test on the next window; 0 optimises once over the whole range"
          value={folds}
          onChange={(e) => editOptimize({ folds: e.target.value })}
        />
      </label>
      <label className="bt-field">
        <span>Min trades</span>
        <input
          className="num"
          value={minTrades}
          onChange={(e) => editOptimize({ minTrades: e.target.value })}
        />
      </label>
      {error && (
        <p className="bt-error" role="alert" data-testid="optimize-error">
          {error}
        </p>
      )}
      {search && (
        <div className="bt-progress" data-testid="optimize-progress" data-status={search.progress.status}>
          <div className="bt-bar">
            <div
              style={{
                width: `${search.progress.total > 0 ? (search.progress.done / search.progress.total) * 100 : 0}%`,
              }}
            />
          </div>
          <p className="bt-dim num">
            {search.progress.status === 'running'
              ? `${search.progress.done} / ${search.progress.total} backtests${eta(search)}`
              : search.progress.status === 'done'
                ? `Done · ${search.progress.total} backtests`
                : search.progress.status === 'cancelled'
                  ? 'Cancelled'
                  : `Failed: ${search.progress.error ?? ''}`}
          </p>
        </div>
      )}
      <div className="bt-actions">
        <button
          className="btn"
          type="button"
          data-testid="optimize-run"
          disabled={running}
          onClick={() => void startOptimize()}
        >
          Optimise
        </button>
        {running && (
          <button
            className="btn"
            type="button"
            data-testid="optimize-cancel"
            onClick={() => void cancelOptimize()}
          >
            Cancel
          </button>
        )}
      </div>
    </fieldset>
  )
}

function eta(s: { progress: { done: number; total: number }; startedAt: number; updatedAt: number }): string {
  const ms = etaMs(s.progress.done, s.progress.total, s.startedAt, s.updatedAt)
  return ms === null ? '' : ` · ${formatDuration(ms)} left`
}
