import { useEffect, useState } from 'react'
import { nextBucket, type Timeframe } from '../../../../shared/domain/timeframes'
import type { CandleChart } from './candle-chart'

/** `1:02:03`, `4:05` or `0:09`: time left in the forming bar (days as `2d 03:04:05`). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const d = Math.floor(total / 86_400)
  const h = Math.floor((total % 86_400) / 3600)
  const m = Math.floor((total % 3600) / 60)
  const sec = total % 60
  const two = (n: number): string => String(n).padStart(2, '0')
  if (d > 0) return `${d}d ${two(h)}:${two(m)}:${two(sec)}`
  if (h > 0) return `${h}:${two(m)}:${two(sec)}`
  return `${m}:${two(sec)}`
}

/**
 * The countdown to the forming bar's close, under the last price's label on the price scale,
 * as on TradingView. Ticks once a second; placed from the chart each tick (the label moves
 * with the price and the scale).
 */
export function Countdown({ chart, timeframe }: { chart: CandleChart; timeframe: Timeframe }) {
  // The clock read in the interval (rendering stays pure), a tick a second.
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(id)
  }, [])
  const label = chart.lastPriceLabel()
  if (!label) return null
  const left = nextBucket(label.time, timeframe) - now
  if (left <= 0) return null
  return (
    <div
      className="chart-countdown"
      data-testid="chart-countdown"
      style={{ top: label.y + 10, width: label.width }}
      title="Time until this bar closes"
    >
      {formatCountdown(left)}
    </div>
  )
}
