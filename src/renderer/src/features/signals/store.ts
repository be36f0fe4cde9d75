import { create } from 'zustand'
import type { Signal, SignalProfile } from '../../../../shared/domain/signals'
import type { Timeframe } from '../../../../shared/domain/timeframes'

export type SignalsLoadState = 'idle' | 'loading' | 'ready' | 'error'

interface SignalsState {
  /** The symbol the signals are for (`source\u0000symbol`), or null. */
  key: string | null
  state: SignalsLoadState
  /** Id of the profile the signals were computed with. */
  profile: string | null
  /** The active profile's definition, once loaded: its name and parameters for the tooltips. */
  activeProfile: SignalProfile | null
  /** The timeframes the profile scores for this symbol, shortest first. */
  timeframes: Timeframe[]
  /** The newest signal per timeframe (missing while a timeframe warms up). */
  signals: Partial<Record<Timeframe, Signal>>
  /** `signals.profiles` is being asked (a profile switch asks once, not per event). */
  profilePending: boolean
}

/** The signal panel's state: one store for the feature, written only by ./actions. */
export const useSignalsStore = create<SignalsState>()(() => ({
  key: null,
  state: 'idle',
  profile: null,
  activeProfile: null,
  timeframes: [],
  signals: {},
  profilePending: false,
}))

// Selectors.
export const selectTimeframes = (s: SignalsState): Timeframe[] => s.timeframes
export const selectSignal =
  (tf: Timeframe | null) =>
  (s: SignalsState): Signal | undefined =>
    tf ? s.signals[tf] : undefined

/**
 * The timeframe whose details the panel shows: the chart's when the profile scores it, else
 * the scored one nearest to it (first longer, else the longest).
 */
export function detailTimeframe(
  scored: readonly Timeframe[],
  chart: Timeframe,
  order: readonly Timeframe[],
): Timeframe | null {
  if (scored.includes(chart)) return chart
  const i = order.indexOf(chart)
  return scored.find((tf) => order.indexOf(tf) > i) ?? scored.at(-1) ?? null
}
