import type { SignalProfiles, SignalsCurrent, SignalsUpdate } from '../../shared/contract/signals'
import { AppError } from '../../shared/contract/errors'
import {
  DEFAULT_PROFILE,
  DEFAULT_PROFILE_ID,
  type Signal,
  type SignalProfile,
} from '../../shared/domain/signals'
import { barsBack, bucketStart, maxBarsIn, type Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import type { BarSource } from './bars'
import { byCloseTime, SymbolBook } from './book'
import {
  computeSeed,
  fromBarColumns,
  toBarColumns,
  type BarColumns,
  type SeedRequest,
  type SeedResult,
} from './seed'
import {
  deleteProfileHistory,
  listProfiles,
  pruneSignalHistory,
  readSignalHistory,
  saveEncodedSignals,
  saveProfile,
  saveSignals,
  setActiveProfile,
} from './store'
import { nextTurn } from '../next-turn'

/** Closed bars read per timeframe when a symbol's signals are first built. */
export const DEFAULT_SEED_BARS = 1000
/** Stored history kept per series, in bars of its timeframe. */
export const HISTORY_BARS = 10_000
/** How often the live feed looks for closed bars (they close on minute boundaries). */
export const POLL_INTERVAL_MS = 500
/**
 * The main thread's share of a cold seed (committing the bars to the live book, writing the
 * history) runs in slices of about this long, each followed by a turn of the event loop.
 */
export const SLICE_MS = 4
/** History rows written per transaction while seeding (a few hundred microseconds each). */
const SAVE_CHUNK = 100

/**
 * Runs a cold seed (seed.ts): the engine passes one that runs it in the compute worker; the
 * default runs it in the calling thread (tests, tools).
 */
export type SeedRunner = (req: SeedRequest) => Promise<SeedResult>
export const inlineSeeder: SeedRunner = (req) => Promise.resolve().then(() => computeSeed(req))

/** What a command or stream gets while (or after) the engine closes. */
export const closingError = (): AppError =>
  new AppError('unavailable', 'engine closing: the signals are no longer computed')

export interface SignalServiceDeps {
  db: Db
  bars: BarSource
  clock: Clock
  log?: Logger
  seedBars?: number
  pollIntervalMs?: number
  /** Where cold seeds run; by default in the calling thread. */
  seeder?: SeedRunner
}

type Listener = (e: SignalsUpdate) => void

interface Subscriber {
  emit: Listener
  /** Ends the subscription with an error (its book could not be built). */
  fail(err: unknown): void
}

/** A seed whose profile was replaced while it ran: its result is dropped and the caller asks again. */
class Superseded extends Error {}

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
 *
 * The cold seed (generating or reading thousands of bars and scoring them: 0.1-1 s) never holds
 * the event loop: the `seeder` does the heavy part (in the engine, the compute worker), and the
 * main thread takes over its result in slices of `SLICE_MS` (`build`). Concurrent requests for
 * the same symbol share one seed; a failed seed fails every request waiting on it (and is tried
 * again on the next one); a profile change while a seed runs drops that seed and starts over.
 */
export class SignalService {
  private profile: SignalProfile = DEFAULT_PROFILE
  private readonly entries = new Map<string, Entry>()
  private readonly listeners = new Map<string, Set<Subscriber>>()
  /** The live feeds held open for followed symbols (see BarSource.follow), by key. */
  private readonly following = new Map<string, () => void>()
  /** Seeds in flight, by key, for the current profile. */
  private readonly seeds = new Map<string, Promise<void>>()
  /** Counts profile changes: a seed started under an older one is dropped. */
  private generation = 0
  private closed = false
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly seedBars: number
  private readonly seeder: SeedRunner

  constructor(private readonly deps: SignalServiceDeps) {
    this.seedBars = deps.seedBars ?? DEFAULT_SEED_BARS
    this.seeder = deps.seeder ?? inlineSeeder
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

  async current(source: string, symbol: string): Promise<SignalsCurrent> {
    const { book } = await this.entry(source, symbol)
    return {
      source,
      symbol,
      profile: this.profile.id,
      timeframes: book.timeframes.map((timeframe) => ({ timeframe, signal: book.latest(timeframe) })),
    }
  }

  async history(q: {
    source: string
    symbol: string
    timeframe: Timeframe
    from?: number | undefined
    to?: number | undefined
    limit: number
  }): Promise<{ profile: string; signals: Signal[] }> {
    const { book } = await this.entry(q.source, q.symbol)
    const profile = this.profile.id
    if (!book.timeframes.includes(q.timeframe)) return { profile, signals: [] }
    return { profile, signals: readSignalHistory(this.deps.db, { ...q, profile }) }
  }

  /**
   * Streams a symbol's signals: a snapshot (at once when its book is built, else when the seed
   * is done), then the timeframes whose bars close. An unknown symbol is refused at once; a
   * seed that fails ends the stream through `fail`.
   */
  subscribe(
    source: string,
    symbol: string,
    listener: Listener,
    fail: (err: unknown) => void = () => {},
  ): () => void {
    if (this.closed) throw closingError()
    const key = keyOf(source, symbol)
    this.deps.bars.timeframes(source, symbol)
    const sub: Subscriber = { emit: listener, fail }
    let active = true
    const attach = (entry: Entry): void => {
      if (!active) return
      let set = this.listeners.get(key)
      if (!set) this.listeners.set(key, (set = new Set()))
      set.add(sub)
      listener(this.snapshot(entry))
      if (entry.live) {
        if (!this.following.has(key))
          this.following.set(key, this.follow(source, symbol, entry.book.timeframes))
        this.startTimer()
      }
    }
    const have = this.entries.get(key)
    if (have && (!have.live || this.catchUp(have))) attach(have)
    else {
      this.entry(source, symbol).then(attach, (err: unknown) => {
        if (!active) return
        active = false
        fail(err)
      })
    }
    return () => {
      active = false
      const set = this.listeners.get(key)
      set?.delete(sub)
      if (set?.size === 0) {
        this.listeners.delete(key)
        this.following.get(key)?.()
        this.following.delete(key)
      }
      if (this.listeners.size === 0) this.stopTimer()
    }
  }

  /**
   * Reads the bars that closed since the last look for every subscribed live symbol, and
   * pushes their signals. The timer calls it; tests call it with their own clock.
   */
  poll(): void {
    for (const key of [...this.listeners.keys()]) {
      const entry = this.entries.get(key)
      if (entry?.live) this.update(entry)
    }
  }

  /** Catches a live book up (or seeds it again after a long gap); failures are logged. */
  private update(entry: Entry): void {
    try {
      if (!this.catchUp(entry)) this.reseed(entry.book.source, entry.book.symbol)
    } catch (err) {
      this.deps.log?.error(`signals: updating ${entry.book.symbol} failed`, err)
    }
  }

  /** Stops the timer and every stream; seeds in flight are dropped, and later calls fail. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.stopTimer()
    this.listeners.clear()
    for (const stop of this.following.values()) stop()
    this.following.clear()
    this.seeds.clear()
  }

  /**
   * Holds a live series' feed open while it has subscribers; a feed that will not start is logged.
   * A bar its feed reports closed is caught up at once, not at the next minute's poll, which may
   * have run before the exchange said so.
   */
  private follow(source: string, symbol: string, timeframes: readonly Timeframe[]): () => void {
    const key = keyOf(source, symbol)
    const onClosed = (): void => {
      const entry = this.entries.get(key)
      if (this.closed || !entry?.live || !this.listeners.has(key)) return
      entry.checkedMinute = -Infinity
      this.update(entry)
    }
    try {
      return this.deps.bars.follow?.(source, symbol, timeframes, onClosed) ?? (() => {})
    } catch (err) {
      this.deps.log?.warn(`signals: no live feed for ${symbol} from ${source}`, err)
      return () => {}
    }
  }

  /** Seeds in flight (for tests and diagnostics). */
  get seeding(): number {
    return this.seeds.size
  }

  /** The book of a symbol: built on first use, caught up with the bars closed since. */
  private async entry(source: string, symbol: string): Promise<Entry> {
    const key = keyOf(source, symbol)
    for (;;) {
      if (this.closed) throw closingError()
      const have = this.entries.get(key)
      // A live book is caught up; after a gap longer than the seed window it is dropped and seeded again.
      if (have && (!have.live || this.catchUp(have))) return have
      // Installs the entry, unless the profile changed meanwhile: then this seeds again.
      await this.seed(source, symbol)
    }
  }

  /**
   * Starts the symbol's seed, or joins the one in flight. When done it installs the book (if
   * the profile is still the one it was built with) and sends the subscribers already listening
   * (after a profile change or a gap) a fresh snapshot.
   */
  private seed(source: string, symbol: string): Promise<void> {
    const key = keyOf(source, symbol)
    const running = this.seeds.get(key)
    if (running) return running
    const generation = this.generation
    const job = this.build(source, symbol, generation).then(
      (entry) => {
        if (this.closed || generation !== this.generation) return
        this.entries.set(key, entry)
        // A new profile may use other timeframes, backed by other series: follow those (the new
        // watch first, so a series both follow keeps its feed).
        const followed = this.following.get(key)
        if (followed) {
          this.following.set(key, this.follow(source, symbol, entry.book.timeframes))
          followed()
        }
        if (this.listeners.has(key)) this.emit(key, this.snapshot(entry))
      },
      (err: unknown) => {
        if (err instanceof Superseded && !this.closed) return
        throw err
      },
    )
    const settled = (): void => {
      if (this.seeds.get(key) === job) this.seeds.delete(key)
    }
    job.then(settled, settled)
    this.seeds.set(key, job)
    return job
  }

  /** Seeds a symbol nobody is waiting on (a gap, a new profile); a failure ends its streams. */
  private reseed(source: string, symbol: string): void {
    const key = keyOf(source, symbol)
    this.seed(source, symbol).catch((err: unknown) => {
      if (this.closed) return
      this.deps.log?.error(`signals: rebuilding ${symbol} failed`, err)
      const subs = this.listeners.get(key)
      this.listeners.delete(key)
      if (this.listeners.size === 0) this.stopTimer()
      for (const sub of subs ?? []) sub.fail(err)
    })
  }

  /**
   * A cold seed. The seeder generates (or is shipped) the bars and scores them, off the main
   * thread; here the result is taken over in slices that each end with a turn of the event loop:
   * the bars are committed to this thread's book without being scored again (`SymbolBook.commit`
   * reaches the same state, and `adopt` takes the newest signals), then the signals are written
   * to the history a chunk per transaction, then the history is pruned. Every slice first checks
   * that the engine is open and the profile unchanged.
   */
  private async build(source: string, symbol: string, generation: number): Promise<Entry> {
    const { bars, clock, db } = this.deps
    const now = clock.now()
    const profile = this.profile
    const check = (): void => {
      if (this.closed) throw closingError()
      if (generation !== this.generation) throw new Superseded()
    }
    const available = bars.timeframes(source, symbol)
    const timeframes = profile.timeframes.filter((tf) => available.includes(tf))
    const recipe = bars.recipe?.(source, now)
    let shipped: Partial<Record<Timeframe, BarColumns>> | undefined
    if (!recipe) {
      // A stored history is read here (the worker has no database), a timeframe per slice.
      shipped = {}
      for (const tf of timeframes) {
        shipped[tf] = toBarColumns(bars.closedBars(source, symbol, tf, this.seedBars, now))
        await nextTurn()
        check()
      }
    }
    const result = await this.seeder({
      source,
      symbol,
      profile,
      timeframes,
      seedBars: this.seedBars,
      now,
      bars: recipe ? { recipe } : { series: shipped! },
    })
    check()

    const book = new SymbolBook(source, symbol, profile, timeframes)
    const series: Partial<Record<Timeframe, ReturnType<typeof fromBarColumns>>> = {}
    for (const tf of result.timeframes) series[tf] = fromBarColumns(result.series[tf]!)
    let sliceStart = performance.now()
    const pause = async (): Promise<void> => {
      if (performance.now() - sliceStart < SLICE_MS) return
      await nextTurn()
      check()
      sliceStart = performance.now()
    }
    for (const group of byCloseTime(series)) {
      book.commit(group)
      await pause()
    }
    book.adopt(result.latest)

    const key = { profile: profile.id, source, symbol }
    const n = result.signals.count
    for (let i = 0; i < n; i += SAVE_CHUNK) {
      saveEncodedSignals(db, result, key, i, Math.min(n, i + SAVE_CHUNK))
      await pause()
    }
    await nextTurn()
    check()
    db.transaction(() => {
      for (const tf of book.timeframes) {
        pruneSignalHistory(db, { ...key, timeframe: tf }, barsBack(bucketStart(now, tf), HISTORY_BARS, tf))
      }
    })()
    return { book, live: bars.live(source, symbol), checkedMinute: bucketStart(now, '1m') }
  }

  /**
   * Feeds a live book the bars that closed since it last looked. Every timeframe's bars close
   * on a minute boundary, so nothing can have closed within the same minute. After a gap longer
   * than the seed window (a sleeping laptop) the book is rebuilt instead.
   */
  private catchUp(entry: Entry): boolean {
    const { bars, clock, db } = this.deps
    const now = clock.now()
    const minute = bucketStart(now, '1m')
    if (minute <= entry.checkedMinute) return true
    const { book } = entry
    const { source, symbol } = book
    const series: Partial<Record<Timeframe, ReturnType<BarSource['closedBars']>>> = {}
    let rebuild = false
    for (const tf of book.timeframes) {
      const last = book.lastBarOpen(tf)
      const missing = last === undefined ? this.seedBars : maxBarsIn(now - last, tf) + 1
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
      // Seeded again by the caller; subscribers get a snapshot when that is done.
      const key = keyOf(source, symbol)
      if (this.entries.get(key) === entry) this.entries.delete(key)
      return false
    }
    const signals = book.replay(series)
    entry.checkedMinute = minute
    if (signals.length === 0) return true
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
    return true
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
    for (const sub of this.listeners.get(key) ?? []) sub.emit(e)
  }

  /**
   * A new profile: every book is rebuilt (seeds in flight are dropped); subscribers get a fresh
   * snapshot when theirs is done, other symbols are seeded again on their next use.
   */
  private rebuild(): void {
    this.generation++
    this.entries.clear()
    this.seeds.clear()
    for (const key of [...this.listeners.keys()]) {
      const [source, symbol] = key.split('\u0000') as [string, string]
      this.reseed(source, symbol)
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
