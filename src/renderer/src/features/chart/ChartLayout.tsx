import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { DrawingToolbar } from '../drawings/DrawingToolbar'
import { ChartPanel } from './ChartPanel'
import { shownCharts } from './layout'
import { followActiveChart, useLayoutStore } from './layout-store'
import { LayoutChart } from './LayoutChart'
import { useChartRoom } from './layout-room'
import './layout.css'

/**
 * The charts of the Trade view's layout, side by side (two) or in a square (four). The active
 * chart is the full one (the trade store's series, with indicators, drawings, orders and the
 * drawing tools); it keeps its place in the DOM whichever chart is active (CSS `order` places
 * it), so focusing another chart never rebuilds it. The others are `LayoutChart`s.
 */
export function ChartLayout() {
  const { count, active, charts } = useLayoutStore(
    useShallow((s) => ({ count: s.count, active: s.active, charts: s.charts })),
  )
  const room = useChartRoom()
  useEffect(() => followActiveChart(), [])
  const shown = shownCharts({ count, active }, room)
  const many = shown.length > 1
  return (
    <div
      className={`chart-layout chart-layout-${shown.length}`}
      data-testid="chart-layout"
      data-count={count}
      data-shown={shown.length}
    >
      <div
        className={many ? 'chart-with-tools layout-active' : 'chart-with-tools'}
        style={{ order: shown.indexOf(active) }}
        data-testid="layout-active"
        data-index={active}
      >
        <DrawingToolbar />
        <ChartPanel />
      </div>
      {shown
        .filter((i) => i !== active)
        .map((i) => (
          <LayoutChart key={i} index={i} series={charts[i] ?? null} order={shown.indexOf(i)} />
        ))}
    </div>
  )
}
