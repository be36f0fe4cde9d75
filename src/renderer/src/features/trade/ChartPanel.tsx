import { useEffect, useRef, useState } from 'react'
import { registerChart } from '../../testing/hook'
import { loadSeries } from './actions'
import { CandleChart, type LegendBar } from './candle-chart'
import { GapNotice } from './GapNotice'
import { Legend } from './Legend'
import { selectSelectedInfo, useTradeStore, type LoadedSeries } from './store'

/**
 * The chart itself. The store holds what should be shown; this component pushes it into
 * lightweight-charts imperatively (whole series on change, the live bar per update) so a tick
 * never re-renders React.
 */
export function ChartPanel() {
  const hostRef = useRef<HTMLDivElement>(null)
  const [legend, setLegend] = useState<LegendBar | null>(null)
  const state = useTradeStore((s) => s.seriesState)
  const error = useTradeStore((s) => s.seriesError)
  const info = useTradeStore(selectSelectedInfo)
  const timeframe = useTradeStore((s) => s.timeframe)
  const series = useTradeStore((s) => s.series)

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const chart = new CandleChart(host, { onLegend: setLegend })
    const unregister = registerChart(chart)
    const toInput = (s: LoadedSeries | null) =>
      s && {
        key: s.key,
        source: s.source,
        symbol: s.symbol,
        timeframe: s.timeframe,
        precision: s.precision,
        columns: s.columns,
      }
    let shown: LoadedSeries | null = null
    const sync = (): void => {
      const { series: next, live } = useTradeStore.getState()
      if (next !== shown) {
        shown = next
        chart.setSeries(toInput(next))
      }
      if (live && next && live.key === next.key) chart.applyLive(live.candle)
    }
    sync()
    const unsubscribe = useTradeStore.subscribe((s, prev) => {
      if (s.series !== prev.series || s.live !== prev.live) sync()
    })
    return () => {
      unsubscribe()
      unregister()
      chart.dispose()
    }
  }, [])

  const empty = state === 'ready' && series !== null && series.columns.time.length === 0
  return (
    <div className="chart-panel">
      <div
        className="chart-host"
        ref={hostRef}
        data-testid="chart"
        data-state={state}
        data-symbol={series?.symbol ?? ''}
        data-timeframe={series?.timeframe ?? ''}
        data-bars={series?.columns.time.length ?? 0}
      />
      {info && state === 'ready' && (
        <Legend legend={legend} precision={series?.precision ?? info.pricePrecision} timeframe={timeframe} />
      )}
      {series && series.gaps.length > 0 && <GapNotice gaps={series.gaps} timeframe={series.timeframe} />}
      {state === 'loading' && (
        <div className="chart-overlay">
          Loading {info?.symbol} {timeframe}…
        </div>
      )}
      {empty && <div className="chart-overlay">No bars stored for this range.</div>}
      {state === 'error' && (
        <div className="chart-overlay chart-overlay-error" role="alert">
          <div>Could not load the chart: {error}</div>
          <button type="button" className="btn btn-small" onClick={() => void loadSeries()}>
            Retry
          </button>
        </div>
      )}
    </div>
  )
}
