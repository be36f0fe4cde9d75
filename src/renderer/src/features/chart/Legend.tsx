import type { Timeframe } from '../../../../shared/domain/timeframes'
import { direction, formatBarTime, formatPercent, formatPrice, formatVolume } from '../../lib/format'
import type { LegendBar } from './candle-chart'

/** OHLCV of the bar under the crosshair (the latest bar when the pointer is away). */
export function Legend({
  legend,
  precision,
  timeframe,
}: {
  legend: LegendBar | null
  precision: number
  timeframe: Timeframe
}) {
  if (!legend) return null
  const { bar, prevClose } = legend
  const change = prevClose ? ((bar.close - prevClose) / prevClose) * 100 : null
  const dir = bar.close >= bar.open ? 'up' : 'down'
  return (
    <div className="legend num" data-testid="legend" data-latest={legend.latest}>
      <span className="legend-time">{formatBarTime(bar.time, timeframe)}</span>
      <Field label="O" value={formatPrice(bar.open, precision)} dir={dir} />
      <Field label="H" value={formatPrice(bar.high, precision)} dir={dir} />
      <Field label="L" value={formatPrice(bar.low, precision)} dir={dir} />
      <Field label="C" value={formatPrice(bar.close, precision)} dir={dir} testId="legend-close" />
      {legend.hasVolume && <Field label="V" value={formatVolume(bar.volume)} dir="flat" />}
      <span className={`legend-change ${direction(change)}`} title="Change against the previous bar's close">
        {formatPercent(change)}
      </span>
    </div>
  )
}

function Field({
  label,
  value,
  dir,
  testId,
}: {
  label: string
  value: string
  dir: string
  testId?: string
}) {
  return (
    <span className="legend-field">
      <span className="legend-label">{label}</span>
      <span className={dir} data-testid={testId}>
        {value}
      </span>
    </span>
  )
}
