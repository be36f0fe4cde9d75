import { direction, formatPercent } from '../../lib/format'
import type { CandleChart } from './candle-chart'
import { removeCompare, useCompare } from './compare-store'

/**
 * One entry per compared symbol under the bar's legend: its colour, symbol, its change from the
 * first bar in view to the bar under the crosshair (what its line shows), and × to remove it.
 */
export function CompareLegend({ chart, index }: { chart: CandleChart | null; index: number }) {
  const lines = useCompare((s) => s.lines)
  if (lines.length === 0) return null
  const values = chart && index >= 0 ? chart.compareValuesAt(index) : {}
  return (
    <div className="legend compare-legend num" data-testid="compare-legend">
      {lines.map((l) => {
        const value = values[l.key] ?? null
        return (
          <span
            key={l.key}
            className="compare-entry"
            data-testid="compare-entry"
            data-symbol={l.symbol}
            data-state={l.state}
          >
            <span className="compare-swatch" style={{ background: l.color }} aria-hidden="true" />
            <span className="compare-symbol">{l.symbol}</span>
            {l.state === 'error' ? (
              <span className="compare-error" title={l.error ?? undefined}>
                {l.error}
              </span>
            ) : (
              <span className={direction(value)} data-testid="compare-value">
                {l.state === 'loading' && value === null ? '…' : formatPercent(value)}
              </span>
            )}
            <button
              type="button"
              className="compare-remove"
              aria-label={`Stop comparing ${l.symbol}`}
              data-testid="compare-remove"
              onClick={() => removeCompare(l.key)}
            >
              ×
            </button>
          </span>
        )
      })}
    </div>
  )
}
