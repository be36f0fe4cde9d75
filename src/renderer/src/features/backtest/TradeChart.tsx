import {
  CandlestickSeries,
  createSeriesMarkers,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts'
import { useEffect, useRef, useState } from 'react'
import type { BacktestRun } from '../../../../shared/contract/backtest'
import type { CandleColumns } from '../../../../shared/domain/candles'
import { bucketStart, timeframeMs } from '../../../../shared/domain/timeframes'
import { client } from '../../connection'
import { chartPalette } from '../../lib/theme'
import { themedChart } from './charts'

/** Bars either side of a trade on its chart. */
const MARGIN = 40

/**
 * The price chart around one trade of a run: the run's own series (its source, symbol and
 * timeframe) with a marker at the entry and one at the exit, arrows the way each fill went.
 */
export function TradeChart({ run, index }: { run: BacktestRun; index: number }) {
  const trade = run.trades[index]!
  const box = useRef<HTMLDivElement>(null)
  const [bars, setBars] = useState<CandleColumns | null>(null)
  const [error, setError] = useState<string | null>(null)
  const source = run.symbols.find((s) => s.symbol === trade.symbol)?.source ?? 'demo'
  useEffect(() => {
    let live = true
    const step = timeframeMs(run.timeframe)
    const limit = Math.min(100_000, trade.barsHeld + 2 * MARGIN + 2)
    void client()
      .invoke('market.candles', {
        source,
        symbol: trade.symbol,
        timeframe: run.timeframe,
        to: trade.exitTime + MARGIN * step,
        limit,
      })
      .then((res) => {
        if (!live) return
        if (res.ok) setBars(res.value.candles)
        else setError(res.error.message)
      })
    return () => {
      live = false
    }
  }, [run, trade, source])
  useEffect(() => {
    const el = box.current
    if (!el || !bars || bars.time.length === 0) return
    const chart = themedChart(el)
    const series = chart.addSeries(CandlestickSeries, {
      upColor: chartPalette().up,
      downColor: chartPalette().down,
      borderVisible: false,
      wickUpColor: chartPalette().up,
      wickDownColor: chartPalette().down,
      priceLineVisible: false,
      lastValueVisible: false,
    })
    series.setData(
      bars.time.map((t, i) => ({
        time: (t / 1000) as UTCTimestamp,
        open: bars.open[i]!,
        high: bars.high[i]!,
        low: bars.low[i]!,
        close: bars.close[i]!,
      })),
    )
    const long = trade.size > 0
    const mark = (time: number, price: number, buy: boolean, text: string): SeriesMarker<Time> => ({
      time: (bucketStart(time, run.timeframe) / 1000) as UTCTimestamp,
      position: buy ? 'atPriceBottom' : 'atPriceTop',
      price,
      shape: buy ? 'arrowUp' : 'arrowDown',
      color: buy ? chartPalette().up : chartPalette().down,
      text,
      size: 1,
    })
    createSeriesMarkers(series, [
      mark(trade.entryTime, trade.entryPrice, long, `Entry ${long ? 'long' : 'short'}`),
      mark(trade.exitTime, trade.exitPrice, !long, `Exit (${trade.exitReason})`),
    ])
    chart.timeScale().fitContent()
    return () => chart.remove()
  }, [bars, trade, run.timeframe])
  if (error) return <p className="bt-dim">Could not read the bars: {error}</p>
  return (
    <div
      className="bt-trade-chart"
      ref={box}
      data-testid="backtest-trade-chart"
      data-markers={bars ? 2 : 0}
    />
  )
}
