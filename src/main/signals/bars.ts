import { AppError } from '../../shared/contract/errors'
import { fromColumns, type Candle } from '../../shared/domain/candles'
import { nextBucket, TIMEFRAMES, type Timeframe } from '../../shared/domain/timeframes'
import { DEFAULT_HISTORY_DAYS, DEMO_SOURCE, type DemoMarket } from '../demo'
import { backingSeries, storedSeriesOf } from '../market/backing-series'
import { importedCandles, importedSymbols } from '../market/imported-series'
import type { CandleUpdates } from '../market/candle-updates'
import type { Db } from '../storage/database'
import { demoClosedBars, type BarRecipe } from './demo-bars'

export type { BarRecipe } from './demo-bars'

/** Where the signal engine reads closed bars: the port between it and the market. */
export interface BarSource {
  /** Timeframes with bars for the symbol; throws `not_found` for an unknown symbol. */
  timeframes(source: string, symbol: string): readonly Timeframe[]
  /** True when new bars keep closing (a live feed), false for a stored history. */
  live(source: string, symbol: string): boolean
  /**
   * Keeps a live series' new bars of `timeframes` coming while the signals follow it, until the
   * returned stop is called: series stored from an exchange store their closed bars only while
   * someone watches. `onClosed` runs when one of its bars has closed (and is stored), which may be
   * well after the minute it closed on: an exchange reports a bar's end when it sees it.
   */
  follow?(source: string, symbol: string, timeframes: readonly Timeframe[], onClosed: () => void): () => void
  /** The newest `limit` bars of `tf` that have closed by `now`, oldest first. */
  closedBars(source: string, symbol: string, tf: Timeframe, limit: number, now: number): Candle[]
  /**
   * How a worker thread can generate the same closed bars itself (a pure function of a seed),
   * or undefined when they must be read here (stored histories).
   */
  recipe?(source: string, now: number): BarRecipe | undefined
}

/**
 * The demo market (live) and imported histories (stored), as the chart sees them. `historyDays`
 * must be what the demo market was created with (the engine uses the default); a seed job checks
 * it against the market's `historyStart`.
 */
export function marketBarSource(
  db: Db,
  demo: DemoMarket,
  historyDays = DEFAULT_HISTORY_DAYS,
  /** Live candles of series stored from an exchange; without them those are stored histories. */
  liveFeeds?: CandleUpdates,
): BarSource {
  return {
    timeframes(source, symbol) {
      if (source === DEMO_SOURCE) {
        if (!demo.symbols.some((s) => s.symbol === symbol)) {
          throw new AppError('not_found', `Unknown demo symbol: ${symbol}`, 'params.symbol')
        }
        return TIMEFRAMES
      }
      const info = importedSymbols(db).find((s) => s.source === source && s.symbol === symbol)
      if (!info)
        throw new AppError('not_found', `No stored history for ${symbol} from ${source}`, 'params.symbol')
      return info.timeframes
    },
    live: (source, symbol) => source === DEMO_SOURCE || (liveFeeds?.follows(source, symbol) ?? false),
    follow(source, symbol, timeframes, onClosed) {
      if (source === DEMO_SOURCE || !liveFeeds || !liveFeeds.follows(source, symbol)) return () => {}
      // Each timeframe's bars are read from the series that backs it (`market/backing-series.ts`),
      // so that is the series to keep fed: watching it appends its closed bars, which closedBars
      // reads. Timeframes backed by one series share its watch.
      const stored = storedSeriesOf(db, source, symbol)
      const backing = new Set<Timeframe>()
      for (const tf of timeframes) {
        const series = backingSeries(stored, tf)
        if (series) backing.add(series.timeframe)
      }
      const stops: (() => void)[] = []
      const stopAll = () => {
        for (const stop of stops.splice(0)) stop()
      }
      try {
        for (const tf of backing) {
          stops.push(
            liveFeeds.watch(source, symbol, tf, {
              emit: (e) => {
                if (e.closed) onClosed()
              },
              end: () => {},
            }),
          )
        }
      } catch (err) {
        stopAll()
        throw err
      }
      return stopAll
    },
    recipe: (source, now) =>
      source === DEMO_SOURCE
        ? { demo: { seed: demo.seed, historyDays, historyStart: demo.historyStart(now) } }
        : undefined,
    closedBars(source, symbol, tf, limit, now) {
      if (source === DEMO_SOURCE) return demoClosedBars(demo, symbol, tf, limit, now)
      // Bars of `tf` are read from the series that backs it (as the chart reads them), which ends
      // where its last bar ends: a bar derived from it counts only once its bucket closed by then.
      // Nothing backing it: importedCandles says why.
      const backing = backingSeries(storedSeriesOf(db, source, symbol), tf)
      const end = backing?.last == null ? now : Math.min(now, nextBucket(backing.last, backing.timeframe))
      const bars = fromColumns(importedCandles(db, source, symbol, tf, end, limit + 1))
      return bars.filter((b) => nextBucket(b.time, tf) <= end).slice(-limit)
    },
  }
}
