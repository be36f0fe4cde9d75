import { AreaSeries, HistogramSeries } from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import type { BacktestRun } from '../../../../shared/contract/backtest'
import { chartPalette } from '../../lib/theme'
import { points, themedChart } from './charts'

/** The run's equity marked to market at each close and, in a pane below, its drawdown in percent. */
export function EquityChart({ run }: { run: BacktestRun }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el || run.equity.time.length === 0) return
    const chart = themedChart(el)
    const equity = chart.addSeries(AreaSeries, {
      lineColor: '#4f8cff',
      topColor: 'rgba(79, 140, 255, 0.28)',
      bottomColor: 'rgba(79, 140, 255, 0.02)',
      lineWidth: 2,
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
    })
    const drawdown = chart.addSeries(
      HistogramSeries,
      { color: chartPalette().downVolume, priceFormat: { type: 'percent', precision: 2, minMove: 0.01 } },
      1,
    )
    equity.setData(points(run.equity.time, run.equity.value))
    drawdown.setData(
      points(
        run.equity.time,
        run.drawdown.map((d) => d * 100),
      ),
    )
    chart.panes()[1]?.setHeight(80)
    chart.timeScale().fitContent()
    return () => chart.remove()
  }, [run])
  if (run.equity.time.length === 0) return <p className="bt-dim">No equity: the run had no bars.</p>
  return <div className="bt-equity" ref={box} data-testid="backtest-equity" />
}
