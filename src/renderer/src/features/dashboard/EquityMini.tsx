import { AreaSeries, ColorType, createChart, type UTCTimestamp } from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import type { JournalSummary } from '../../../../shared/contract/journal'
import { CHART_COLORS } from '../chart/candle-chart'
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
      layout: {
        background: { type: ColorType.Solid, color: CHART_COLORS.background },
        textColor: CHART_COLORS.text,
        fontSize: 10,
        attributionLogo: false,
      },
      grid: { vertLines: { visible: false }, horzLines: { color: CHART_COLORS.grid } },
      rightPriceScale: { borderColor: CHART_COLORS.border },
      timeScale: { borderColor: CHART_COLORS.border, timeVisible: true },
      handleScroll: false,
      handleScale: false,
    })
    const last = Number(summary.equity.at(-1)!.equity)
    const up = last >= 0
    const series = chart.addSeries(AreaSeries, {
      lineColor: up ? CHART_COLORS.up : CHART_COLORS.down,
      topColor: up ? 'rgba(38, 166, 154, 0.3)' : 'rgba(239, 83, 80, 0.3)',
      bottomColor: 'rgba(13, 17, 23, 0)',
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
    return () => chart.remove()
  }, [summary])
  if (summary.equity.length === 0)
    return <p className="db-empty">No closed trades yet: the curve starts with the first one.</p>
  return <div className="db-equity" ref={box} data-testid="dashboard-equity" />
}
