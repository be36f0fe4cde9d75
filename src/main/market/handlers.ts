import type { marketContract } from '../../shared/contract/market'
import { TIMEFRAMES } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import { DEMO_SOURCE, DEMO_SOURCE_LABEL, type DemoMarket } from '../demo'
import type { Domain } from '../domain'
import type { Db } from '../storage/database'
import { findGaps, guessCalendar } from './aggregate'
import type { AppError } from '../../shared/contract/errors'
import type { Timeframe } from '../../shared/domain/timeframes'
import { candleUpdates, type FollowedSeries, type CandleUpdates } from './candle-updates'
import { monitorFeeds, type FollowedFeed } from './feed-monitor'
import { importedSymbols } from './imported-series'
import { readCandlesInSlices } from './slices'
import { SeriesWatch } from './series-watch'
import { TickerFeed } from './ticker-feed'

export interface MarketDeps {
  db: Db
  demo: DemoMarket
  clock: Clock
  /** Live bars of series stored from an exchange (the exchange domain's); without it, demo only. */
  exchangeCandles?: FollowedSeries
  /** History on demand for series of an exchange connection (none: the store as it is). */
  history?: SeriesHistory
}

/** Fetches the bars a chart of an exchange's series is about to show (the exchange domain's). */
export interface SeriesHistory {
  /** Resolves to why they could not be fetched, or null (also for series it does not cover). */
  ensure(
    source: string,
    symbol: string,
    timeframe: Timeframe,
    to: number,
    limit: number,
  ): Promise<AppError | null>
}

export interface MarketDomain extends Domain<typeof marketContract> {
  /** Live candles of every series that has them, for the chart's indicators and the signals. */
  readonly candleUpdates: CandleUpdates
  /** The series followed live now (Health's data feeds). */
  readonly followed: () => FollowedFeed[]
}

/**
 * Market data for the UI and scripts: the demo market first, then imported histories and the
 * series of exchange connections. It owns the demo tickers' timer and stops it on close.
 */
export function createMarketDomain({ db, demo, clock, exchangeCandles, history }: MarketDeps): MarketDomain {
  const updates = monitorFeeds(candleUpdates({ demo, clock, exchange: exchangeCandles }), clock)
  const tickers = new TickerFeed(demo, clock)
  const seriesWatch = new SeriesWatch(db)
  return {
    name: 'market',
    handlers: marketHandlers({ db, demo, clock, updates, history, tickers, seriesWatch }),
    candleUpdates: updates,
    followed: () => updates.followed(),
    close: () => {
      tickers.close()
      seriesWatch.close()
    },
  }
}

function marketHandlers({
  db,
  demo,
  clock,
  updates,
  history,
  tickers,
  seriesWatch,
}: Omit<MarketDeps, 'exchangeCandles'> & {
  updates: CandleUpdates
  tickers: TickerFeed
  seriesWatch: SeriesWatch
}): MarketDomain['handlers'] {
  const follows = (source: string, symbol: string): boolean => updates.follows(source, symbol)
  return {
    'market.symbols': () => {
      const now = clock.now()
      const demoSymbols = demo.symbols.map((s) => {
        const q = demo.quote(s.symbol, now)
        return {
          source: DEMO_SOURCE,
          sourceLabel: DEMO_SOURCE_LABEL,
          symbol: s.symbol,
          simulated: true,
          live: true,
          // The demo market builds every timeframe from its 1m bars (weeks from Monday, months from the 1st).
          timeframes: [...TIMEFRAMES],
          last: q.last,
          change24h: q.change24h,
          volume24h: q.volume24h,
          pricePrecision: s.pricePrecision,
        }
      })
      return [...demoSymbols, ...importedSymbols(db, follows)]
    },

    'market.candles': async ({ source, symbol, timeframe, to, limit }) => {
      const now = clock.now()
      // An exchange's symbol is charted from the exchange: bars never fetched are fetched first.
      const problem = (await history?.ensure(source, symbol, timeframe, to ?? now, limit)) ?? null
      // Nothing stored and nothing fetched: the exchange's reason, rather than "no stored history".
      const candles = await readCandlesInSlices(
        { db, demo },
        source,
        symbol,
        timeframe,
        to ?? now,
        limit,
        now,
      ).catch((err: unknown) => {
        throw problem ?? err
      })
      if (problem && candles.time.length === 0) throw problem
      const gaps = findGaps(candles.time, timeframe, guessCalendar(candles.time, timeframe))
      return { candles, gaps }
    },

    'market.tickers': ({ source }, sink) => {
      if (source !== undefined && source !== DEMO_SOURCE) return () => {}
      return tickers.subscribe((e) => sink.emit(e))
    },

    'market.symbolsChanged': (_params, sink) => seriesWatch.subscribe(() => sink.emit({ time: clock.now() })),

    'market.liveCandle': ({ source, symbol, timeframe }, sink) =>
      updates.watch(source, symbol, timeframe, {
        emit: (e) => sink.emit(e),
        end: (error) => sink.end(error.toShape()),
      }),
  }
}
