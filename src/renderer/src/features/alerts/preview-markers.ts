import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts'
import type { AlertSeries } from '../../../../shared/contract/alerts'
import { useAlertFormStore, type PreviewState } from './form-store'

/** The alert lines' amber, so the preview's markers read as the alert's. */
const ALERT = '#f0a030'

/**
 * The alert form's preview ("would have fired N times") as markers on the chart: one amber dot
 * above each bar it would have fired on, while the form is open and only on the chart of the
 * previewed series (source, symbol and timeframe: the bars are that timeframe's). Sorted by time.
 */
export function previewMarkers(
  preview: PreviewState,
  chart: Pick<AlertSeries, 'source' | 'symbol' | 'timeframe'> | null,
): SeriesMarker<Time>[] {
  const s = preview.series
  if (preview.state !== 'ready' || !preview.result || !s || !chart) return []
  if (s.source !== chart.source || s.symbol !== chart.symbol || s.timeframe !== chart.timeframe) return []
  return preview.result.firings.map((f) => ({
    id: `alert-preview-${f.barTime}`,
    time: (f.barTime / 1000) as UTCTimestamp,
    position: 'aboveBar',
    shape: 'circle',
    color: ALERT,
    text: '',
    size: 1,
  }))
}

/** The markers of the open form's preview on `chart` (what the chart adds to its others). */
export function alertPreviewMarkers(
  chart: Pick<AlertSeries, 'source' | 'symbol' | 'timeframe'> | null,
): SeriesMarker<Time>[] {
  return previewMarkers(useAlertFormStore.getState().preview, chart)
}

/** Calls `listener` when the preview behind the markers changes; returns the unsubscribe. */
export function onPreviewMarkersChange(listener: () => void): () => void {
  return useAlertFormStore.subscribe((s, prev) => {
    if (s.preview !== prev.preview) listener()
  })
}
