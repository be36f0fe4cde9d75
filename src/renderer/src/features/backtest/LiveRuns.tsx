import { useEffect } from 'react'
import type { DriftReport, StrategyRun } from '../../../../shared/contract/runner'
import { direction, formatBarTime } from '../../lib/format'
import { exportDrift } from './drift-export'
import {
  followLiveRuns,
  openStart,
  pauseRun,
  setRunSchedule,
  startRun,
  stopRun,
  toggleDrift,
} from './live-actions'
import { useLiveStore } from './live-store'

/**
 * "Run on an account…": the form's strategy and parameters on its first market, on the chosen
 * account (Demo paper by default). A live account is armed by typing its name, as the ticket's
 * live confirmation asks for a deliberate act; its orders then carry real money.
 */
export function RunOnPaper() {
  const starting = useLiveStore((s) => s.starting)
  const allocation = useLiveStore((s) => s.allocation)
  const accounts = useLiveStore((s) => s.accounts)
  const accountId = useLiveStore((s) => s.accountId)
  const liveConfirm = useLiveStore((s) => s.liveConfirm)
  const error = useLiveStore((s) => s.error)
  if (!starting)
    return (
      <button className="btn" type="button" data-testid="runner-open" onClick={() => openStart(true)}>
        Run on an account…
      </button>
    )
  const account = accounts.find((a) => a.id === accountId)
  const live = account?.mode === 'live'
  const name = account?.name ?? 'Demo paper'
  return (
    <div className="bt-live-start" data-testid="runner-start-panel">
      <p className="bt-dim">
        Runs this strategy and its parameters on the first market and timeframe above, on the chosen account,
        from the next closed bar. Entries are sized against the allocation; every order passes the risk
        engine.
      </p>
      <label className="bt-field">
        <span>Account</span>
        <select
          data-testid="runner-account"
          value={accountId}
          onChange={(e) => useLiveStore.setState({ accountId: e.target.value, liveConfirm: '', error: null })}
        >
          {accounts.length === 0 && <option value={accountId}>Demo paper</option>}
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.mode === 'live' ? `${a.name} · LIVE` : a.name}
            </option>
          ))}
        </select>
      </label>
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
      {live && (
        <label className="bt-field">
          <span>Type “{name}” to trade real money</span>
          <input
            data-testid="runner-live-confirm"
            autoComplete="off"
            aria-invalid={error?.field.endsWith('liveConfirm') ? true : undefined}
            value={liveConfirm}
            onChange={(e) => useLiveStore.setState({ liveConfirm: e.target.value, error: null })}
          />
        </label>
      )}
      {error && (
        <p className="bt-error" role="alert" data-testid="runner-error">
          {error.message}
        </p>
      )}
      <div className="bt-actions">
        <button
          className={live ? 'btn btn-danger' : 'btn bt-primary'}
          type="button"
          data-testid="runner-start"
          disabled={live && liveConfirm.trim() !== name}
          onClick={() => void startRun()}
        >
          {live ? `Start LIVE on ${name}` : `Start on ${name}`}
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
