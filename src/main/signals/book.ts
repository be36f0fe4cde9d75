import type { Candle } from '../../shared/domain/candles'
import type { Signal, SignalProfile } from '../../shared/domain/signals'
import { nextBucket, type Timeframe } from '../../shared/domain/timeframes'
import { evaluate } from './evaluate'
import { SignalState, type HigherView, type Readings } from './state'

/** A closed bar of one timeframe. */
export interface ClosedBar {
  timeframe: Timeframe
  bar: Candle
}

/** When a bar of `tf` opening at `open` closes: the open of the next bucket. */
export const closeTime = (tf: Timeframe, open: number): number => nextBucket(open, tf)

/**
 * The signals of one symbol across its timeframes, fed closed bars in time order.
 *
 * No look-ahead, by construction: a bar's signal is computed when it closes, from the streaming
 * state of its own timeframe and from the raw deviation of each higher timeframe's last bar that
 * closed at or before the same instant (never a forming bar). Bars closing at the same instant
 * (a 1h boundary closes 1m, 5m, 15m and 1h bars) are committed first and evaluated after, so
 * the order in which they arrive does not matter.
 */
export class SymbolBook {
  /** The profile's timeframes this symbol has, shortest first. */
  readonly timeframes: readonly Timeframe[]
  private readonly states = new Map<Timeframe, SignalState>()
  private readonly readings = new Map<Timeframe, Readings>()
  private readonly lastOpen = new Map<Timeframe, number>()
  private readonly latestSignal = new Map<Timeframe, Signal>()

  constructor(
    readonly source: string,
    readonly symbol: string,
    readonly profile: SignalProfile,
    timeframes: readonly Timeframe[] = profile.timeframes,
  ) {
    this.timeframes = profile.timeframes.filter((tf) => timeframes.includes(tf))
    for (const tf of this.timeframes) this.states.set(tf, new SignalState(profile))
  }

  /** Open time of the last bar committed for `tf`, or undefined. */
  lastBarOpen(tf: Timeframe): number | undefined {
    return this.lastOpen.get(tf)
  }

  /** The newest signal of `tf`, or null while it warms up. */
  latest(tf: Timeframe): Signal | null {
    return this.latestSignal.get(tf) ?? null
  }

  /**
   * Commits bars that all closed at the same instant and returns the signals of the timeframes
   * that produced one, shortest first. Bars of timeframes the book does not score, and bars not
   * newer than the last one committed for their timeframe, are ignored.
   */
  closeBars(bars: readonly ClosedBar[]): Signal[] {
    const closed = this.commit(bars)
    const out: Signal[] = []
    for (const tf of this.timeframes) {
      if (!closed.includes(tf)) continue
      const signal = evaluate(
        { source: this.source, symbol: this.symbol, timeframe: tf, profile: this.profile },
        this.readings.get(tf)!,
        this.higherViews(tf),
      )
      this.latestSignal.set(tf, signal)
      out.push(signal)
    }
    return out
  }

  /**
   * Commits bars that all closed at the same instant to the streaming state without scoring
   * them, and returns the timeframes that have readings for them. `closeBars` is this plus the
   * evaluation; a book fed the same groups through `commit` ends in the same state (the
   * evaluation reads the state and changes nothing), which is how the main thread takes over a
   * book replayed in a worker (seed.ts) and then `adopt`s its latest signals.
   */
  commit(bars: readonly ClosedBar[]): Timeframe[] {
    const closed: Timeframe[] = []
    for (const { timeframe: tf, bar } of bars) {
      const state = this.states.get(tf)
      const last = this.lastOpen.get(tf)
      if (!state || (last !== undefined && bar.time <= last)) continue
      const r = state.update(bar)
      this.lastOpen.set(tf, bar.time)
      if (r) this.readings.set(tf, r)
      else this.readings.delete(tf)
      if (r) closed.push(tf)
    }
    return closed
  }

  /** Takes the newest signals of a replay of the same bars done elsewhere (see `commit`). */
  adopt(latest: readonly Signal[]): void {
    for (const s of latest) if (this.states.has(s.timeframe)) this.latestSignal.set(s.timeframe, s)
  }

  /**
   * Feeds whole series (each oldest first) in the order their bars close, and returns every
   * signal produced, in that order.
   */
  replay(series: Partial<Record<Timeframe, readonly Candle[]>>): Signal[] {
    const out: Signal[] = []
    for (const group of byCloseTime(series)) out.push(...this.closeBars(group))
    return out
  }

  private higherViews(tf: Timeframe): HigherView[] {
    const i = this.timeframes.indexOf(tf)
    return this.timeframes.slice(i + 1).map((h) => ({ timeframe: h, dev: this.readings.get(h)?.raw ?? null }))
  }
}

/**
 * Merges series of several timeframes into groups of bars that close at the same instant,
 * oldest group first. A k-way merge over the series' cursors.
 */
export function* byCloseTime(series: Partial<Record<Timeframe, readonly Candle[]>>): Generator<ClosedBar[]> {
  const entries = (Object.entries(series) as [Timeframe, readonly Candle[]][]).filter(([, s]) => s.length > 0)
  const cursor = entries.map(() => 0)
  for (;;) {
    let t = Infinity
    for (let k = 0; k < entries.length; k++) {
      const [tf, s] = entries[k]!
      const bar = s[cursor[k]!]
      if (bar) t = Math.min(t, closeTime(tf, bar.time))
    }
    if (t === Infinity) return
    const group: ClosedBar[] = []
    for (let k = 0; k < entries.length; k++) {
      const [tf, s] = entries[k]!
      let bar = s[cursor[k]!]
      while (bar && closeTime(tf, bar.time) === t) {
        group.push({ timeframe: tf, bar })
        cursor[k] = cursor[k]! + 1
        bar = s[cursor[k]!]
      }
    }
    yield group
  }
}
