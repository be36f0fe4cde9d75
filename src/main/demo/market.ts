import { AppError } from '../../shared/contract/errors'
import type { Candle, CandleColumns } from '../../shared/domain/candles'
import {
  bucketStart,
  nextBucket,
  TIMEFRAMES,
  timeframeMs,
  type Timeframe,
} from '../../shared/domain/timeframes'
import { DAY_MS, EARLIEST_MS, HOUR_MS, LATEST_MS, MINUTE_MS, dayIndex } from './calendar'
import { MarketDaily, SymbolDaily } from './daily'
import {
  generateDayBars,
  generateFactorDay,
  newDayBars,
  newFactorDay,
  type DayBars,
  type FactorDay,
  type IntradayModel,
} from './day-bars'
import { buildMinutePath, newMinutePath, TICK_MS, TICKS_PER_MINUTE, type MinutePath } from './intraminute'
import { Lru } from './lru'
import { seedWords, streamKey } from './rng'
import { sessionProfile } from './seasonality'
import { DEMO_SYMBOL_SPECS, type DemoSymbolSpec } from './symbols'
import type { DemoMarket, DemoQuote, DemoSymbol } from './types'

/**
 * The demo market in three layers, each a pure function of the seed:
 * 1. daily.ts — per UTC day, each symbol's open price and volatility regime, built outward
 *    from the anchor day 2025-01-01 (a few draws per day, kept for the instance's life);
 * 2. day-bars.ts — one day of 1m bars from that day's inputs and counter-keyed streams, so any
 *    day is generated on its own (random access) and cached (LRU);
 * 3. intraminute.ts — the tick path inside a minute, rebuilt from the closed bar, for the live
 *    forming bar.
 * Every longer timeframe is folded from 1m bars (through cached hourly summaries for 1h and up;
 * volumes are multiples of a power of two, so sums are exact in any order).
 *
 * Why random access per day rather than one 1m path run forward from an epoch: the cost of a
 * chart does not grow with the time since the epoch, history before the anchor works the same
 * way, and no result depends on which range was generated first. The price of it is that the
 * intraday GARCH state restarts at its mean at 00:00 UTC; persistence over days is carried by
 * the daily regime instead, which is continuous.
 */
export const DEFAULT_DEMO_SEED = 20_250_101
export const DEFAULT_HISTORY_DAYS = 180

const SALT_PATH = 0x70617468
const DAY_CACHE_DAYS = 256
const HOUR_CACHE_DAYS = 16_384
const HOURS_PER_DAY = 24
/** Hourly summary layout: per hour open, high, low, close, volume. */
const FIELDS = 5

interface SymbolState {
  readonly spec: DemoSymbolSpec
  readonly model: IntradayModel
  readonly daily: SymbolDaily
  readonly path: MinutePath
  pathMinute: number
  /** The volume of the 1,439 closed minutes before `volumeMinute` (the 24 h window's closed part). */
  volumeMinute: number
  volumeClosed: number
}

export function createDemoMarket(opts: { seed?: number; historyDays?: number } = {}): DemoMarket {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED
  const historyDays = opts.historyDays ?? DEFAULT_HISTORY_DAYS
  if (!Number.isSafeInteger(seed)) throw new AppError('validation', 'seed must be a safe integer', 'seed')
  if (!Number.isInteger(historyDays) || historyDays < 90 || historyDays > 3650) {
    throw new AppError('validation', 'historyDays must be an integer from 90 to 3650', 'historyDays')
  }
  return new DemoMarketImpl(seed, historyDays)
}

class DemoMarketImpl implements DemoMarket {
  readonly symbols: readonly DemoSymbol[]
  private readonly states = new Map<string, SymbolState>()
  private readonly seedLo: number
  private readonly seedHi: number
  private readonly days = new Lru<number, DayBars>(DAY_CACHE_DAYS)
  private readonly hours = new Lru<number, Float64Array>(HOUR_CACHE_DAYS)
  private readonly factors = new Lru<number, FactorDay>(DAY_CACHE_DAYS)
  private spareDay: DayBars | undefined
  private spareFactor: FactorDay | undefined

