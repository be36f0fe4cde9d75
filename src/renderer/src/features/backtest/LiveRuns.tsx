import { useEffect } from 'react'
import type { DriftReport, StrategyRun } from '../../../../shared/contract/runner'
import { direction, formatBarTime } from '../../lib/format'
import { exportDrift } from './drift-export'
import {
  followLiveRuns,
  openStart,
  pauseRun,
  setRunSchedule,
  startOnPaper,
  stopRun,
  toggleDrift,
} from './live-actions'
import { useLiveStore } from './live-store'

/** "Run on paper…": the form's strategy and parameters on its first market, on the demo paper account. */
export function RunOnPaper() {
  const starting = useLiveStore((s) => s.starting)
  const allocation = useLiveStore((s) => s.allocation)
  const error = useLiveStore((s) => s.error)
  if (!starting)
    return (
      <button className="btn" type="button" data-testid="runner-open" onClick={() => openStart(true)}>
        Run on paper…
      </button>
    )
  return (
    <div className="bt-live-start" data-testid="runner-start-panel">
      <p className="bt-dim">
        Runs this strategy and its parameters on the first market and timeframe above, on the Demo paper
        account, from the next closed bar. Entries are sized against the allocation; every order passes the
        risk engine.
      </p>
      <label className="bt-field">
        <span>Allocation (quote)</span>
        <input
          className="num"
          inputMode="decimal"
          data-testid="runner-allocation"
          aria-invalid={error?.field.endsWith('allocation') ? true : undefined}
          value={allocation}
          onChange={(e) => useLiveStore.setState({ allocation: e.target.value, error: null })}
        />
      </label>
      {error && (
        <p className="bt-error" role="alert" data-testid="runner-error">
          {error.message}
        </p>
      )}
      <div className="bt-actions">
        <button
          className="btn bt-primary"
          type="button"
          data-testid="runner-start"
          onClick={() => void startOnPaper()}
        >
          Start on Demo paper
        </button>
        <button className="btn" type="button" onClick={() => openStart(false)}>
          Close
        </button>
      </div>
    </div>
  )
}

/** Strategies running on accounts: state and why, position and P&L of their own fills; pause, resume, stop. */
export function LiveRuns() {
  useEffect(() => followLiveRuns(), [])
  const runs = useLiveStore((s) => s.runs)
  return (
    <section className="bt-live-list" data-testid="runner-list" hidden={runs.length === 0}>
      <h2 className="bt-h2">Strategies on accounts</h2>
      <ul>
        {runs.map((r) => (
          <LiveRow key={r.id} run={r} />
        ))}
      </ul>
    </section>
  )
}

const paramsText = (p: Record<string, unknown>): string =>
  Object.entries(p)
    .filter(([, v]) => v !== 0 && v !== false && v !== 'percent')
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ')

