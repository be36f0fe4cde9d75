import { useEffect, useState } from 'react'
import type { PortfolioRiskView } from '../../../../shared/contract/risk-portfolio'
import { client } from '../../connection'

const money = (x: number | null) =>
  x === null ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const METHOD_NAMES = {
  historical: 'Historical',
  normal: 'Normal',
  'cornish-fisher': 'Cornish-Fisher',
  'monte-carlo': 'Monte Carlo',
} as const

const ask = (custom?: { shocks: Record<string, number>; other: number }) =>
  client().invoke('risk.portfolio', custom ? { custom } : {})

/**
 * Portfolio risk of every open position (risk.portfolio, computed in a worker): VaR/ES by method
 * with its window, the correlation heatmap, exposure bars and the stress tests with a custom shock.
 */
export function PortfolioPanel() {
  const [data, setData] = useState<PortfolioRiskView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [btc, setBtc] = useState('-20')
  const [other, setOther] = useState('-35')
  const apply = (res: Awaited<ReturnType<typeof ask>>) => {
    if (res.ok) {
      setData(res.value)
      setError(null)
    } else setError(res.error.message)
  }
  useEffect(() => {
    void ask().then(apply)
  }, [])
  const load = (custom: { shocks: Record<string, number>; other: number }) => void ask(custom).then(apply)
  const applyShock = () => {
    const b = Number(btc)
    const o = Number(other)
    if (!Number.isFinite(b) || b < -100) return setError('BTC move: a percentage of at least −100')
    if (!Number.isFinite(o) || o < -100) return setError('Others’ move: a percentage of at least −100')
    load({ shocks: { BTC: b / 100 }, other: o / 100 })
  }
  return (
    <div className="risk-section" data-testid="risk-portfolio">
      <h2>Portfolio risk</h2>
      {error && (
        <span className="risk-error" role="alert">
          {error}
        </span>
      )}
      {!data ? (
        <div className="risk-muted">Computing…</div>
      ) : data.positions.length === 0 ? (
        <div className="risk-muted">No open positions in {data.currency}.</div>
      ) : (
        <>
          <p className="risk-muted">
            {data.positions.length} positions, gross {money(data.exposure.gross)} {data.currency}; volatility{' '}
            {(data.portfolio.volAnnual * 100).toFixed(1)} % a year; beta to {data.benchmark}{' '}
            {data.portfolio.beta === null ? '—' : data.portfolio.beta.toFixed(2)}
            {data.withoutHistory.length > 0 && `; no history for ${data.withoutHistory.join(', ')}`}
          </p>
          <VarTable data={data} />
          <div className="risk-portfolio-row">
            <Heatmap data={data} />
            <ExposureBars data={data} />
          </div>
          <div className="risk-shock-form">
            <label>
              BTC move %
              <input data-testid="risk-shock-btc" value={btc} onChange={(e) => setBtc(e.target.value)} />
            </label>
            <label>
              Others %
              <input
                data-testid="risk-shock-other"
                value={other}
                onChange={(e) => setOther(e.target.value)}
              />
            </label>
            <button
              type="button"
              className="btn btn-small"
              data-testid="risk-shock-apply"
              onClick={applyShock}
            >
              Apply shock
            </button>
          </div>
          <StressTable data={data} />
        </>
      )}
    </div>
  )
}

function VarTable({ data }: { data: PortfolioRiskView }) {
  return (
    <table className="risk-table" data-testid="risk-var">
      <thead>
        <tr>
          <th>Method</th>
          <th>VaR 95 % 1d</th>
          <th>ES 95 % 1d</th>
          <th>VaR 99 % 1d</th>
          <th>ES 99 % 1d</th>
          <th>VaR 99 % {data.horizonDays}d</th>
          <th>ES 99 % {data.horizonDays}d</th>
          <th>History</th>
        </tr>
      </thead>
      <tbody>
        {data.methods.map((m) => (
          <tr key={m.method} title={m.note}>
            <td>{METHOD_NAMES[m.method]}</td>
            <td>{money(m.oneDay.var95)}</td>
            <td>{money(m.oneDay.es95)}</td>
            <td>{money(m.oneDay.var99)}</td>
            <td>{money(m.oneDay.es99)}</td>
            <td>{money(m.nDays.var99)}</td>
            <td>{money(m.nDays.es99)}</td>
            <td className="risk-muted">
              {day(m.window.from)} → {day(m.window.to)} ({m.window.returns} days)
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Heatmap({ data }: { data: PortfolioRiskView }) {
  const { assets, matrix } = data.correlation
  // Blue for negative, red for positive correlation, stronger with |ρ|.
  const color = (r: number) =>
    r >= 0 ? `rgba(220, 60, 60, ${Math.abs(r)})` : `rgba(60, 110, 220, ${Math.abs(r)})`
  return (
    <table className="risk-heatmap" data-testid="risk-heatmap" aria-label="Correlation matrix">
      <thead>
        <tr>
          <th />
          {assets.map((a) => (
            <th key={a}>{a}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {assets.map((a, i) => (
          <tr key={a}>
            <th>{a}</th>
            {matrix[i]!.map((r, j) => (
              <td key={j} style={{ background: color(r) }} title={`${a} / ${assets[j]}: ${r.toFixed(2)}`}>
                {r.toFixed(2)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function ExposureBars({ data }: { data: PortfolioRiskView }) {
  const rows = data.exposure.byAsset
  const max = Math.max(...rows.map((r) => Math.abs(r.value)), 1)
  return (
    <div className="risk-exposure" data-testid="risk-exposure">
      {rows.map((r) => (
        <div key={r.key} className="risk-exposure-row">
          <span>{r.key}</span>
          <span className="risk-exposure-bar">
            <span
              className={r.value < 0 ? 'risk-bar-short' : 'risk-bar-long'}
              style={{ width: `${(Math.abs(r.value) / max) * 100}%` }}
            />
          </span>
          <span>{money(r.value)}</span>
        </div>
      ))}
    </div>
  )
}

function StressTable({ data }: { data: PortfolioRiskView }) {
  return (
    <table className="risk-table" data-testid="risk-stress">
      <thead>
        <tr>
          <th>Scenario</th>
          {data.positions.map((p) => (
            <th key={p.key}>{p.key}</th>
          ))}
          <th>Total</th>
        </tr>
      </thead>
      <tbody>
        {data.stress.map((s) => (
          <tr key={s.id} title={s.source} data-testid={`risk-stress-${s.id}`}>
            <td>{s.name}</td>
            {s.positions.map((p) => (
              <td key={p.key}>
                {money(p.pnl)} <small className="risk-muted">({(p.shock * 100).toFixed(0)} %)</small>
              </td>
            ))}
            <td>{money(s.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
