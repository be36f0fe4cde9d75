import { useShallow } from 'zustand/react/shallow'
import { openPicker, setMarkersShown, setVolumeShown } from './actions'
import { useIndicatorsStore } from './store'
import { TemplateMenu } from './TemplateMenu'
import './indicators.css'

/** The chart header's indicator controls: the picker, and the volume and signal toggles. */
export function IndicatorToolbar() {
  const { ready, volume, markers, count, signals } = useIndicatorsStore(
    useShallow((s) => ({
      ready: s.settings !== null,
      volume: s.settings?.volume ?? true,
      markers: s.settings?.markers ?? true,
      count: s.settings?.indicators.length ?? 0,
      signals: s.signals?.list.length ?? 0,
    })),
  )
  return (
    <div className="ind-toolbar" role="group" aria-label="Chart layers">
      <button
        type="button"
        className="tool-btn"
        disabled={!ready}
        data-testid="indicators-button"
        onClick={() => openPicker(null)}
        title="Add an indicator"
      >
        <span className="tool-fx" aria-hidden="true">
          ƒx
        </span>
        Indicators
        {count > 0 && <span className="tool-count">{count}</span>}
      </button>
      <TemplateMenu />
      <button
        type="button"
        className="tool-btn tool-toggle"
        aria-pressed={volume}
        disabled={!ready}
        data-testid="volume-toggle"
        onClick={() => setVolumeShown(!volume)}
        title="Volume histogram"
      >
        Vol
      </button>
      <button
        type="button"
        className="tool-btn tool-toggle"
        aria-pressed={markers}
        disabled={!ready}
        data-testid="markers-toggle"
        onClick={() => setMarkersShown(!markers)}
        title={
          signals > 0
            ? 'Signal markers: where the signal score turns to buy or sell'
            : 'Signal markers: no signals for this timeframe yet'
        }
      >
        Signals
      </button>
    </div>
  )
}
