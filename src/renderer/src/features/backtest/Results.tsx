import type { BacktestRun } from '../../../../shared/contract/backtest'
import { formatBarTime, formatPercent, formatPrice } from '../../lib/format'
import { pickTrade } from './actions'
import { EquityChart } from './EquityChart'
import { formatMetric, HEADLINE, metricValue, monthlyGrid, tone } from './metrics'
import { useBacktestStore } from './store'
import { TradeChart } from './TradeChart'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** One run's results: metric cards, equity and drawdown, monthly returns and its trades. */
export function Results({ run }: { run: BacktestRun }) {
  const trade = useBacktestStore((s) => s.trade)
  return (
    <div className="bt-results" data-testid="backtest-results">
      <h2 className="bt-h2">
        {run.name} <span className="bt-dim">· {run.status}</span>
      </h2>
      {run.flags.length > 0 && <p className="bt-dim">{run.flags.join(' · ')}</p>}
      {(Boolean(run.ambiguousBars) || Boolean(run.intrabarBars)) && (
        <p className="bt-dim" data-testid="backtest-fill-counts">
          {run.intrabarBars ? `${run.intrabarBars} bars filled on finer bars · ` : ''}
          {run.ambiguousBars ?? 0} ambiguous bars (stop and target inside one bar: the intrabar path decided)
        </p>
      )}
      <div className="bt-cards" data-testid="backtest-metrics">
        {HEADLINE.map((m) => {
          const v = metricValue(run.metrics, m.key)
          return (
            <article key={m.key} className="bt-card" data-testid={`metric-${m.key}`}>
              <h3>{m.label}</h3>
              <p className={`num ${tone(v, m.key)}`}>{formatMetric(v, m.kind)}</p>
            </article>
          )
        })}
      </div>
      <EquityChart run={run} />
      <Monthly run={run} />
      <h3 className="bt-h3">Trades ({run.trades.length})</h3>
      {trade !== null && run.trades[trade] && (
        <div className="bt-trade-box">
          <p className="bt-dim">
            Trade {trade + 1}: {run.trades[trade]!.symbol} · click another trade, or{' '}
            <button className="btn btn-small" type="button" onClick={() => pickTrade(null)}>
              close the chart
            </button>
          </p>
          <TradeChart run={run} index={trade} />
        </div>
      )}
      <Trades run={run} selected={trade} />
    </div>
  )
}

function Monthly({ run }: { run: BacktestRun }) {
  const grid = monthlyGrid(run.metrics)
  if (grid.length === 0) return null
  return (
    <>
      <h3 className="bt-h3">Monthly returns</h3>
      <div className="bt-scroll-x">
        <table className="bt-heat" data-testid="backtest-monthly">
          <thead>
            <tr>
              <th />
              {MONTHS.map((m) => (
                <th key={m}>{m}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((row) => (
              <tr key={row.year}>
                <th>{row.year}</th>
                {row.months.map((v, i) => (
                  <td key={i} className="num" style={heat(v)}>
                    {v === null ? '' : formatPercent(v * 100, 1)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** A cell's colour: green for gains, red for losses, stronger with size (10 % a month is full). */
export function heat(v: number | null): { background?: string } {
  if (v === null) return {}
  const a = Math.min(1, Math.abs(v) / 0.1) * 0.6 + 0.08
  return { background: v >= 0 ? `rgba(38, 166, 154, ${a})` : `rgba(239, 83, 80, ${a})` }
}

function Trades({ run, selected }: { run: BacktestRun; selected: number | null }) {
  if (run.trades.length === 0) return <p className="bt-dim">No trades.</p>
  return (
    <div className="bt-table-wrap">
      <table className="bt-table" data-testid="backtest-trades">
        <thead>
          <tr>
            <th>#</th>
            <th>Symbol</th>
            <th>Side</th>
            <th>Entry</th>
            <th className="num">Entry price</th>
            <th>Exit</th>
            <th className="num">Exit price</th>
            <th className="num">Size</th>
            <th className="num">P&amp;L</th>
            <th className="num">Return</th>
            <th className="num">Fees</th>
            <th className="num">Bars</th>
            <th>Exit reason</th>
          </tr>
        </thead>
        <tbody>
          {run.trades.map((t, i) => (
            <tr
              key={i}
              data-testid="backtest-trade"
              aria-selected={selected === i}
              tabIndex={0}
              onClick={() => pickTrade(i)}
              onKeyDown={(e) => e.key === 'Enter' && pickTrade(i)}
            >
              <td className="num">{i + 1}</td>
              <td>{t.symbol}</td>
              <td className={t.size > 0 ? 'up' : 'down'}>{t.size > 0 ? 'Long' : 'Short'}</td>
              <td className="num">{formatBarTime(t.entryTime, run.timeframe)}</td>
              <td className="num">{formatPrice(t.entryPrice, 2)}</td>
              <td className="num">{formatBarTime(t.exitTime, run.timeframe)}</td>
              <td className="num">{formatPrice(t.exitPrice, 2)}</td>
              <td className="num">{formatPrice(Math.abs(t.size), 4)}</td>
              <td className={`num ${t.pnl > 0 ? 'up' : t.pnl < 0 ? 'down' : ''}`}>{formatPrice(t.pnl, 2)}</td>
              <td className="num">{formatPercent(t.returnPct * 100)}</td>
              <td className="num">{formatPrice(t.fees, 2)}</td>
              <td className="num">{t.barsHeld}</td>
              <td>{t.exitReason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
