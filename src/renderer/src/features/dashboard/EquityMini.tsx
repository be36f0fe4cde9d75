import { AreaSeries, createChart, type UTCTimestamp } from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import type { JournalSummary } from '../../../../shared/contract/journal'
import { followTheme, themedChartOptions } from '../chart/candle-chart'
import { chartPalette } from '../../lib/theme'
import { moneyPlaces } from '../journal/format'

/**
 * The all-time equity curve (cumulative net P&L by exit, as the Journal's analytics draw it),
 * from the thinned points journal.summary sends; starts at 0 just before the first exit.
 */
export function EquityMini({ summary }: { summary: JournalSummary }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el || summary.equity.length === 0) return
    const places = moneyPlaces(summary.quote ?? '')
    const chart = createChart(el, {
      autoSize: true,
      layout: { fontSize: 10, attributionLogo: false },
      grid: { vertLines: { visible: false } },
      timeScale: { timeVisible: true },
      handleScroll: false,
      handleScale: false,
    })
    chart.applyOptions(themedChartOptions(true))
    const unfollow = followTheme(chart, () => true)
    const colors = chartPalette()
    const last = Number(summary.equity.at(-1)!.equity)
    const up = last >= 0
    const series = chart.addSeries(AreaSeries, {
      lineColor: up ? colors.up : colors.down,
      topColor: up ? 'rgba(38, 166, 154, 0.3)' : 'rgba(239, 83, 80, 0.3)',
      bottomColor: 'rgba(0, 0, 0, 0)',
      lineWidth: 2,
      priceFormat: { type: 'price', precision: places, minMove: 10 ** -places },
    })
    const data: { time: UTCTimestamp; value: number }[] = [
      { time: (Math.floor(summary.equity[0]!.time / 1000) - 1) as UTCTimestamp, value: 0 },
    ]
    for (const p of summary.equity) {
      const time = Math.floor(p.time / 1000) as UTCTimestamp
      if (data.at(-1)!.time === time) data.at(-1)!.value = Number(p.equity)
      else data.push({ time, value: Number(p.equity) })
    }
    series.setData(data)
    chart.timeScale().fitContent()
    return () => {
      unfollow()
      chart.remove()
    }
  }, [summary])
  if (summary.equity.length === 0)
    return <p className="db-empty">No closed trades yet: the curve starts with the first one.</p>
  return <div className="db-equity" ref={box} data-testid="dashboard-equity" />
}
