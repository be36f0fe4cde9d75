import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts'
import type { Signal } from '../../../../shared/domain/signals'

const BUY = '#26a69a'
const SELL = '#ef5350'

/**
 * Signal markers for the candles: one where the signal turns to buy (an arrow under the bar)
 * or to sell (over the bar), labelled with its score. A marker on every bar would bury the
 * candles; the turns are what a trader acts on.
 */
export function signalMarkers(signals: readonly Signal[]): SeriesMarker<Time>[] {
  const out: SeriesMarker<Time>[] = []
  let prev: Signal['direction'] | null = null
  for (const s of signals) {
    if (s.direction !== prev && s.direction !== 'neutral') {
      const buy = s.direction === 'buy'
      out.push({
        time: (s.time / 1000) as UTCTimestamp,
        position: buy ? 'belowBar' : 'aboveBar',
        shape: buy ? 'arrowUp' : 'arrowDown',
        color: buy ? BUY : SELL,
        text: `${buy ? 'B' : 'S'} ${Math.round(s.score)}`,
        size: 1,
      })
    }
    prev = s.direction
  }
  return out
}
