import {
  MAX_SERIES_VALUES,
  type ChartSettings,
  type IndicatorInfo,
  type LiveIndicatorEvent,
} from '../../../../shared/contract/charting'
import { MAX_BARS_PER_REQUEST, type SymbolInfo } from '../../../../shared/contract/market'
import type { Slot } from '../../sync/scope'
import type { LayerInstance } from '../indicators/indicator-layer'
import type { LoadedSeries } from './store'

export interface LayoutIndicatorsSink {
  /** The instances to draw, values and all (empty: none), and whether volume shows. */
  draw(instances: LayerInstance[], volume: boolean): void
  /** A live point of the instances `keys` (in the order the stream was opened with). */
  live(event: LiveIndicatorEvent, keys: string[]): void
}

/**
 * The indicators of one of the layout's other charts: the settings its symbol shows (the
 * template, or its pinned set), their values over its bars, then their live points, all through
 * `feed`'s scope (a newer load or the chart leaving drops answers and unsubscribes). Drawn
 * without the legend rows or editing: those belong to the active chart.
 */
export async function loadLayoutIndicators(
  feed: Slot,
  series: LoadedSeries,
  info: SymbolInfo | undefined,
  catalogue: readonly IndicatorInfo[],
  sink: LayoutIndicatorsSink,
): Promise<void> {
  const mine = feed.open(series.key)
  const { source, symbol, timeframe, columns } = series
  const got = await mine.invoke('charting.settings.get', { source, symbol })
  if (!got?.ok) return
  const settings: ChartSettings = got.value
  const list = settings.indicators.filter((i) => catalogue.some((c) => c.id === i.id))
  const n = columns.time.length
  if (list.length === 0 || n === 0) {
    sink.draw([], settings.volume)
    return
  }
  const to = columns.time[n - 1]!
  const limit = Math.min(n, MAX_BARS_PER_REQUEST, Math.floor(MAX_SERIES_VALUES / list.length))
  const instances = list.map((i) => ({ id: i.id, params: i.params }))
  const res = await mine.invoke('charting.series', { source, symbol, timeframe, instances, to, limit })
  if (!res?.ok) return
  sink.draw(
    list.map((i, k) => ({
      key: i.key,
      info: catalogue.find((c) => c.id === i.id)!,
      params: i.params,
      colors: i.colors,
      visible: i.visible,
      data: res.value.instances[k] ?? null,
      dataTime: res.value.time,
      request: { to, limit },
    })),
    settings.volume,
  )
  if (!info?.live) return
  const keys = list.map((i) => i.key)
  mine.follow(
    'charting.live',
    { source, symbol, timeframe, instances, from: columns.time[0]!, after: to },
    (e) => sink.live(e, keys),
    { endTitle: `Live indicator values stopped for ${symbol}` },
  )
}
