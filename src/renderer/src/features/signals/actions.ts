import type { SignalsUpdate } from '../../../../shared/contract/signals'
import type { Signal } from '../../../../shared/domain/signals'
import type { Timeframe } from '../../../../shared/domain/timeframes'
import { slot } from '../../sync/index'
import { type Scope } from '../../sync/scope'
import { reportError } from '../notices/store'
import { selectTimeframe } from '../chart/actions'
import { followSignals } from './follow'
import { useSignalsStore } from './store'

const set = useSignalsStore.setState

/** The symbol whose signals are followed: events and answers for an earlier one are dropped. */
const watched = slot()

const keyOf = (source: string, symbol: string): string => `${source}\u0000${symbol}`

/**
 * Follows one symbol's signals: the engine's `signals.updates` stream sends a snapshot of
 * every timeframe first, then the timeframes whose bars close. Returns what stops it.
 */
export function watchSignals(source: string, symbol: string): () => void {
  const scope = watched.open()
  set({ key: keyOf(source, symbol), state: 'loading', timeframes: [], signals: {} })
  followSignals(scope, source, symbol, (e) => apply(scope, e), {
    endTitle: `Signals stopped for ${symbol}`,
    onEnd: (error) => {
      if (error) set({ state: 'error' })
    },
  })
  void loadProfile(scope)
  return () => {
    if (!scope.active) return
    watched.close(scope)
    set({ key: null, state: 'idle', timeframes: [], signals: {} })
  }
}

/** Clicking a timeframe in the heat strip switches the chart (the trade feature's own action). */
export function selectSignalTimeframe(tf: Timeframe): void {
  selectTimeframe(tf)
}

function apply(scope: Scope, e: SignalsUpdate): void {
  set((s) => {
    const signals: Partial<Record<Timeframe, Signal>> = e.kind === 'snapshot' ? {} : { ...s.signals }
    for (const sig of e.signals) signals[sig.timeframe] = sig
    return { state: 'ready', profile: e.profile, timeframes: e.timeframes, signals }
  })
  // A profile switched elsewhere: fetch its definition (names and parameters for the tooltips).
  const { activeProfile, profilePending } = useSignalsStore.getState()
  if (activeProfile?.id !== e.profile && !profilePending) void loadProfile(scope)
}

async function loadProfile(scope: Scope): Promise<void> {
  set({ profilePending: true })
  const res = await scope.invoke('signals.profiles', {})
  set({ profilePending: false })
  if (!res) return
  if (!res.ok) {
    reportError('Could not load the signal profiles', res.error)
    return
  }
  const active = res.value.profiles.find((p) => p.profile.id === res.value.active)
  set({ activeProfile: active?.profile ?? null })
}
