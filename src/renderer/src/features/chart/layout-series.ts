import type { SymbolInfo } from '../../../../shared/contract/market'
import type { Candle } from '../../../../shared/domain/candles'
import type { Slot } from '../../sync/scope'
import type { ChartSlot } from './layout'
import { BARS_PER_VIEW, seriesKey, type LoadedSeries } from './store'

export interface LayoutSeriesSink {
  bars(series: LoadedSeries): void
  live(candle: Candle): void
  failed(message: string): void
}

/**
 * Loads one of the layout's other charts: its bars, and (for a live symbol) its live bar, the
 * stream followed first and buffered so a bar closing while the history is in flight is kept.
 * Everything goes through `feed`'s scope: opening the next series, or closing the slot when the
 * chart leaves the layout, drops late answers and unsubscribes its live stream (the window's
 * shared streams keep one subscription per series, so a chart showing the active chart's series
 * costs nothing more).
 */
export async function loadLayoutSeries(
  feed: Slot,
  slot: ChartSlot,
  info: SymbolInfo | undefined,
  sink: LayoutSeriesSink,
): Promise<void> {
  const { source, symbol, timeframe } = slot
  const key = seriesKey(source, symbol, timeframe)
  const mine = feed.open(key)
  let buffered: Candle[] | null = []
  if (info?.live) {
    mine.follow(
      'market.liveCandle',
      { source, symbol, timeframe },
      (e) => (buffered ? buffered.push(e.candle) : sink.live(e.candle)),
      { endTitle: `Live bar updates stopped for ${symbol}` },
    )
  }
  const res = await mine.invoke('market.candles', { source, symbol, timeframe, limit: BARS_PER_VIEW })
  if (!res) return
  if (!res.ok) {
    sink.failed(res.error.message)
    return
  }
  sink.bars({
    key,
    source,
    symbol,
    timeframe,
    precision: info?.pricePrecision ?? 2,
    columns: res.value.candles,
    gaps: res.value.gaps,
  })
  const pending = buffered
  buffered = null
  for (const c of pending) sink.live(c)
}
