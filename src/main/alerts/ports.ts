import type { Alert, Firing } from '../../shared/contract/alerts'
import type { AppError } from '../../shared/contract/errors'
import type { SignalsUpdate } from '../../shared/contract/signals'
import type { Candle } from '../../shared/domain/candles'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { TradingUpdate } from '../../shared/domain/trading'

/**
 * What the alerts domain needs of the others, each as small as it can be, so that the engine
 * wires them in one line and a rename elsewhere touches only that line.
 */

/** Live bars: the forming bar as it changes, then each bar once more, complete (the market domain's live candles). */
export interface CandleUpdates {
  follows(source: string, symbol: string): boolean
  watch(
    source: string,
    symbol: string,
    timeframe: Timeframe,
    sink: { emit(e: { candle: Candle; closed: boolean }): void; end(error: AppError): void },
  ): () => void
}

/** Closed bars as the chart reads them (demo, imported, exchange): the signals' `marketBarSource` fits. */
export interface ClosedBars {
  /** Timeframes with bars for the symbol; throws `not_found` for an unknown symbol. */
  timeframes(source: string, symbol: string): readonly Timeframe[]
  /** The newest `limit` bars of `tf` that have closed by `now`, oldest first. */
  closedBars(source: string, symbol: string, tf: Timeframe, limit: number, now: number): Candle[]
}

/** Order changes as they happen (the trading service's `subscribe`). */
export interface OrderUpdates {
  subscribe(accountId: string | undefined, emit: (u: TradingUpdate) => void): () => void
}

/**
 * Exchange connections' health (the exchange hub): a listener per change (a breaker's state, a
 * request's result, a new clock-skew measurement), and the state now: the breaker and the last
 * clock-skew measurement, whose `withinWindow` is the signing guard's verdict.
 */
export interface BreakerHealth {
  onHealth(listener: (exchange: string, stateChanged: boolean) => void): () => void
  health(exchange?: string): readonly {
    exchange: string
    state: 'closed' | 'open' | 'half-open'
    clockSkew?: {
      offsetMs: number
      effectiveSkewMs: number
      recvWindowMs: number
      adjusted: boolean
      withinWindow: boolean
    } | null
  }[]
}

/** A market's price decimals (the chart's), for prices in message text; null when unknown. */
export interface PricePrecision {
  precision(source: string, symbol: string): number | null
}

/**
 * Multi-timeframe signal scores as bars close (the signals service's `subscribe`), and those
 * stored (its `history`: the newest `limit` with bar open time from `from`, oldest first) for the
 * preview and what closed while the app was away.
 */
export interface SignalScores {
  history(q: {
    source: string
    symbol: string
    timeframe: Timeframe
    from?: number
    limit: number
  }): Promise<{ signals: readonly { time: number; score: number }[] }>
  subscribe(
    source: string,
    symbol: string,
    listener: (e: SignalsUpdate) => void,
    fail?: (err: unknown) => void,
  ): () => void
}

/** A desktop notification (the desktop shell implements it; the headless host has none). */
export interface AlertNotifier {
  notify(alert: Alert, firing: Firing): void
}
