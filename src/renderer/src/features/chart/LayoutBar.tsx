import { useShallow } from 'zustand/react/shallow'
import { LAYOUT_COUNTS, type LayoutCount } from './layout'
import { useChartRoom } from './layout-room'
import { setLayoutCount, setLinkCrosshair, setLinkSymbol, useLayoutStore } from './layout-store'

const ICONS: Record<LayoutCount, string> = { 1: '▢', 2: '◫', 4: '⊞' }
const WORDS: Record<LayoutCount, string> = { 1: 'One chart', 2: 'Two charts side by side', 4: 'Four charts' }

/** The chart header's layout controls: one, two or four charts, and what the charts share. */
export function LayoutBar() {
  const { count, linkSymbol, linkCrosshair } = useLayoutStore(
    useShallow((s) => ({ count: s.count, linkSymbol: s.linkSymbol, linkCrosshair: s.linkCrosshair })),
  )
  const room = useChartRoom()
  return (
    <div className="layout-bar" role="group" aria-label="Chart layout">
      {LAYOUT_COUNTS.map((n) => (
        <button
          key={n}
          type="button"
          className="tf-btn layout-btn"
          aria-pressed={count === n}
          aria-label={WORDS[n]}
          title={WORDS[n]}
          data-testid={`layout-${n}`}
          onClick={() => setLayoutCount(n)}
        >
          <span aria-hidden="true">{ICONS[n]}</span>
        </button>
      ))}
      {count > room && (
        <span
          className="layout-room"
          data-testid="layout-room"
          title={`The window has room for ${room} readable charts: the active one and the next are shown, all ${count} in a larger window`}
        >
          {room} of {count}
        </span>
      )}
      {count > 1 && (
        <>
          <button
            type="button"
            className="tf-btn layout-link"
            aria-pressed={linkSymbol}
            data-testid="layout-link-symbol"
            title="Sync symbol: a symbol chosen on the active chart is shown on every chart (each keeps its timeframe)"
            onClick={() => setLinkSymbol(!linkSymbol)}
          >
            ⇄ Symbol
          </button>
          <button
            type="button"
            className="tf-btn layout-link"
            aria-pressed={linkCrosshair}
            data-testid="layout-link-crosshair"
            title="Sync crosshair: the crosshair over one chart shows the same time on the others"
            onClick={() => setLinkCrosshair(!linkCrosshair)}
          >
            ✛ Crosshair
          </button>
        </>
      )}
    </div>
  )
}
