import { AppError } from '../../shared/contract/errors'
import { CHART_TIMEFRAMES } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import { DEMO_SOURCE, DEMO_SOURCE_LABEL, type DemoMarket } from '../demo'
import type { DomainHandlers } from '../rpc/handlers'
import type { Db } from '../storage/database'
import { findGaps, guessCalendar } from './aggregate'
import type { ExchangeLiveCandles } from './exchange-live'
import { importedCandles, importedSymbols } from './imported-series'
import { TickerFeed, watchFormingCandle } from './live-feed'

export interface MarketDeps {
  db: Db
  demo: DemoMarket
  clock: Clock
  /** Live candles of series backfilled from an exchange connection; without it they are stored only. */
  exchangeLive?: ExchangeLiveCandles
}

/** Market data for the UI and scripts: the demo market first, then imported histories. */
export function marketHandlers({ db, demo, clock, exchangeLive }: MarketDeps): DomainHandlers {
  const follows = exchangeLive
    ? (source: string, symbol: string) => exchangeLive.follows(source, symbol)
    : undefined
  const tickers = new TickerFeed(demo, clock)
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
          timeframes: [...CHART_TIMEFRAMES],
          last: q.last,
          change24h: q.change24h,
          pricePrecision: s.pricePrecision,
        }
      })
      return [...demoSymbols, ...importedSymbols(db, follows)]
    },

    'market.candles': ({ source, symbol, timeframe, to, limit }) => {
      const now = clock.now()
      const end = to ?? now
      const candles =
        source === DEMO_SOURCE
          ? demo.candles(symbol, timeframe, end, limit, now)
          : importedCandles(db, source, symbol, timeframe, end, limit)
      const gaps = findGaps(candles.time, timeframe, guessCalendar(candles.time, timeframe))
      return { candles, gaps }
    },

    'market.tickers': ({ source }, sink) => {
      if (source !== undefined && source !== DEMO_SOURCE) return () => {}
      return tickers.subscribe((e) => sink.emit(e))
    },

    'market.liveCandle': ({ source, symbol, timeframe }, sink) => {
      if (source !== DEMO_SOURCE && exchangeLive) {
        return exchangeLive.subscribe(source, symbol, timeframe, {
          emit: (e) => sink.emit(e),
          end: (error) => sink.end(error.toShape()),
        })
      }
      if (source !== DEMO_SOURCE) {
        throw new AppError(
          'unavailable',
          `${symbol} from ${source} is a stored history with no live feed`,
          'params.source',
        )
      }
      return watchFormingCandle(demo, clock, symbol, timeframe, (e) => sink.emit(e))
    },
  }
}
