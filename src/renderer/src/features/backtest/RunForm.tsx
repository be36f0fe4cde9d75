import { TIMEFRAMES, type Timeframe } from '../../../../shared/domain/timeframes'
import { formatDuration } from '../../lib/format'
import { cancelRun, dismissRunning, editForm, editParam, startRun } from './actions'
import { etaMs, symbolKey, type SizingMode } from './form'
import { RunOnPaper } from './LiveRuns'
import { OptimizeForm } from './OptimizeForm'
import { useBacktestStore } from './store'

/** Strategy, its parameters (generated from its schema), markets, range, costs and sizing; Run and Cancel. */
export function RunForm() {
  const strategies = useBacktestStore((s) => s.strategies)
  const symbols = useBacktestStore((s) => s.symbols)
  const form = useBacktestStore((s) => s.form)
  const error = useBacktestStore((s) => s.formError)
  const running = useBacktestStore((s) => s.running)
  const info = strategies.find((s) => s.id === form.strategy)
  const bad = (field: string) =>
    error?.field === field || error?.field.endsWith(`.${field}`) ? true : undefined
  return (
    <form
      className="bt-form"
      data-testid="backtest-form"
      onSubmit={(e) => {
        e.preventDefault()
        void startRun()
      }}
    >
      <label className="bt-field">
        <span>Strategy</span>
        <select
          value={form.strategy}
          data-testid="backtest-strategy"
          onChange={(e) => editForm({ strategy: e.target.value })}
        >
          {strategies.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
      {info && <p className="bt-dim bt-desc">{info.description}</p>}
      <fieldset className="bt-group" data-testid="backtest-params">
        <legend>Parameters</legend>
        {info?.params.map((p) => (
          <label key={p.name} className="bt-field" title={p.description}>
            <span>{p.name}</span>
            {p.kind === 'choice' ? (
              <select value={form.params[p.name] ?? ''} onChange={(e) => editParam(p.name, e.target.value)}>
                {p.choices?.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            ) : p.kind === 'boolean' ? (
              <input
                type="checkbox"
                checked={form.params[p.name] === 'true'}
                onChange={(e) => editParam(p.name, String(e.target.checked))}
              />
            ) : (
              <input
                className="num"
                inputMode="decimal"
                data-testid={`backtest-param-${p.name}`}
                aria-invalid={bad(`param.${p.name}`) ?? bad(`params.${p.name}`)}
                value={form.params[p.name] ?? ''}
                onChange={(e) => editParam(p.name, e.target.value)}
              />
            )}
          </label>
        ))}
      </fieldset>
      <fieldset className="bt-group">
        <legend>Market</legend>
        <label className="bt-field">
          <span>Symbols</span>
          <select
            multiple
            size={Math.min(5, Math.max(2, symbols.length))}
            data-testid="backtest-symbols"
            aria-invalid={bad('symbols')}
            value={form.symbols}
            onChange={(e) => editForm({ symbols: [...e.target.selectedOptions].map((o) => o.value) })}
          >
            {symbols.map((s) => (
              <option key={symbolKey(s.source, s.symbol)} value={symbolKey(s.source, s.symbol)}>
                {s.symbol} · {s.sourceLabel}
              </option>
            ))}
          </select>
        </label>
        <label className="bt-field">
          <span>Timeframe</span>
          <select
            value={form.timeframe}
            data-testid="backtest-timeframe"
            onChange={(e) => editForm({ timeframe: e.target.value as Timeframe })}
          >
            {TIMEFRAMES.map((tf) => (
              <option key={tf}>{tf}</option>
            ))}
          </select>
        </label>
        <label className="bt-field">
          <span>From</span>
          <input
            type="date"
            value={form.from}
            aria-invalid={bad('from')}
            onChange={(e) => editForm({ from: e.target.value })}
          />
        </label>
        <label className="bt-field">
          <span>To</span>
          <input
            type="date"
            value={form.to}
            aria-invalid={bad('to')}
            onChange={(e) => editForm({ to: e.target.value })}
          />
        </label>
      </fieldset>
      <fieldset className="bt-group">
        <legend>Costs and sizing</legend>
        <Num label="Cash" field="cash" value={form.cash} bad={bad('cash')} />
        <Num label="Fee %" field="feePct" value={form.feePct} bad={bad('feePct') ?? bad('taker')} />
        <Num label="Slippage bps" field="slippageBps" value={form.slippageBps} bad={bad('bps')} />
        <label className="bt-field">
          <span>Size by</span>
          <select
            value={form.sizingMode}
            onChange={(e) => editForm({ sizingMode: e.target.value as SizingMode })}
          >
            <option value="percent">% of equity</option>
            <option value="quote">Quote amount</option>
            <option value="units">Units</option>
            <option value="risk">% risked to stop</option>
          </select>
        </label>
        <Num
          label="Size"
          field="sizingValue"
          value={form.sizingValue}
          bad={bad('sizingValue') ?? bad('value')}
        />
        <label className="bt-field">
          <span>Sides</span>
          <select
            value={form.sides}
            onChange={(e) => editForm({ sides: e.target.value as 'long' | 'short' | 'both' })}
          >
            <option value="long">Long only</option>
            <option value="short">Short only</option>
            <option value="both">Long and short</option>
          </select>
        </label>
        <label
          className="bt-field"
          title="Where finer bars of the market exist (1m under 1h), stops, limits and targets inside a bar fill in the order those bars show, instead of open → nearer extreme → farther extreme → close."
        >
          <span>Intrabar</span>
          <input
            type="checkbox"
            data-testid="backtest-intrabar"
            checked={form.intrabar}
            onChange={(e) => editForm({ intrabar: e.target.checked })}
          />
        </label>
      </fieldset>
      {error && (
        <p className="bt-error" role="alert" data-testid="backtest-form-error">
          {error.message}
        </p>
      )}
      {running ? <Progress /> : null}
      <div className="bt-actions">
        <button
          className="btn bt-primary"
          type="submit"
          data-testid="backtest-run"
          disabled={running?.progress.status === 'running'}
        >
          Run
        </button>
        {running?.progress.status === 'running' && (
          <button
            className="btn"
            type="button"
            data-testid="backtest-cancel"
            onClick={() => void cancelRun()}
          >
            Cancel
          </button>
        )}
      </div>
      <RunOnPaper />
      <OptimizeForm />
    </form>
  )
}

function Num({
  label,
  field,
  value,
  bad,
}: {
  label: string
  field: 'cash' | 'feePct' | 'slippageBps' | 'sizingValue'
  value: string
  bad: true | undefined
}) {
  return (
    <label className="bt-field">
      <span>{label}</span>
      <input
        className="num"
        inputMode="decimal"
        data-testid={`backtest-${field}`}
        aria-invalid={bad}
        value={value}
        onChange={(e) => editForm({ [field]: e.target.value })}
      />
    </label>
  )
}

/** A run's time: milliseconds under a second (most runs), else as durations are shown elsewhere. */
const took = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : formatDuration(ms))

function Progress() {
  const running = useBacktestStore((s) => s.running)!
  const { done, total, status, error } = running.progress
  const eta = etaMs(done, total, running.startedAt, running.updatedAt)
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0
  return (
    <div className="bt-progress" data-testid="backtest-progress" data-status={status}>
      <div className="bt-bar">
        <div style={{ width: `${pct}%` }} />
      </div>
      <p className="bt-dim num">
        {status === 'running'
          ? total > 0
            ? `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} bars${eta !== null ? ` · ${formatDuration(eta)} left` : ''}`
            : 'Reading bars…'
          : status === 'done'
            ? `Done · ${total.toLocaleString('en-US')} bars in ${took(running.updatedAt - running.startedAt)}`
            : status === 'cancelled'
              ? 'Cancelled'
              : `Failed: ${error ?? 'unknown error'}`}
        {status !== 'running' && (
          <button className="btn btn-small bt-dismiss" type="button" onClick={dismissRunning}>
            Dismiss
          </button>
        )}
      </p>
    </div>
  )
}