  constructor(
    readonly seed: number,
    private readonly historyDays: number,
  ) {
    ;[this.seedLo, this.seedHi] = seedWords(seed)
    const market = new MarketDaily(this.seedLo, this.seedHi)
    for (const spec of DEMO_SYMBOL_SPECS) {
      const profile = sessionProfile(spec.session)
      const minuteVariance = (spec.annualVol * spec.annualVol) / (365 * 1440)
      this.states.set(spec.symbol, {
        spec,
        model: {
          minuteVariance,
          loading: spec.marketLoading,
          streamId: spec.streamId,
          profile,
          priceScale: 10 ** spec.pricePrecision,
          baseVolume: spec.baseVolume,
          volumeStep: spec.volumeStep,
        },
        daily: new SymbolDaily(market, spec, profile, minuteVariance, this.seedLo, this.seedHi),
        path: newMinutePath(),
        pathMinute: NaN,
        volumeMinute: NaN,
        volumeClosed: 0,
      })
    }
    this.symbols = Object.freeze(
      DEMO_SYMBOL_SPECS.map((s) =>
        Object.freeze({ symbol: s.symbol, description: s.description, pricePrecision: s.pricePrecision }),
      ),
    )
  }

  historyStart(now: number): number {
    checkNow(now)
    return Math.max(EARLIEST_MS, (dayIndex(now) - this.historyDays) * DAY_MS)
  }

  candles(symbol: string, tf: Timeframe, to: number, limit: number, now: number): CandleColumns {
    return drain(this.candleSteps(symbol, tf, to, limit, now))
  }

  /**
   * `candles`, pausing after each UTC day it folds (the bars are the same: the fold's state
   * carries over the pause). A day costs up to ~2 ms here when its 1m bars must be generated.
   */
  *candleSteps(
    symbol: string,
    tf: Timeframe,
    to: number,
    limit: number,
    now: number,
  ): Generator<void, CandleColumns, undefined> {
    const st = this.state(symbol)
    checkTimeframe(tf)
    if (!Number.isInteger(limit) || limit < 0) {
      throw new AppError('validation', 'limit must be a non-negative integer', 'limit')
    }
    if (!Number.isFinite(to)) throw new AppError('validation', 'to must be a finite time', 'to')
    const start = this.historyStart(now)
    let first = bucketStart(start, tf)
    if (first < start) first = nextBucket(first, tf)
    // The newest bucket that opens at or before `to` and has closed by `now`.
    let last = bucketStart(Math.min(to, now), tf)
    if (nextBucket(last, tf) > now) last = bucketStart(last - 1, tf)
    if (limit === 0 || last < first) return emptyColumns()
    let from = last
    if (tf === '1M') {
      for (let n = 1; n < limit && from > first; n++) from = bucketStart(from - 1, tf)
    } else {
      from = Math.max(first, last - (limit - 1) * timeframeMs(tf))
    }
    return yield* this.foldSteps(st, tf, from, nextBucket(last, tf))
  }

  formingCandle(symbol: string, tf: Timeframe, now: number): Candle {
    const st = this.state(symbol)
    checkTimeframe(tf)
    checkNow(now)
    const open = bucketStart(now, tf)
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS
    const live = this.formingMinute(st, minute, now - minute)
    const closed = this.fold(st, tf, open, minute)
    if (closed.time.length === 0) return { time: open, ...live }
    const high = closed.high[0]!
    const low = closed.low[0]!
    return {
      time: open,
      open: closed.open[0]!,
      high: live.high > high ? live.high : high,
      low: live.low < low ? live.low : low,
      close: live.close,
      volume: closed.volume[0]! + live.volume,
    }
  }

  quote(symbol: string, now: number): DemoQuote {
    const st = this.state(symbol)
    checkNow(now)
    const last = this.priceAt(st, now)
    const before = this.priceAt(st, now - DAY_MS)
    return { last, change24h: ((last - before) / before) * 100, volume24h: this.volume24h(st, now) }
  }

