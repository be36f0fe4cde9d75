import { threadId } from 'node:worker_threads'
import { AppError } from '../../shared/contract/errors'
import type { Candle } from '../../shared/domain/candles'
import type { Signal, SignalDirection, SignalProfile } from '../../shared/domain/signals'
import type { Timeframe } from '../../shared/domain/timeframes'
import { createDemoMarket, type DemoMarket } from '../demo'
import { candleSeries, type CandleSeries } from '../indicators'
import { demoClosedBars, type BarRecipe } from './demo-bars'
import { SymbolBook } from './book'

/**
 * The cold seed of one symbol's signals as a job that can run in a worker thread: the bars of
 * every timeframe (generated there from the demo market's seed, or shipped in as columns) are
 * replayed through a fresh SymbolBook, and what comes back is cheap to move across threads and
 * to finish in the main thread in slices:
 * - the bars themselves (Float64Array columns, transferred), which the main thread commits to its
 *   own book without evaluating them (`SymbolBook.commit`), so the live feed continues from
 *   exactly the same indicator state;
 * - every signal as columns (numbers in typed arrays, each signal's reasons as their JSON text:
 *   the form the history table stores), since 5,000 signal objects cost 20-30 ms to deserialize
 *   in one piece;
 * - the newest signal of each timeframe as it is, for the book's `latest`.
 *
 * `computeSeed` is pure (the same request gives the same result to the bit, in any thread):
 * the worker and the main-thread fallback both call it.
 */

export type BarColumns = CandleSeries

export interface SeedRequest {
  source: string
  symbol: string
  profile: SignalProfile
  /** The timeframes the symbol has (the book keeps the profile's among them). */
  timeframes: readonly Timeframe[]
  seedBars: number
  now: number
  /** Where the bars come from: generated from a recipe, or the closed bars read by the caller. */
  bars: { recipe: BarRecipe } | { series: Partial<Record<Timeframe, BarColumns>> }
}

/** Every signal of a seed, one entry per signal in each column, in the order produced. */
export interface EncodedSignals {
  count: number
  /** Index into `SeedResult.timeframes`. */
  timeframe: Uint8Array
  time: Float64Array
  score: Float64Array
  raw: Float64Array
  confidence: Float64Array
  /** Component scores; NaN where the signal has null (component off). */
  trend: Float64Array
  momentum: Float64Array
  volatility: Float64Array
  volume: Float64Array
  /** Index into DIRECTIONS. */
  direction: Uint8Array
  /**
   * Every signal's JSON.stringify(reasons) (what the history table stores), end to end in one
   * string: one string crosses threads as one copy, thousands cost milliseconds to rebuild.
   */
  reasonsText: string
  /** Where signal i's reasons end in `reasonsText` (they start where i - 1's end). */
  reasonsEnd: Uint32Array
}

/** Signal i's reasons as stored (JSON). */
export function reasonsJson(e: EncodedSignals, i: number): string {
  return e.reasonsText.slice(i === 0 ? 0 : e.reasonsEnd[i - 1]!, e.reasonsEnd[i]!)
}

export interface SeedResult {
  /** The book's timeframes, shortest first. */
  timeframes: Timeframe[]
  /** The closed bars replayed, oldest first, per timeframe. */
  series: Partial<Record<Timeframe, BarColumns>>
  signals: EncodedSignals
  /** The newest signal of each timeframe that has one. */
  latest: Signal[]
  /** The thread that did the work (0 is the main thread). */
  threadId: number
}

export const DIRECTIONS: readonly SignalDirection[] = ['buy', 'sell', 'neutral']

/** Demo markets the worker generates bars from, one per (seed, history days); each caches its days. */
const markets = new Map<string, DemoMarket>()

function demoMarket(seed: number, historyDays: number): DemoMarket {
  const key = `${seed}/${historyDays}`
  let market = markets.get(key)
  if (!market) {
    market = createDemoMarket({ seed, historyDays })
    markets.set(key, market)
  }
  return market
}

/** Bars as columns, to send to or from the worker without copying (transferable buffers). */
export const toBarColumns: (bars: readonly Candle[]) => BarColumns = candleSeries

export function fromBarColumns(cols: BarColumns): Candle[] {
  const out: Candle[] = new Array<Candle>(cols.time.length)
  for (let i = 0; i < cols.time.length; i++) {
    out[i] = {
      time: cols.time[i]!,
      open: cols.open[i]!,
      high: cols.high[i]!,
      low: cols.low[i]!,
      close: cols.close[i]!,
      volume: cols.volume[i]!,
    }
  }
  return out
}

