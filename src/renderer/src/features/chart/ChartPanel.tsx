import { useEffect, useRef, useState } from 'react'
import { registerChart } from '../../testing/hook'
import { bindChartKeys } from './chart-keys'
import { openIndicators } from '../indicators/actions'
import { IndicatorPicker } from '../indicators/IndicatorPicker'
import { OverlayLegend, PaneLegends, type LegendValues } from '../indicators/IndicatorLegend'
import type { LayerInstance } from '../indicators/indicator-layer'
import { signalMarkers } from '../indicators/markers'
import { onOrderMarkersChange, withOrderMarkers } from '../blotter/markers'
import { findInfo, instanceSig, useIndicatorsStore } from '../indicators/store'
import { connectChartAlerts } from '../alerts/chart-alerts'
import { connectChartDrawings } from '../drawings/connect'
import { alertPreviewMarkers, onPreviewMarkersChange } from '../alerts/preview-markers'
import { loadOlder, loadSeries } from './actions'
import { CandleChart, type LegendBar } from './candle-chart'
import { connectChartTrading } from './chart-trading'
import { linkCrosshair } from './crosshair-link'
import { ChartTradingLayer } from './ChartTradingLayer'
import { GapNotice } from './GapNotice'
import { Countdown } from './Countdown'
import { Legend } from './Legend'
import { CompareLegend } from './CompareLegend'
import { followCompares, useCompare } from './compare-store'
import './compare.css'
import { stackMarkers } from './marker-stack'
import { RetryReason } from './market-scope'
import { selectSelectedInfo, symbolKey, useTradeStore, type LoadedSeries } from './store'

/**
 * The chart itself. The stores hold what should be shown; this component pushes it into
 * lightweight-charts imperatively (whole series on change, the live bar and the indicators'
 * live points per update) so a tick never re-renders React beyond the legends.
 */