function LiveRow({ run }: { run: StrategyRun }) {
  const stopping = useLiveStore((s) => s.stopping === run.id)
  const drift = useLiveStore((s) => (s.drift?.runId === run.id ? s.drift : null))
  return (
    <li className="bt-live" data-testid={`runner-run-${run.id}`} data-state={run.state}>
      <div className="bt-live-head">
        <strong>{run.strategyId}</strong>
        <span className={`bt-live-state bt-live-${run.state}`} data-testid="runner-state">
          {run.state}
        </span>
      </div>
      <div className="bt-dim">
        {paramsText(run.params)} · {run.symbol} {run.timeframe} · {run.accountId} · {run.allocation}
      </div>
      {run.reason && (
        <div className="bt-dim" data-testid="runner-reason">
          {run.reason}
        </div>
      )}
      <div className="num">
        Position {run.position} · Realised P&L{' '}
        <span className={direction(run.realizedPnl)}>{run.realizedPnl}</span> · Orders {run.intents}
        {run.rejected > 0 ? ` (${run.rejected} refused)` : ''}
      </div>
      {run.lastError && <div className="bt-error">{run.lastError}</div>}
      <div className="bt-dim">
        Last bar {run.lastBarTime === null ? '—' : formatBarTime(run.lastBarTime, run.timeframe)}
      </div>
      <div className="bt-actions">
        <button
          className="btn btn-small"
          type="button"
          data-testid="runner-drift"
          aria-pressed={drift !== null}
          onClick={() => void toggleDrift(run.id)}
        >
          Drift
        </button>
        {drift && (
          <button
            className="btn btn-small"
            type="button"
            data-testid="runner-drift-export"
            title="The drift report as CSV: a summary row, then each decision and each fill"
            onClick={() => void exportDrift(run.id)}
          >
            Export CSV
          </button>
        )}
      </div>
      {drift && <Drift report={drift} timeframe={run.timeframe} />}
      {run.state !== 'stopped' && (
        <div className="bt-actions">
          <button
            className="btn btn-small"
            type="button"
            data-testid="runner-pause"
            onClick={() => void pauseRun(run.id, run.state === 'running')}
          >
            {run.state === 'running' ? 'Pause' : 'Resume'}
          </button>
          {stopping ? (
            <>
              <button
                className="btn btn-small"
                type="button"
                data-testid="runner-stop-keep"
                onClick={() => void stopRun(run.id, false)}
              >
                Stop, keep position
              </button>
              <button
                className="btn btn-small"
                type="button"
                data-testid="runner-stop-close"
                onClick={() => void stopRun(run.id, true)}
              >
                Stop and close
              </button>
            </>
          ) : (
            <button
              className="btn btn-small"
              type="button"
              data-testid="runner-stop"
              onClick={() => useLiveStore.setState({ stopping: run.id })}
            >
              Stop…
            </button>
          )}
        </div>
      )}
      {run.state !== 'stopped' && (
        <div
          className="bt-actions bt-schedule"
          data-testid="runner-schedule"
          title="The scheduler's Start strategies and Stop strategies tasks (their times are set on Health)"
        >
          <label className="bt-dim">
            <input
              type="checkbox"
              data-testid="runner-schedule-start"
              checked={run.schedule.start}
              onChange={(e) => void setRunSchedule(run.id, { ...run.schedule, start: e.target.checked })}
            />
            Start on schedule
          </label>
          <label className="bt-dim">
            Stop on schedule
            <select
              data-testid="runner-schedule-stop"
              value={run.schedule.stop}
              onChange={(e) =>
                void setRunSchedule(run.id, {
                  ...run.schedule,
                  stop: e.target.value as StrategyRun['schedule']['stop'],
                })
              }
            >
              <option value="no">no</option>
              <option value="pause">pause</option>
              <option value="pause_and_close">pause and close</option>
            </select>
          </label>
        </div>
      )}
    </li>
  )
}

const bps = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)} bps`

/** The replay beside the run: differing decisions with why, fill slippage, both P&Ls. */
function Drift({ report, timeframe }: { report: DriftReport; timeframe: StrategyRun['timeframe'] }) {
  const slips = report.fills.map((f) => f.slippageBps)
  const mean = slips.length > 0 ? slips.reduce((a, b) => a + b, 0) / slips.length : null
  return (
    <div className="bt-drift" data-testid="runner-drift-report">
      <div className="num">
        {report.bars} bars replayed · {report.decisions.length} decisions, {report.differing} differ ·{' '}
        {report.fills.length} fills{mean === null ? '' : `, mean slippage ${bps(mean)}`}
      </div>
      <div className="num">
        P&L live {report.livePnl.toFixed(2)} · backtest {report.backtestPnl.toFixed(2)} · difference{' '}
        <span className={direction(report.pnlDifference)}>{report.pnlDifference.toFixed(2)}</span>
      </div>
      {report.decisions
        .filter((d) => d.status !== 'same')
        .map((d) => (
          <div key={d.barTime} className="bt-dim">
            {formatBarTime(d.barTime, timeframe)}: backtest {d.backtest.join(', ') || 'nothing'}, live{' '}
            {d.live.join(', ') || 'nothing'} — {d.why}
          </div>
        ))}
    </div>
  )
}
