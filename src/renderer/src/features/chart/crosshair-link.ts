import type { CandleChart } from './candle-chart'
import { useLayoutStore } from './layout-store'

/** The charts of the layout shown now: `active`, and the others by their place (`chart-2`). */
const charts = new Map<string, CandleChart>()

/**
 * Joins `chart` (named `id`) to the linked crosshair: while the layout links it
 * and shows more than one chart, the pointer's bar time over one chart puts the crosshair at the
 * same time on the others. Returns the function that leaves.
 */
export function linkCrosshair(chart: CandleChart, id: string): () => void {
  charts.set(id, chart)
  const off = chart.onPointerTime((time) => {
    const { linkCrosshair: on, count } = useLayoutStore.getState()
    if (!on || count < 2) return
    for (const [i, other] of charts) if (i !== id) other.showCrosshairAt(time)
  })
  return () => {
    off()
    if (charts.get(id) === chart) charts.delete(id)
  }
}