export function ChartPanel() {
  const hostRef = useRef<HTMLDivElement>(null)
  const [legend, setLegend] = useState<LegendBar | null>(null)
  const [chart, setChart] = useState<CandleChart | null>(null)
  const [latestInView, setLatestInView] = useState(true)
  const older = useTradeStore((s) => s.older.state)
  // Bumped (at most once a frame) when drawn indicator values or panes change: the legends read them.
  const [, setLayerVersion] = useState(0)
  const state = useTradeStore((s) => s.seriesState)
  const error = useTradeStore((s) => s.seriesError)
  const info = useTradeStore(selectSelectedInfo)
  const timeframe = useTradeStore((s) => s.timeframe)
  const series = useTradeStore((s) => s.series)
  const scope = useTradeStore((s) => s.scope)

  useEffect(() => openIndicators(), [])

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const chart = new CandleChart(host, {
      onLegend: setLegend,
      onNearStart: () => void loadOlder(),
      onLatestInView: setLatestInView,
    })
    setChart(chart)
    // Only the test build lets its hook read this chart (see testing/hook.ts).
    const unregister = __CANDLEWORK_TEST_HOOK__ ? registerChart(chart) : undefined
    const toInput = (s: LoadedSeries | null) =>
      s && {
        key: s.key,
        source: s.source,
        symbol: s.symbol,
        timeframe: s.timeframe,
        precision: s.precision,
        columns: s.columns,
        prepended: s.prepended ?? 0,
        prependTiming: s.prependTiming,
      }
    let shown: LoadedSeries | null = null

    const syncIndicators = (): void => {
      const ind = useIndicatorsStore.getState()
      const mine = shown !== null && ind.settingsFor === symbolKey(shown.source, shown.symbol)
      const list = mine && ind.settings ? ind.settings.indicators : []
      const instances: LayerInstance[] = []
      for (const i of list) {
        const infoOf = findInfo(ind.catalogue, i.id)
        if (!infoOf) continue
        const d = ind.data[i.key]
        const fresh =
          d !== undefined && shown !== null && d.seriesKey === shown.key && d.sig === instanceSig(i)
        instances.push({
          key: i.key,
          info: infoOf,
          params: i.params,
          colors: i.colors,
          visible: i.visible,
          data: fresh ? d.series : null,
          dataTime: fresh ? d.time : null,
          request: fresh ? d.request : null,
        })
      }
      chart.indicators.sync(instances)
      chart.setVolumeWanted(!mine || ind.settings?.volume !== false)
    }

    const syncMarkers = (): void => {
      const ind = useIndicatorsStore.getState()
      const sig = ind.signals
      const on = ind.settings?.markers !== false
      const signals = on && sig && shown && sig.seriesKey === shown.key ? signalMarkers(sig.list) : []
      // The open alert form's preview: where it would have fired, on its own series' chart.
      const preview = alertPreviewMarkers(shown)
      const others =
        preview.length === 0
          ? signals
          : [...signals, ...preview].sort((a, b) => (a.time as number) - (b.time as number))
      chart.setMarkers(stackMarkers(withOrderMarkers(others, shown)))
    }

    const sync = (): void => {
      const { series: next, live } = useTradeStore.getState()
      if (next !== shown) {
        shown = next
        chart.setSeries(toInput(next))
        syncIndicators()
        syncMarkers()
      }
      if (live && next && live.key === next.key) chart.applyLive(live.candle)
    }
    sync()
    const unsubscribe = useTradeStore.subscribe((s, prev) => {
      if (s.series !== prev.series || s.live !== prev.live) sync()
    })
    const unsubscribeIndicators = useIndicatorsStore.subscribe((s, prev) => {
      if (
        s.settings !== prev.settings ||
        s.data !== prev.data ||
        s.catalogue !== prev.catalogue ||
        s.settingsFor !== prev.settingsFor
      ) {
        syncIndicators()
      }
      if (s.signals !== prev.signals || s.settings?.markers !== prev.settings?.markers) syncMarkers()
      const live = s.live
      if (live && live !== prev.live && shown && live.seriesKey === shown.key) {
        chart.indicators.applyLive(live.event, live.keys)
      }
    })

    const applyPrefs = (): void => {
      const { prefs } = useTradeStore.getState()
      chart.setType(prefs.type)
      chart.setPriceMode(prefs.priceMode)
    }
    applyPrefs()
    const unsubscribePrefs = useTradeStore.subscribe((s, prev) => {
      if (s.prefs !== prev.prefs) applyPrefs()
    })
    const unsubscribeOrders = onOrderMarkersChange(syncMarkers)
    const unsubscribePreview = onPreviewMarkersChange(syncMarkers)
    const disconnectTrading = connectChartTrading(chart)
    const disconnectAlerts = connectChartAlerts(chart)
    const disconnectDrawings = connectChartDrawings(chart.drawings)
    const unlinkCrosshair = linkCrosshair(chart, 'active')
    // Compared symbols: their bars follow the chart's series; their lines follow the store.
    const stopCompares = followCompares()
    const syncCompares = (): void => chart.compare.sync(useCompare.getState().lines)
    syncCompares()
    const unsubscribeCompares = useCompare.subscribe(syncCompares)

    let frame = 0
    const bump = (): void => {
      if (frame) return
      frame = requestAnimationFrame(() => {
        frame = 0
        setLayerVersion((v) => v + 1)
      })
    }
    const offLayer = chart.indicators.onChange(bump)
    const offKeys = bindChartKeys(chart)
    const resize = new ResizeObserver(bump)
    resize.observe(host)
    return () => {
      cancelAnimationFrame(frame)
      resize.disconnect()
      offLayer()
      offKeys()
      unsubscribe()
      unsubscribeIndicators()
      unsubscribeOrders()
      unsubscribePreview()
      unsubscribePrefs()
      disconnectTrading()
      disconnectAlerts()
      disconnectDrawings()
      unlinkCrosshair()
      unsubscribeCompares()
      stopCompares()
      unregister?.()
      chart.dispose()
      setChart(null)
    }
  }, [])

  const precision = series?.precision ?? info?.pricePrecision ?? 2
  const index = legend?.index ?? -1
  const legendValues: LegendValues = {
    values: chart && index >= 0 ? chart.indicators.valuesAt(index) : {},
    paneTops: chart ? chart.indicators.paneTops() : {},
    precision,
  }
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
        <div className="legend-stack">
          <Legend legend={legend} precision={precision} timeframe={timeframe} />
          <CompareLegend chart={chart} index={index} />
          {series && series.gaps.length > 0 && <GapNotice gaps={series.gaps} timeframe={series.timeframe} />}
          <OverlayLegend legend={legendValues} />
        </div>
      )}
      {state === 'ready' && <PaneLegends legend={legendValues} />}
      {state === 'loading' && (
        <div className="chart-overlay">
          Loading {info?.symbol} {timeframe}…
        </div>
      )}
      {empty && <div className="chart-overlay">No bars stored for this range.</div>}
      {scope && scope.state !== 'ready' && (
        // The account's exchange market is not loaded: no chart (opaque: not even the last
        // chart's price scale), rather than another market's.
        <div className="chart-overlay chart-overlay-solid">
          <RetryReason
            className="chart-overlay-warn"
            testId="chart-market-reason"
            reason={scope.reason ?? `${scope.label} markets not loaded`}
            retryAt={scope.retryAt}
            detail={scope.detail}
          />
        </div>
      )}
      {state === 'error' && (
        <div className="chart-overlay chart-overlay-error" role="alert">
          <div>Could not load the chart: {error}</div>
          <button type="button" className="btn btn-small" onClick={() => void loadSeries()}>
            Retry
          </button>
        </div>
      )}
      {state === 'ready' && older === 'loading' && (
        <div className="chart-older" data-testid="chart-older-loading" role="status">
          Loading older bars…
        </div>
      )}
      {state === 'ready' && !latestInView && (
        <button
          type="button"
          className="btn btn-small chart-latest"
          data-testid="chart-jump-latest"
          title="Scroll to the latest bar (End)"
          onClick={() => chart?.scrollToLatest()}
        >
          Latest ⇥
        </button>
      )}
      {state === 'ready' && info?.live && chart && series && (
        <Countdown chart={chart} timeframe={series.timeframe} />
      )}
      <IndicatorPicker />
      <ChartTradingLayer precision={precision} />
    </div>
  )
}
