import type { SignalsUpdate } from '../../../../shared/contract/signals'
import type { Signal } from '../../../../shared/domain/signals'
import type { Timeframe } from '../../../../shared/domain/timeframes'
import type { FollowOptions, Join } from '../../sync/shared-streams'
import type { Scope } from '../../sync/scope'

/**
 * A follower that joins `signals.updates` after it started catches up with one snapshot: the
 * last snapshot with every update since folded in (the newest signal of each timeframe).
 */
export const joinSignals: Join<'signals.updates'> = (folded, e) => {
  if (e.kind === 'snapshot' || folded === undefined) return e
  const byTf = new Map<Timeframe, Signal>(folded.signals.map((s) => [s.timeframe, s]))
  for (const s of e.signals) byTf.set(s.timeframe, s)
  return { ...e, kind: 'snapshot', signals: [...byTf.values()] }
}

/**
 * Follows one symbol's `signals.updates` in `scope`: the signal panel and the chart's markers
 * both follow it, and the window subscribes it once.
 */
export function followSignals(
  scope: Scope,
  source: string,
  symbol: string,
  onEvent: (e: SignalsUpdate) => void,
  options: Omit<FollowOptions<'signals.updates'>, 'join'> = {},
): () => void {
  return scope.follow('signals.updates', { source, symbol }, onEvent, { ...options, join: joinSignals })
}