  /**
   * Volume over the last 24 h as the 1m bars have it: the 1,439 closed minutes before `now`'s
   * minute (summed once a minute) and the forming minute so far, as an exchange's rolling window.
   */
  private volume24h(st: SymbolState, now: number): number {
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS
    if (st.volumeMinute !== minute) {
      let sum = 0
      for (let m = minute - (DAY_MS - MINUTE_MS); m < minute;) {
        const day = dayIndex(m)
        const bars = this.dayBars(st, day)
        const end = Math.min(minute, (day + 1) * DAY_MS)
        for (let i = (m - day * DAY_MS) / MINUTE_MS, n = (end - day * DAY_MS) / MINUTE_MS; i < n; i++) {
          sum += bars.volume[i]!
        }
        m = end
      }
      st.volumeMinute = minute
      st.volumeClosed = sum
    }
    return st.volumeClosed + this.formingMinute(st, minute, now - minute).volume
  }

  private state(symbol: string): SymbolState {
    const st = this.states.get(symbol)
    if (!st) throw new AppError('not_found', `Unknown demo symbol: ${symbol}`, 'symbol')
    return st
  }

  private priceAt(st: SymbolState, time: number): number {
    const minute = Math.floor(time / MINUTE_MS) * MINUTE_MS
    return this.formingMinute(st, minute, time - minute).close
  }

  /** The 1m bar opening at `minute` as it stands `tau` ms into the minute. */
  private formingMinute(st: SymbolState, minute: number, tau: number): Omit<Candle, 'time'> {
    if (st.pathMinute !== minute) {
      const day = dayIndex(minute)
      const bars = this.dayBars(st, day)
      const i = (minute - day * DAY_MS) / MINUTE_MS
      const bar = {
        open: bars.open[i]!,
        high: bars.high[i]!,
        low: bars.low[i]!,
        close: bars.close[i]!,
        volume: bars.volume[i]!,
      }
      const key = streamKey(
        this.seedLo,
        this.seedHi,
        SALT_PATH ^ (st.spec.streamId * 0x10001),
        minute / MINUTE_MS,
      )
      buildMinutePath(bar, st.model.priceScale, st.model.volumeStep, key, st.path)
      st.pathMinute = minute
    }
    const k = Math.min(TICKS_PER_MINUTE - 1, Math.floor(tau / TICK_MS))
    const p = st.path
    return { open: p.price[0]!, high: p.high[k]!, low: p.low[k]!, close: p.price[k]!, volume: p.volume[k]! }
  }

  private dayBars(st: SymbolState, day: number): DayBars {
    const key = day * 64 + st.spec.streamId
    const cached = this.days.get(key)
    if (cached) return cached
    // Reuse the buffers of the day evicted last: no caller keeps a DayBars across calls.
    const bars = this.spareDay ?? newDayBars()
    this.spareDay = undefined
    const factor = this.factorDay(day)
    generateDayBars(st.model, this.seedLo, this.seedHi, day, st.daily.inputs(day), factor, bars)
    this.spareDay = this.days.set(key, bars)
    return bars
  }

  /** The day's market factor, generated once and shared by every symbol's day. */
  private factorDay(day: number): FactorDay {
    const cached = this.factors.get(day)
    if (cached) return cached
    const factor = this.spareFactor ?? newFactorDay()
    this.spareFactor = undefined
    generateFactorDay(this.seedLo, this.seedHi, day, factor)
    this.spareFactor = this.factors.set(day, factor)
    return factor
  }

  /** Per-hour open, high, low, close, volume of one day, folded from its 1m bars. */
  private hourSummary(st: SymbolState, day: number): Float64Array {
    const key = day * 64 + st.spec.streamId
    const cached = this.hours.get(key)
    if (cached) return cached
    const bars = this.dayBars(st, day)
    const out = new Float64Array(HOURS_PER_DAY * FIELDS)
    for (let h = 0; h < HOURS_PER_DAY; h++) {
      const i0 = h * 60
      let high = bars.high[i0]!
      let low = bars.low[i0]!
      let volume = 0
      for (let i = i0; i < i0 + 60; i++) {
        if (bars.high[i]! > high) high = bars.high[i]!
        if (bars.low[i]! < low) low = bars.low[i]!
        volume += bars.volume[i]!
      }
      out.set([bars.open[i0]!, high, low, bars.close[i0 + 59]!, volume], h * FIELDS)
    }
    this.hours.set(key, out)
    return out
  }

