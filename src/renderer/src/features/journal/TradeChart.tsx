import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  LineStyle,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts'
import { useEffect, useRef } from 'react'
import { bucketStart, nextBucket, type Timeframe } from '../../../../shared/domain/timeframes'
import { pricePrecision } from '../ticket/actions'
import { chartPalette } from '../../lib/theme'
import { followTheme, themedChartOptions } from '../chart/candle-chart'
import type { TradeDetail } from './store'

/**
 * The chart around a trade: the candles journal.get sends (finest stored timeframe, a margin of
 * bars before the entry and after the exit), a marker at each fill (entries and exits, arrows
 * the way the order went) and dashed lines at the average entry, the average exit and the stop.
 */
export function TradeChart({ detail }: { detail: TradeDetail }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    const data = detail.chart
    if (!el || !data || data.candles.length === 0) return
    const { trade, fills } = detail
    const palette = chartPalette()
    const chart = createChart(el, {
      autoSize: true,
      layout: { fontSize: 10, attributionLogo: false },
      timeScale: { timeVisible: true },
      handleScroll: true,
      handleScale: true,
    })
    const intraday = !['1d', '1w', '1M'].includes(data.timeframe)
    chart.applyOptions(themedChartOptions(intraday))
    const unfollow = followTheme(chart, () => intraday)
    const precision = pricePrecision(trade.symbol)
    const series = chart.addSeries(CandlestickSeries, {
      upColor: palette.up,
      downColor: palette.down,
      borderVisible: false,
      wickUpColor: palette.up,
      wickDownColor: palette.down,
      priceLineVisible: false,
      lastValueVisible: false,
      priceFormat: { type: 'price', precision, minMove: 10 ** -precision },
    })
    const tf = data.timeframe as Timeframe
    const bars: ({ time: UTCTimestamp } & Partial<Record<'open' | 'high' | 'low' | 'close', number>>)[] =
      data.candles.map((c) => ({
        time: (c.time / 1000) as UTCTimestamp,
        open: c.open,
        high: c.high,
        low: c.low,
        close: c.close,
      }))
    // A trade that just happened fills in a bar that has not closed (the engine sends closed
    // bars only): its time is kept as an empty slot, so its markers still stand where it happened.
    const lastBar = data.candles.at(-1)!.time
    const lastFill = Math.max(...fills.map((f) => bucketStart(f.time, tf)))
    for (let t = nextBucket(lastBar, tf); t <= lastFill; t = nextBucket(t, tf))
      bars.push({ time: (t / 1000) as UTCTimestamp })
    series.setData(bars)
    // At the fill's own price (arrow under a buy, over a sell), as the Trade chart marks fills.
    const markers: SeriesMarker<Time>[] = fills
      .map((f) => {
        const buy = f.side === 'buy'
        return {
          time: (bucketStart(f.time, tf) / 1000) as UTCTimestamp,
          position: buy ? 'atPriceBottom' : 'atPriceTop',
          price: Number(f.price),
          shape: buy ? 'arrowUp' : 'arrowDown',
          color: buy ? palette.up : palette.down,
          text: `${f.role === 'entry' ? 'Entry' : 'Exit'} ${f.side === 'buy' ? 'buy' : 'sell'}`,
          size: 1,
        } satisfies SeriesMarker<Time>
      })
      .sort((a, b) => (a.time as number) - (b.time as number))
    createSeriesMarkers(series, markers)
    const line = (price: string | null, color: string, title: string) => {
      if (price !== null)
        series.createPriceLine({
          price: Number(price),
          color,
          lineStyle: LineStyle.Dashed,
          lineWidth: 1,
          title,
        })
    }
    line(trade.avgEntry, '#4f8cff', 'Entry')
    line(trade.avgExit, '#c9a227', 'Exit')
    line(trade.stopPrice, palette.down, 'Stop')
    // The trade in the middle, a few bars either side.
    const first = bucketStart(trade.entryTime, tf) / 1000
    const last = bucketStart(trade.exitTime ?? data.candles.at(-1)!.time, tf) / 1000
    const at = (time: number) => {
      const i = bars.findIndex((b) => b.time >= time)
      return i < 0 ? bars.length - 1 : i
    }
    const range = { from: at(first) - 25, to: at(last) + 12 }
    chart.timeScale().setVisibleLogicalRange(range)
    // autoSize lays the chart out on the next frame, which resets a range set before it has a width.
    const frame = requestAnimationFrame(() => chart.timeScale().setVisibleLogicalRange(range))
    return () => {
      cancelAnimationFrame(frame)
      unfollow()
      chart.remove()
    }
  }, [detail])
  if (!detail.chart || detail.chart.candles.length === 0)
    return <p className="jr-dim jr-chart-none">No stored candles for this market around the trade.</p>
  return <div className="jr-chart" ref={box} data-testid="journal-chart" />
}
