import type { AppErrorShape } from '../../../../shared/contract/errors'
import type { SignalsUpdate } from '../../../../shared/contract/signals'
import type { Signal } from '../../../../shared/domain/signals'
import type { Timeframe } from '../../../../shared/domain/timeframes'
import { client } from '../../connection'
import { reportError } from '../notices/store'
import { useShellStore } from '../shell/store'
import { selectTimeframe } from '../trade/actions'
import { useSignalsStore } from './store'

const set = useSignalsStore.setState

/** Bumped on every watch: events and answers for an earlier symbol are dropped. */
let seq = 0
let stop: (() => void) | null = null

const keyOf = (source: string, symbol: string): string => `${source}\u0000${symbol}`

/**
 * Follows one symbol's signals: the engine's `signals.updates` stream sends a snapshot of
 * every timeframe first, then the timeframes whose bars close. Returns what stops it.
 */
export function watchSignals(source: string, symbol: string): () => void {
  stopWatching()
  const mine = ++seq
  set({ key: keyOf(source, symbol), state: 'loading', timeframes: [], signals: {} })
  stop = client().subscribe(
    'signals.updates',
    { source, symbol },
    (e) => {
      if (mine === seq) apply(e)
    },
    (error) => {
      if (mine !== seq) return
      if (error) {
        set({ state: 'error' })
        reportStreamEnd(`Signals stopped for ${symbol}`, error)
      }
    },
  )
  void loadProfile(mine)
  return () => {
    if (mine !== seq) return
    seq++
    stopWatching()
    set({ key: null, state: 'idle', timeframes: [], signals: {} })
  }
}

/** Clicking a timeframe in the heat strip switches the chart (the trade feature's own action). */
export function selectSignalTimeframe(tf: Timeframe): void {
  selectTimeframe(tf)
}

function apply(e: SignalsUpdate): void {
  set((s) => {
    const signals: Partial<Record<Timeframe, Signal>> = e.kind === 'snapshot' ? {} : { ...s.signals }
    for (const sig of e.signals) signals[sig.timeframe] = sig
    return { state: 'ready', profile: e.profile, timeframes: e.timeframes, signals }
  })
  // A profile switched elsewhere: fetch its definition (names and parameters for the tooltips).
  if (useSignalsStore.getState().activeProfile?.id !== e.profile && !profilePending) void loadProfile(seq)
}

let profilePending = false

async function loadProfile(mine: number): Promise<void> {
  profilePending = true
  const res = await client().invoke('signals.profiles', {})
  profilePending = false
  if (mine !== seq) return
  if (!res.ok) {
    reportError('Could not load the signal profiles', res.error)
    return
  }
  const active = res.value.profiles.find((p) => p.profile.id === res.value.active)
  set({ activeProfile: active?.profile ?? null })
}

function stopWatching(): void {
  stop?.()
  stop = null
}

/**
 * A stream that ends because the whole connection dropped is already reported by the shell
 * (one "disconnected" notice); report only streams that end on their own.
 */
function reportStreamEnd(title: string, error: AppErrorShape): void {
  queueMicrotask(() => {
    if (useShellStore.getState().connection !== 'closed') reportError(title, error)
  })
}
