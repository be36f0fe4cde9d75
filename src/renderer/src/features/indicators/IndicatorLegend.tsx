import type { ChartIndicator, IndicatorInfo } from '../../../../shared/contract/charting'
import { openPicker, removeIndicator, toggleIndicator } from './actions'
import { findInfo, selectIndicators, useIndicatorsStore } from './store'
import { formatValue, instanceLabel, outputColor } from './styles'
import './indicators.css'

export interface LegendValues {
  /** Values under the crosshair (or of the latest bar), by instance key, in output order. */
  values: Record<string, (number | null)[]>
  /** Top of each separate indicator's pane, px from the chart's top. */
  paneTops: Record<string, number>
  precision: number
}

/** The overlay indicators' rows, under the OHLC legend of the price pane. */
export function OverlayLegend({ legend }: { legend: LegendValues }) {
  const indicators = useIndicatorsStore(selectIndicators)
  const catalogue = useIndicatorsStore((s) => s.catalogue)
  const rows = indicators.filter((i) => findInfo(catalogue, i.id)?.pane === 'overlay')
  if (rows.length === 0) return null
  return (
    <div className="ind-legend" data-testid="overlay-legend">
      {rows.map((ind) => (
        <LegendRow key={ind.key} ind={ind} info={findInfo(catalogue, ind.id)!} legend={legend} />
      ))}
    </div>
  )
}

/** A row at the top of each indicator pane. */
export function PaneLegends({ legend }: { legend: LegendValues }) {
  const indicators = useIndicatorsStore(selectIndicators)
  const catalogue = useIndicatorsStore((s) => s.catalogue)
  return (
    <>
      {indicators.map((ind) => {
        const info = findInfo(catalogue, ind.id)
        const top = legend.paneTops[ind.key]
        if (!info || info.pane !== 'separate' || top === undefined) return null
        return (
          <div key={ind.key} className="ind-legend ind-pane-legend" style={{ top: top + 4 }}>
            <LegendRow ind={ind} info={info} legend={legend} />
          </div>
        )
      })}
    </>
  )
}

function LegendRow({
  ind,
  info,
  legend,
}: {
  ind: ChartIndicator
  info: IndicatorInfo
  legend: LegendValues
}) {
  const pending = useIndicatorsStore((s) => s.pending[ind.key] === true)
  const values = legend.values[ind.key]
  const label = instanceLabel(info, ind.id, ind.params)
  const shown = info.outputs
    .map((o, k) => ({ o, k }))
    .filter(({ o }) => o.plot !== 'none' || (info.id === 'supertrend' && o.name === 'supertrend'))
  return (
    <div
      className={`ind-row${ind.visible ? '' : ' hidden'}`}
      data-testid="indicator-row"
      data-key={ind.key}
      data-id={ind.id}
      title={info.title}
    >
      <span className="ind-row-label">{label}</span>
      {pending && <span className="ind-row-pending">computing…</span>}
      {!pending &&
        shown.map(({ o, k }) => (
          <span
            key={o.name}
            className="ind-row-value num"
            style={{ color: outputColor(info.id, o.name, k, ind.colors) }}
            data-testid="indicator-value"
            data-output={o.name}
            title={o.description}
          >
            {formatValue(info.id, info.pane, values?.[k] ?? null, legend.precision)}
          </span>
        ))}
      <span className="ind-row-tools">
        <button
          type="button"
          className="icon-btn"
          aria-label={ind.visible ? `Hide ${label}` : `Show ${label}`}
          title={ind.visible ? 'Hide' : 'Show'}
          data-testid="indicator-toggle"
          onClick={() => toggleIndicator(ind.key)}
        >
          {ind.visible ? <EyeIcon /> : <EyeOffIcon />}
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label={`Settings of ${label}`}
          title="Settings"
          data-testid="indicator-edit"
          onClick={() => openPicker(ind.key)}
        >
          <GearIcon />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label={`Remove ${label}`}
          title="Remove"
          data-testid="indicator-remove"
          onClick={() => removeIndicator(ind.key)}
        >
          ×
        </button>
      </span>
    </div>
  )
}

function EyeIcon() {
  return (
    <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true">
      <path
        d="M1 8s2.5-4.5 7-4.5S15 8 15 8s-2.5 4.5-7 4.5S1 8 1 8z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
      />
      <circle cx="8" cy="8" r="2" fill="currentColor" />
    </svg>
  )
}

function EyeOffIcon() {
  return (
    <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true">
      <path
        d="M1 8s2.5-4.5 7-4.5S15 8 15 8s-2.5 4.5-7 4.5S1 8 1 8z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
      />
      <path d="M2 14L14 2" stroke="currentColor" strokeWidth="1.3" />
    </svg>
  )
}

function GearIcon() {
  return (
    <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true">
      <circle cx="8" cy="8" r="2.2" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path
        d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinecap="round"
      />
    </svg>
  )
}