function encodeSignals(signals: readonly Signal[], timeframes: readonly Timeframe[]): EncodedSignals {
  const n = signals.length
  const enc: EncodedSignals = {
    count: n,
    timeframe: new Uint8Array(n),
    time: new Float64Array(n),
    score: new Float64Array(n),
    raw: new Float64Array(n),
    confidence: new Float64Array(n),
    trend: new Float64Array(n),
    momentum: new Float64Array(n),
    volatility: new Float64Array(n),
    volume: new Float64Array(n),
    direction: new Uint8Array(n),
    reasonsText: '',
    reasonsEnd: new Uint32Array(n),
  }
  const texts: string[] = []
  let end = 0
  for (let i = 0; i < n; i++) {
    const s = signals[i]!
    enc.timeframe[i] = timeframes.indexOf(s.timeframe)
    enc.time[i] = s.time
    enc.score[i] = s.score
    enc.raw[i] = s.raw
    enc.confidence[i] = s.confidence
    enc.trend[i] = s.components.trend ?? NaN
    enc.momentum[i] = s.components.momentum ?? NaN
    enc.volatility[i] = s.components.volatility ?? NaN
    enc.volume[i] = s.components.volume ?? NaN
    enc.direction[i] = DIRECTIONS.indexOf(s.direction)
    const text = JSON.stringify(s.reasons)
    texts.push(text)
    end += text.length
    enc.reasonsEnd[i] = end
  }
  enc.reasonsText = texts.join('')
  return enc
}

const orNull = (x: number): number | null => (x === x ? x : null)

/** Signal `i` of a seed, as the book produced it. */
export function decodeSignal(
  result: Pick<SeedResult, 'timeframes' | 'signals'>,
  key: { source: string; symbol: string; profile: string },
  i: number,
): Signal {
  const e = result.signals
  return {
    source: key.source,
    symbol: key.symbol,
    timeframe: result.timeframes[e.timeframe[i]!]!,
    time: e.time[i]!,
    profile: key.profile,
    score: e.score[i]!,
    raw: e.raw[i]!,
    components: {
      trend: orNull(e.trend[i]!),
      momentum: orNull(e.momentum[i]!),
      volatility: orNull(e.volatility[i]!),
      volume: orNull(e.volume[i]!),
    },
    direction: DIRECTIONS[e.direction[i]!]!,
    confidence: e.confidence[i]!,
    reasons: JSON.parse(reasonsJson(e, i)) as Signal['reasons'],
  }
}

/** The buffers a result can hand over to another thread without copying. */
export function seedTransferList(result: SeedResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>()
  for (const cols of Object.values(result.series)) {
    for (const c of Object.values(cols)) out.add(c.buffer as ArrayBuffer)
  }
  for (const v of Object.values(result.signals)) {
    if (ArrayBuffer.isView(v)) out.add(v.buffer as ArrayBuffer)
  }
  return [...out]
}

/** Reads (or generates) the bars, replays them and encodes the outcome. Pure and synchronous. */
export function computeSeed(req: SeedRequest): SeedResult {
  const book = new SymbolBook(req.source, req.symbol, req.profile, req.timeframes)
  const bars: Partial<Record<Timeframe, Candle[]>> = {}
  if ('recipe' in req.bars) {
    const { seed, historyDays, historyStart } = req.bars.recipe.demo
    const market = demoMarket(seed, historyDays)
    if (market.historyStart(req.now) !== historyStart) {
      throw new AppError('internal', `signals: the seed of ${req.symbol} was given another demo market`)
    }
    for (const tf of book.timeframes) bars[tf] = demoClosedBars(market, req.symbol, tf, req.seedBars, req.now)
  } else {
    for (const tf of book.timeframes) {
      const cols = req.bars.series[tf]
      if (!cols) throw new AppError('internal', `signals: no ${tf} bars shipped for ${req.symbol}`)
      bars[tf] = fromBarColumns(cols)
    }
  }
  const signals = book.replay(bars)
  const series: Partial<Record<Timeframe, BarColumns>> = {}
  for (const tf of book.timeframes) series[tf] = toBarColumns(bars[tf]!)
  return {
    timeframes: [...book.timeframes],
    series,
    signals: encodeSignals(signals, book.timeframes),
    latest: book.timeframes.flatMap((tf) => book.latest(tf) ?? []),
    threadId,
  }
}