  /**
   * Bars of `tf` folded from the 1m bars opening in [from, end) (both minute-aligned). Whole
   * hours come from hourly summaries when `tf` is an hour or longer (its buckets are then
   * hour-aligned), everything else minute by minute.
   */
  private fold(st: SymbolState, tf: Timeframe, from: number, end: number): CandleColumns {
    return drain(this.foldSteps(st, tf, from, end))
  }

  /** `fold`, pausing after each UTC day. */
  private *foldSteps(
    st: SymbolState,
    tf: Timeframe,
    from: number,
    end: number,
  ): Generator<void, CandleColumns, undefined> {
    const folder = new Folder(tf)
    for (let day = dayIndex(from); day * DAY_MS < end; day++) {
      this.foldDay(st, folder, day, from, end)
      // Nothing read from the caches is held across the pause: other calls may reuse their buffers.
      if ((day + 1) * DAY_MS < end) yield
    }
    return folder.finish()
  }

  /** Folds the 1m bars of `day` that open in [from, end) (the hot loop, outside the generator). */
  private foldDay(st: SymbolState, folder: Folder, day: number, from: number, end: number): void {
    const byHour = timeframeMs(folder.tf) >= HOUR_MS
    const base = day * DAY_MS
    for (let hour = 0; hour < HOURS_PER_DAY; hour++) {
      const t0 = base + hour * HOUR_MS
      if (t0 + HOUR_MS <= from) continue
      if (t0 >= end) break
      if (byHour && t0 >= from && t0 + HOUR_MS <= end) {
        const s = this.hourSummary(st, day)
        const j = hour * FIELDS
        folder.add(t0, s[j]!, s[j + 1]!, s[j + 2]!, s[j + 3]!, s[j + 4]!)
        continue
      }
      const bars = this.dayBars(st, day)
      for (let i = hour * 60; i < hour * 60 + 60; i++) {
        const t = base + i * MINUTE_MS
        if (t < from) continue
        if (t >= end) break
        folder.add(t, bars.open[i]!, bars.high[i]!, bars.low[i]!, bars.close[i]!, bars.volume[i]!)
      }
    }
  }
}

/** Folds bars, oldest first, into bars of `tf`: the bar being formed and those done. */
class Folder {
  private readonly cols = emptyColumns()
  private bucket = NaN
  private o = 0
  private h = 0
  private l = 0
  private c = 0
  private v = 0

  constructor(readonly tf: Timeframe) {}

  add(t: number, open: number, high: number, low: number, close: number, volume: number): void {
    const b = this.tf === '1m' ? t : bucketStart(t, this.tf)
    if (b !== this.bucket) {
      if (!Number.isNaN(this.bucket)) this.push()
      this.bucket = b
      this.o = open
      this.h = high
      this.l = low
      this.v = 0
    }
    if (high > this.h) this.h = high
    if (low < this.l) this.l = low
    this.c = close
    this.v += volume
  }

  finish(): CandleColumns {
    if (!Number.isNaN(this.bucket)) this.push()
    this.bucket = NaN
    return this.cols
  }

  private push(): void {
    const cols = this.cols
    cols.time.push(this.bucket)
    cols.open.push(this.o)
    cols.high.push(this.h)
    cols.low.push(this.l)
    cols.close.push(this.c)
    cols.volume.push(this.v)
  }
}

/** Runs steps to the end without pausing. */
function drain<T>(steps: Generator<void, T, undefined>): T {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

function emptyColumns(): CandleColumns {
  return { time: [], open: [], high: [], low: [], close: [], volume: [] }
}

function checkNow(now: number): void {
  if (!Number.isFinite(now) || now < EARLIEST_MS + DAY_MS || now >= LATEST_MS) {
    throw new AppError('validation', 'now is outside the demo market’s range (2000-01-02 to 2099)', 'now')
  }
}

function checkTimeframe(tf: Timeframe): void {
  if (!(TIMEFRAMES as readonly string[]).includes(tf)) {
    throw new AppError('validation', `Unknown timeframe: ${String(tf)}`, 'tf')
  }
}
