import { bindShortcut } from '../shell/shortcuts'
import type { CandleChart } from './candle-chart'

/** Bars one arrow press scrolls. */
const STEP = 10
/** Bar spacing change per zoom press. */
const ZOOM = 1.25

/** The chart's keyboard shortcuts (see shell/shortcuts.ts), bound while the chart lives. */
export function bindChartKeys(chart: CandleChart): () => void {
  const offs = [
    bindShortcut('chart.scroll', (e) => {
      const bars = e.shiftKey ? chart.barsPerScreen() : STEP
      chart.scrollBars(e.key === 'ArrowLeft' ? -bars : bars)
    }),
    bindShortcut('chart.zoom', (e) => chart.zoom(e.key === '+' || e.key === '=' ? ZOOM : 1 / ZOOM)),
    bindShortcut('chart.latest', () => chart.scrollToLatest()),
  ]
  return () => {
    for (const off of offs) off()
  }
}
