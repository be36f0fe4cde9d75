import type { SignalSnapshot } from '../../shared/contract/journal'
import type { Candle } from '../../shared/domain/candles'
import type { Fill } from '../../shared/domain/trading'
import type { Timeframe } from '../../shared/domain/timeframes'

/**
 * What the journal reads from other domains, each through a small port (ARCHITECTURE, "Adding a
 * domain"): the engine passes the real ones (sources.ts), tests may pass their own.
 */

/** New fills as trading records them (the trading domain's change bus). */
export interface FillEvents {
  onFill(listener: (fill: Fill) => void): () => void
}

/** An account's name and the market source its charts read (`demo`, or an exchange id). */
export interface JournalAccounts {
  describe(accountId: string): { name: string; source: string } | null
  /**
   * The currency the account's money is counted in (docs/JOURNAL.md "Currencies"): its risk
   * limits' currency where the trader set one (the account's, else the global one), else a paper
   * account's starting asset, else USDT; null for an account that does not exist.
   */
  currencyOf?(accountId: string): string | null
}

/** Bars of a market at the finest timeframe stored for it, `from <= time <= to`, oldest first. */
export interface JournalCandles {
  finest(
    source: string,
    symbol: string,
    from: number,
    to: number,
  ): { timeframe: Timeframe; candles: Candle[] } | null
}

/** The signal in force at a time: the newest bar that had closed by then. */
export interface JournalSignals {
  atTime(source: string, symbol: string, time: number): SignalSnapshot | null
  /**
   * The same lookup with the active profile read once, for a rebuild that asks for every trade
   * (reading and checking the profile each time was a fifth of a rebuild).
   */
  pinned?(): JournalSignals
}

export type OrderKind =
  | 'market'
  | 'limit'
  | 'stop'
  | 'stop_limit'
  | 'take_profit'
  | 'take_profit_limit'
  | 'trailing_stop'
  | 'liquidation'

/** What the strategy runner recorded about one of its orders (strategy_runs, strategy_intents). */
export interface RunIntent {
  /** The strategy the run runs (`sma-cross`). */
  strategyId: string
  /** Why the run sent it (`signal`, `stop_loss`, `take_profit`, `manual`...); null for an entry or when not recorded. */
  reason: string | null
}

/** The orders behind fills (trading_orders). */
export interface JournalOrders {
  /** The type of the order a fill came from, by exchange or client order id; null when unknown. */
  kindOf(
    accountId: string,
    symbol: string,
    exchangeOrderId: string,
    clientOrderId: string | null,
  ): OrderKind | null
  /**
   * The stop price of the stop-loss order on the closing side that was resting when the trade
   * opened (created before `entryTime` + a grace for bracket legs, after `since`, and not ended
   * before the entry); null when there was none.
   */
  restingStop(
    accountId: string,
    symbol: string,
    closingSide: 'buy' | 'sell',
    entryTime: number,
    since: number,
  ): string | null
  /**
   * The run and intent behind an order the strategy runner placed (client order id
   * `sr-<runId>-<bar>-<seq>`, src/main/runner); null for any other order or a run that is gone.
   */
  intentOf?(accountId: string, clientOrderId: string): RunIntent | null
}
