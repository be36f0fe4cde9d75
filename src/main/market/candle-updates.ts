import { AppError } from '../../shared/contract/errors'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import { DEMO_SOURCE, type DemoMarket } from '../demo'
import type { Candle } from '../../shared/domain/candles'
import { watchFormingCandle } from './ticker-feed'

export interface CandleUpdate {
  candle: Candle
  closed: boolean
}

export interface CandleUpdateSink {
  emit(e: CandleUpdate): void
  /** The feed ended with an error no reconnect fixes (unknown symbol or exchange, ...). */
  end(error: AppError): void
}

/** Series stored from an exchange connection that are followed live (the exchange domain's). */
export interface FollowedSeries {
  follows(source: string, symbol: string): boolean
  subscribe(source: string, symbol: string, timeframe: Timeframe, sink: CandleUpdateSink): () => void
}

/**
 * The candle updates of every series that has them, behind one port for the chart, its indicators
 * and the signals: the demo market's, and those of series stored from an exchange connection.
 * Events are the forming bar as it changes, then each bar once more, complete, with `closed`.
 */
export interface CandleUpdates {
  /** Whether `symbol` from `source` has a live feed; otherwise it is a stored history. */
  follows(source: string, symbol: string): boolean
  /** Follows one series; refuses (`unavailable`) one without a live feed. Returns the stop. */
  watch(source: string, symbol: string, timeframe: Timeframe, sink: CandleUpdateSink): () => void
}

export function candleUpdates(deps: {
  demo: DemoMarket
  clock: Clock
  exchange?: FollowedSeries
}): CandleUpdates {
  const { demo, clock, exchange } = deps
  const follows = (source: string, symbol: string): boolean =>
    source === DEMO_SOURCE ? true : (exchange?.follows(source, symbol) ?? false)
  return {
    follows,
    watch(source, symbol, timeframe, sink) {
      if (source === DEMO_SOURCE)
        return watchFormingCandle(demo, clock, symbol, timeframe, (e) => sink.emit(e))
      if (exchange && follows(source, symbol)) return exchange.subscribe(source, symbol, timeframe, sink)
      throw new AppError(
        'unavailable',
        `${symbol} from ${source} is a stored history with no live feed`,
        'params.source',
      )
    },
  }
}
