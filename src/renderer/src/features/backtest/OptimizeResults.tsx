import type { OptimizeResultInfo } from '../../../../shared/contract/backtest'
import { formatPrice } from '../../lib/format'
import { showOptimize, sortBy } from './optimize-actions'
import { useOptimizeStore } from './optimize-store'

const COLUMNS = [
  'totalReturn',
  'sharpe',
  'sortino',
  'maxDrawdown',
  'winRate',
  'profitFactor',
  'trades',
] as const

const fmt = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined ? '—' : formatPrice(v, digits)

/** An optimisation's results: walk-forward figures, a sortable table and, for two parameters, a heatmap. */
export function OptimizeResults({ result }: { result: OptimizeResultInfo }) {
  const sort = useOptimizeStore((s) => s.sort)
  const names = Object.keys(result.rows[0]?.params ?? {})
  const cols = [result.objective, ...COLUMNS.filter((c) => c !== result.objective)]
  const rows = sort
    ? [...result.rows].sort((a, b) => {
        const va = sort.key in a.params ? a.params[sort.key]! : (a.metrics[sort.key] ?? -Infinity)
        const vb = sort.key in b.params ? b.params[sort.key]! : (b.metrics[sort.key] ?? -Infinity)
        return sort.desc ? vb - va : va - vb
      })
    : result.rows
  const wf = result.walkForward
  return (
    <div className="bt-results" data-testid="optimize-results">
      <div className="bt-runs-head">
        <h2 className="bt-h2">Optimisation · {result.objective}</h2>
        <button className="btn btn-small" type="button" onClick={() => showOptimize(false)}>
          Close
        </button>
      </div>
      {wf && (
        <div data-testid="optimize-walk-forward">
          <div className="bt-cards">
            <Card label="In-sample" value={fmt(wf.inSample)} />
            <Card label="Out-of-sample" value={fmt(wf.outOfSample)} />
            <Card label="OOS / IS" value={fmt(wf.ratio)} />
            <Card label="Folds" value={String(wf.folds.length)} />
          </div>
          {wf.warning && (
            <p className="bt-warn" role="alert" data-testid="optimize-warning">
              {wf.warning}
            </p>
          )}
          <p className="bt-dim">
            {wf.folds
              .map(
                (f, i) =>
                  `Fold ${i + 1}: ${
                    f.best
                      ? Object.entries(f.best)
                          .map(([k, v]) => `${k} ${v}`)
                          .join(', ')
                      : 'no eligible set'
                  } · IS ${fmt(f.inSample)} · OOS ${fmt(f.outOfSample)}`,
              )
              .join('  ·  ')}
          </p>
          <h3 className="bt-h3">Last in-sample window</h3>
        </div>
      )}
      {names.length === 2 && <Heatmap result={result} x={names[1]!} y={names[0]!} />}
      <div className="bt-table-wrap">
        <table className="bt-table" data-testid="optimize-table">
          <thead>
            <tr>
              {[...names, ...cols].map((k) => (
                <th key={k} className="num">
                  <button className="bt-sort" type="button" onClick={() => sortBy(k)}>
                    {k}
                    {sort?.key === k ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} data-testid="optimize-row">
                {names.map((n) => (
                  <td key={n} className="num">
                    {r.params[n]}
                  </td>
                ))}
                {cols.map((c) => (
                  <td key={c} className="num">
                    {fmt(r.metrics[c], c === 'trades' ? 0 : 3)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function Card({ label, value }: { label: string; value: string }) {
  return (
    <article className="bt-card">
      <h3>{label}</h3>
      <p className="num">{value}</p>
    </article>
  )
}

/** The objective over two parameters: rows of y, columns of x, green for the best, red for the worst. */
function Heatmap({ result, x, y }: { result: OptimizeResultInfo; x: string; y: string }) {
  const xs = [...new Set(result.rows.map((r) => r.params[x]!))].sort((a, b) => a - b)
  const ys = [...new Set(result.rows.map((r) => r.params[y]!))].sort((a, b) => a - b)
  const at = new Map(
    result.rows.map((r) => [`${r.params[y]}|${r.params[x]}`, r.metrics[result.objective] ?? null]),
  )
  const values = [...at.values()].filter((v): v is number => v !== null)
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const color = (v: number | null) => {
    if (v === null) return {}
    const t = hi > lo ? (v - lo) / (hi - lo) : 0.5
    return { background: `hsla(${Math.round(t * 130)}, 55%, 38%, 0.9)` }
  }
  return (
    <div className="bt-scroll-x">
      <table className="bt-heat" data-testid="optimize-heatmap">
        <thead>
          <tr>
            <th>
              {y} \ {x}
            </th>
            {xs.map((v) => (
              <th key={v}>{v}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ys.map((yv) => (
            <tr key={yv}>
              <th>{yv}</th>
              {xs.map((xv) => {
                const v = at.get(`${yv}|${xv}`) ?? null
                return (
                  <td key={xv} className="num" style={color(v)} data-testid="optimize-cell">
                    {at.has(`${yv}|${xv}`) ? fmt(v) : ''}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
