import { LineSeries } from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import type { BacktestRun } from '../../../../shared/contract/backtest'
import { closeCompare } from './actions'
import { COMPARE_COLORS, points, themedChart } from './charts'
import { DETAIL, formatMetric, metricValue, tone } from './metrics'

/** Two runs side by side: their statistics in one table and both equity curves on one chart. */
export function Compare({ runs }: { runs: [BacktestRun, BacktestRun] }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const chart = themedChart(el)
    runs.forEach((r, i) => {
      const s = chart.addSeries(LineSeries, { color: COMPARE_COLORS[i], lineWidth: 2, title: `${i + 1}` })
      s.setData(points(r.equity.time, r.equity.value))
    })
    chart.timeScale().fitContent()
    return () => chart.remove()
  }, [runs])
  return (
    <div className="bt-results" data-testid="backtest-compare-view">
      <div className="bt-runs-head">
        <h2 className="bt-h2">Compare</h2>
        <button className="btn btn-small" type="button" onClick={closeCompare}>
          Close
        </button>
      </div>
      <div className="bt-scroll-x">
        <table className="bt-table bt-compare">
          <thead>
            <tr>
              <th>Statistic</th>
              {runs.map((r, i) => (
                <th key={r.id} className="num" style={{ color: COMPARE_COLORS[i] }}>
                  {i + 1}. {r.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {DETAIL.map((m) => (
              <tr key={m.key}>
                <td>{m.label}</td>
                {runs.map((r) => {
                  const v = metricValue(r.metrics, m.key)
                  return (
                    <td key={r.id} className={`num ${tone(v, m.key)}`}>
                      {formatMetric(v, m.kind)}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="bt-equity" ref={box} data-testid="backtest-compare-chart" />
    </div>
  )
}
