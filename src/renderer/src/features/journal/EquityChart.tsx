import { AreaSeries, createChart, HistogramSeries, type UTCTimestamp } from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import type { JournalAnalytics } from '../../../../shared/contract/journal'
import { followTheme, themedChartOptions } from '../chart/candle-chart'
import { moneyPlaces } from './format'

/**
 * Equity (cumulative net P&L after each closed trade) and, in a pane below, its drawdown from
 * the running peak. Trades closing in the same second are one point (the last equity of that
 * second, the deepest drawdown), as the chart needs increasing times. Values are drawn as
 * numbers (a chart coordinate); the exact figures are the KPIs'.
 */
export function EquityChart({ a }: { a: JournalAnalytics }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el || a.equity.length === 0) return
    const places = moneyPlaces(a.quote ?? '')
    const chart = createChart(el, {
      autoSize: true,
      layout: { fontSize: 10, attributionLogo: false },
      timeScale: { timeVisible: true },
    })
    chart.applyOptions(themedChartOptions(true))
    const unfollow = followTheme(chart, () => true)
    const format = { type: 'price' as const, precision: places, minMove: 10 ** -places }
    const equity = chart.addSeries(AreaSeries, {
      lineColor: '#4f8cff',
      topColor: 'rgba(79, 140, 255, 0.28)',
      bottomColor: 'rgba(79, 140, 255, 0.02)',
      lineWidth: 2,
      priceFormat: format,
    })
    const drawdown = chart.addSeries(
      HistogramSeries,
      { color: 'rgba(239, 83, 80, 0.6)', priceFormat: format },
      1,
    )
    // The curve starts from 0 just before the first exit, so one trade is a step, not a flat line.
    const start = (Math.floor(a.equity[0]!.time / 1000) - 1) as UTCTimestamp
    const eq: { time: UTCTimestamp; value: number }[] = [{ time: start, value: 0 }]
    const dd: { time: UTCTimestamp; value: number }[] = [{ time: start, value: 0 }]
    for (const p of a.equity) {
      const time = Math.floor(p.time / 1000) as UTCTimestamp
      const e = Number(p.equity)
      const d = Number(p.drawdown)
      if (eq.length > 0 && eq.at(-1)!.time === time) {
        eq.at(-1)!.value = e
        dd.at(-1)!.value = Math.min(dd.at(-1)!.value, d)
      } else {
        eq.push({ time, value: e })
        dd.push({ time, value: d })
      }
    }
    equity.setData(eq)
    drawdown.setData(dd)
    chart.panes()[1]?.setHeight(70)
    chart.timeScale().fitContent()
    return () => {
      unfollow()
      chart.remove()
    }
  }, [a])
  if (a.equity.length === 0) return <p className="jr-dim">No closed trades yet.</p>
  return <div className="jr-equity" ref={box} data-testid="journal-equity" />
}
