import { useEffect, useRef, useState } from 'react'
import type { ChartSettings } from '../../../../shared/contract/charting'
import { formatPrice } from '../../lib/format'
import { slot } from '../../sync/index'
import { CandleChart } from './candle-chart'
import { linkCrosshair } from './crosshair-link'
import type { ChartSlot } from './layout'
import { focusChart } from './layout-store'
import { loadLayoutIndicators } from './layout-indicators'
import { loadLayoutSeries } from './layout-series'
import { useIndicatorsStore } from '../indicators/store'
import { findSymbol, seriesKey, useTradeStore, type LoadedSeries, type LoadState } from './store'

/** The template's content as text, once per settings object (the store changes with every live point). */
const sigs = new WeakMap<ChartSettings, string>()
function templateSig(settings: ChartSettings | null): string {
  if (!settings || settings.pinned) return ''
  let sig = sigs.get(settings)
  if (sig === undefined) {
    sig = JSON.stringify([settings.indicators, settings.volume])
    sigs.set(settings, sig)
  }
  return sig
}

interface Loaded {
  key: string
  state: 'ready' | 'error'
  error: string | null
  bars: number
}

/**
 * One of the layout's charts that is not the active one: its own series' bars and live bar,
 * in the trader's chart type and price scale, with its symbol, timeframe and last price over it.
 * A click makes it the active chart (the toolbar, indicators, drawings and ticket then act on
 * it). Unmounting it (a smaller layout) closes its feed, which unsubscribes its live stream.
 */
export function LayoutChart({
  index,
  series,
  order,
}: {
  index: number
  series: ChartSlot | null
  /** Its place in the layout's grid. */
  order: number
}) {
  const hostRef = useRef<HTMLDivElement>(null)
  const [chart, setChart] = useState<CandleChart | null>(null)
  /** What came for which series: a series asked for and not answered yet is loading. */
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [last, setLast] = useState<number | null>(null)
  /** The bars drawn, for the indicators over them. */
  const [bars, setBars] = useState<LoadedSeries | null>(null)
  const catalogue = useIndicatorsStore((s) => s.catalogue)
  // The template as edited on the active chart (by content: loading it again for another symbol
  // is no change), so an indicator added there appears here too.
  const template = useIndicatorsStore((s) => templateSig(s.settings))
  const info = useTradeStore((s) =>
    series ? (findSymbol(s.symbols, series) ?? findSymbol(s.allSymbols, series)) : undefined,
  )
  const prefs = useTradeStore((s) => s.prefs)
  const listed = useTradeStore((s) => s.symbolsState === 'ready')

  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const c = new CandleChart(host)
    setChart(c)
    const unlink = linkCrosshair(c, `chart-${index}`)
    return () => {
      unlink()
      c.dispose()
      setChart(null)
    }
  }, [index])

  useEffect(() => {
    if (!chart) return
    chart.setType(prefs.type)
    chart.setPriceMode(prefs.priceMode)
  }, [chart, prefs])

  // The series: loaded once the symbol list knows it (its precision, whether it is live).
  const known = info !== undefined
  const source = series?.source
  const symbol = series?.symbol
  const timeframe = series?.timeframe
  useEffect(() => {
    if (!chart || !source || !symbol || !timeframe || !known) return
    const feed = slot()
    const key = seriesKey(source, symbol, timeframe)
    const i = useTradeStore.getState()
    const infoNow = findSymbol(i.symbols, { source, symbol }) ?? findSymbol(i.allSymbols, { source, symbol })
    void loadLayoutSeries(feed, { source, symbol, timeframe }, infoNow, {
      bars: (s) => {
        // Another series: the last one's indicator values must not stay over its bars.
        chart.indicators.sync([])
        chart.setSeries({ ...s, prepended: 0 })
        setBars(s)
        setLast(s.columns.close[s.columns.close.length - 1] ?? null)
        setLoaded({ key, state: 'ready', error: null, bars: s.columns.time.length })
      },
      live: (candle) => {
        if (chart.applyLive(candle)) setLast(candle.close)
      },
      failed: (message) => {
        setLoaded({ key, state: 'error', error: message, bars: 0 })
      },
    })
    return () => feed.close()
  }, [chart, source, symbol, timeframe, known])

  // Its indicators: the template or its symbol's pinned set, again when the template changes.
  useEffect(() => {
    if (!chart || !bars || catalogue.length === 0) return
    const feed = slot()
    const i = useTradeStore.getState()
    const infoNow = findSymbol(i.symbols, bars) ?? findSymbol(i.allSymbols, bars)
    void loadLayoutIndicators(feed, bars, infoNow, catalogue, {
      draw: (instances, volume) => {
        chart.indicators.sync(instances)
        chart.setVolumeWanted(volume)
      },
      live: (event, keys) => void chart.indicators.applyLive(event, keys),
    })
    return () => feed.close()
  }, [chart, bars, catalogue, template])

  const precision = info?.pricePrecision ?? 2
  const key = series ? seriesKey(series.source, series.symbol, series.timeframe) : null
  const state: LoadState = !key || !known ? 'idle' : loaded?.key === key ? loaded.state : 'loading'
  const error = loaded?.key === key ? loaded.error : null
  const barCount = loaded?.key === key ? loaded.bars : 0
  return (
    <div
      className="layout-chart"
      style={{ order }}
      data-testid="layout-chart"
      data-index={index}
      data-state={state}
      data-symbol={series?.symbol ?? ''}
      data-timeframe={series?.timeframe ?? ''}
      data-bars={barCount}
      // Capture: a press anywhere on it (the canvas included) makes it the active chart.
      onPointerDownCapture={() => focusChart(index)}
    >
      <div className="chart-host" ref={hostRef} />
      <button
        type="button"
        className="layout-caption"
        data-testid="layout-chart-caption"
        title="Make this the active chart: the symbol list, toolbar and ticket act on it"
        onClick={() => focusChart(index)}
      >
        <span className="layout-caption-symbol">{series?.symbol ?? 'No symbol'}</span>
        {series && <span className="layout-caption-tf">{series.timeframe}</span>}
        {last !== null && <span className="num">{formatPrice(last, precision)}</span>}
      </button>
      {state === 'loading' && (
        <div className="chart-overlay">
          Loading {series?.symbol} {series?.timeframe}…
        </div>
      )}
      {series && !known && listed && <div className="chart-overlay">{series.symbol} is not listed here</div>}
      {state === 'error' && (
        <div className="chart-overlay chart-overlay-error" role="alert">
          Could not load the chart: {error}
        </div>
      )}
    </div>
  )
}
