import type { SignalProfiles, SignalsCurrent, SignalsUpdate } from '../../shared/contract/signals'
import { AppError } from '../../shared/contract/errors'
import {
  DEFAULT_PROFILE,
  DEFAULT_PROFILE_ID,
  type Signal,
  type SignalProfile,
} from '../../shared/domain/signals'
import { bucketStart, timeframeMs, type Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import type { BarSource } from './bars'
import { SymbolBook } from './book'
import { ensureSignalTables } from './schema'
import {
  deleteProfileHistory,
  listProfiles,
  pruneSignalHistory,
  readSignalHistory,
  saveProfile,
  saveSignals,
  setActiveProfile,
} from './store'

/** Closed bars read per timeframe when a symbol's signals are first built. */
export const DEFAULT_SEED_BARS = 1000
/** Stored history kept per series, in bars of its timeframe. */
export const HISTORY_BARS = 10_000
/** How often the live feed looks for closed bars (they close on minute boundaries). */
export const POLL_INTERVAL_MS = 500

export interface SignalServiceDeps {
  db: Db
  bars: BarSource
  clock: Clock
  log?: Logger
  seedBars?: number
  pollIntervalMs?: number
}

type Listener = (e: SignalsUpdate) => void

interface Entry {
  book: SymbolBook
  live: boolean
  /** The minute (bucket start) up to which closed bars have been read. */
  checkedMinute: number
}

const keyOf = (source: string, symbol: string): string => `${source}\u0000${symbol}`

/**
 * The signal engine behind the contract. Per (source, symbol) a SymbolBook is built on first
 * use from `seedBars` closed bars of each timeframe; for a live source it is then advanced
 * bar by bar: on every command (catching up on whatever closed since) and, while someone is
 * subscribed, on a timer that looks for closed bars (`closed: true` in market terms) every
 * `pollIntervalMs`. Every signal is written to the history; subscribers get the newest
 * signal of each timeframe that closed (coalesced: a catch-up over many bars sends one event).
 */
export class SignalService {
  private profile: SignalProfile = DEFAULT_PROFILE
  private readonly entries = new Map<string, Entry>()
  private readonly listeners = new Map<string, Set<Listener>>()
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly seedBars: number
  /** 'session' when migration 5 is not applied yet and the tables are TEMP ones. */
  readonly storage: 'persistent' | 'session'

  constructor(private readonly deps: SignalServiceDeps) {
    this.seedBars = deps.seedBars ?? DEFAULT_SEED_BARS
    this.storage = ensureSignalTables(deps.db)
    if (this.storage === 'session') {
      deps.log?.warn(
        'signals: migration 5 is not applied; signal history and profiles last for this session only',
      )
    }
    const active = listProfiles(deps.db).find((p) => p.active)
    if (active) this.profile = active.profile
  }

  get activeProfile(): SignalProfile {
    return this.profile
  }

  profiles(): SignalProfiles {
    const saved = listProfiles(this.deps.db).filter((p) => p.profile.id !== DEFAULT_PROFILE_ID)
    return {
      active: this.profile.id,
      profiles: [
        { profile: DEFAULT_PROFILE, builtin: true },
        ...saved.map((p) => ({ profile: p.profile, builtin: false })),
      ],
    }
  }

  /** Activates a saved profile by id, or saves and activates a new definition. */
  setProfile(req: { id: string } | { profile: SignalProfile }): SignalProfiles {
    const { db } = this.deps
    let next: SignalProfile
    if ('id' in req) {
      if (req.id === DEFAULT_PROFILE_ID) next = DEFAULT_PROFILE
      else {
        const found = listProfiles(db).find((p) => p.profile.id === req.id)
        if (!found) throw new AppError('not_found', `No signal profile "${req.id}"`, 'params.id')
        next = found.profile
      }
    } else {
      next = req.profile
      if (next.id === DEFAULT_PROFILE_ID) {
        throw new AppError(
          'conflict',
          'The default profile is built in; save yours under another id',
          'params.profile.id',
        )
      }
      const before = listProfiles(db).find((p) => p.profile.id === next.id)
      db.transaction(() => {
        if (before && JSON.stringify(before.profile) !== JSON.stringify(next))
          deleteProfileHistory(db, next.id)
        saveProfile(db, next, this.deps.clock.now())
      })()
    }
    setActiveProfile(db, next.id === DEFAULT_PROFILE_ID ? null : next.id)
    const changed = JSON.stringify(next) !== JSON.stringify(this.profile)
    this.profile = next
    if (changed) this.rebuild()
    return this.profiles()
  }

  current(source: string, symbol: string): SignalsCurrent {
    const { book } = this.entry(source, symbol)
    return {
      source,
      symbol,
      profile: this.profile.id,
      timeframes: book.timeframes.map((timeframe) => ({ timeframe, signal: book.latest(timeframe) })),
    }
  }

  history(q: {
    source: string
    symbol: string
    timeframe: Timeframe
    from?: number | undefined
    to?: number | undefined
    limit: number
  }): { profile: string; signals: Signal[] } {
    const { book } = this.entry(q.source, q.symbol)
    const profile = this.profile.id
    if (!book.timeframes.includes(q.timeframe)) return { profile, signals: [] }
    return { profile, signals: readSignalHistory(this.deps.db, { ...q, profile }) }
  }

  /** Streams a symbol's signals: a snapshot now, then the timeframes whose bars close. */
  subscribe(source: string, symbol: string, listener: Listener): () => void {
    const key = keyOf(source, symbol)
    const entry = this.entry(source, symbol)
    let set = this.listeners.get(key)
    if (!set) this.listeners.set(key, (set = new Set()))
    set.add(listener)
    listener(this.snapshot(entry))
    if (entry.live) this.startTimer()
    return () => {
      set.delete(listener)
      if (set.size === 0) this.listeners.delete(key)
      if (this.listeners.size === 0) this.stopTimer()
    }
  }

  /**
   * Reads the bars that closed since the last look for every subscribed live symbol, and
   * pushes their signals. The timer calls it; tests call it with their own clock.
   */
  poll(): void {
    for (const key of this.listeners.keys()) {
      const entry = this.entries.get(key)
      if (!entry?.live) continue
      try {
        this.catchUp(entry)
      } catch (err) {
        this.deps.log?.error(`signals: updating ${entry.book.symbol} failed`, err)
      }
    }
  }

  close(): void {
    this.stopTimer()
    this.listeners.clear()
  }

  /** The book of a symbol: built on first use, caught up with the bars closed since. */
  private entry(source: string, symbol: string): Entry {
    const key = keyOf(source, symbol)
    let entry = this.entries.get(key)
    if (!entry) {
      entry = this.build(source, symbol)
      this.entries.set(key, entry)
    } else if (entry.live) {
      this.catchUp(entry)
    }
    return entry
  }

  private build(source: string, symbol: string): Entry {
    const { bars, clock, db } = this.deps
    const now = clock.now()
    const book = new SymbolBook(source, symbol, this.profile, bars.timeframes(source, symbol))
    const series: Partial<Record<Timeframe, ReturnType<BarSource['closedBars']>>> = {}
    for (const tf of book.timeframes) series[tf] = bars.closedBars(source, symbol, tf, this.seedBars, now)
    const signals = book.replay(series)
    db.transaction(() => {
      saveSignals(db, signals)
      for (const tf of book.timeframes) {
        const key = { profile: this.profile.id, source, symbol, timeframe: tf }
        pruneSignalHistory(db, key, now - HISTORY_BARS * timeframeMs(tf))
      }
    })()
    return { book, live: bars.live(source), checkedMinute: bucketStart(now, '1m') }
  }

  /**
   * Feeds a live book the bars that closed since it last looked. Every timeframe's bars close
   * on a minute boundary, so nothing can have closed within the same minute. After a gap longer
   * than the seed window (a sleeping laptop) the book is rebuilt instead.
   */
  private catchUp(entry: Entry): void {
    const { bars, clock, db } = this.deps
    const now = clock.now()
    const minute = bucketStart(now, '1m')
    if (minute <= entry.checkedMinute) return
    const { book } = entry
    const { source, symbol } = book
    const series: Partial<Record<Timeframe, ReturnType<BarSource['closedBars']>>> = {}
    let rebuild = false
    for (const tf of book.timeframes) {
      const last = book.lastBarOpen(tf)
      const missing = last === undefined ? this.seedBars : Math.ceil((now - last) / timeframeMs(tf)) + 1
      if (missing > this.seedBars) {
        rebuild = true
        break
      }
      const fresh = bars
        .closedBars(source, symbol, tf, missing, now)
        .filter((b) => last === undefined || b.time > last)
      if (fresh.length > 0) series[tf] = fresh
    }
    if (rebuild) {
      const rebuilt = this.build(source, symbol)
      entry.book = rebuilt.book
      entry.checkedMinute = rebuilt.checkedMinute
      this.emit(keyOf(source, symbol), this.snapshot(entry))
      return
    }
    const signals = book.replay(series)
    entry.checkedMinute = minute
    if (signals.length === 0) return
    saveSignals(db, signals)
    // Coalesced: the newest signal of each timeframe that closed.
    const newest = new Map<Timeframe, Signal>()
    for (const s of signals) newest.set(s.timeframe, s)
    this.emit(keyOf(source, symbol), {
      kind: 'update',
      source,
      symbol,
      profile: this.profile.id,
      timeframes: [...book.timeframes],
      signals: book.timeframes.flatMap((tf) => newest.get(tf) ?? []),
    })
  }

  private snapshot(entry: Entry): SignalsUpdate {
    const { book } = entry
    return {
      kind: 'snapshot',
      source: book.source,
      symbol: book.symbol,
      profile: this.profile.id,
      timeframes: [...book.timeframes],
      signals: book.timeframes.flatMap((tf) => book.latest(tf) ?? []),
    }
  }

  private emit(key: string, e: SignalsUpdate): void {
    for (const l of this.listeners.get(key) ?? []) l(e)
  }

  /** A new profile: every book is rebuilt; subscribers get a fresh snapshot. */
  private rebuild(): void {
    this.entries.clear()
    for (const key of [...this.listeners.keys()]) {
      const [source, symbol] = key.split('\u0000') as [string, string]
      try {
        const entry = this.build(source, symbol)
        this.entries.set(key, entry)
        this.emit(key, this.snapshot(entry))
      } catch (err) {
        this.deps.log?.error(`signals: rebuilding ${symbol} failed`, err)
      }
    }
  }

  private startTimer(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.poll(), this.deps.pollIntervalMs ?? POLL_INTERVAL_MS)
    this.timer.unref?.()
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}
