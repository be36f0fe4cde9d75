/** What a backtest produces: trades, the equity and drawdown curves, and counters. */

export type ExitReason =
  'signal' | 'stop-loss' | 'take-profit' | 'trailing-stop' | 'end' | 'reversal' | 'reduce'

/** One closed trade (or the closed part of a position). Money in the quote currency. */
export interface TradeRecord {
  symbol: string
  entryTime: number
  exitTime: number
  /** Average entry price of the closed units, and the exit fill price (slippage included). */
  entryPrice: number
  exitPrice: number
  /** Signed units: negative for shorts. */
  size: number
  /** Net of fees, slippage (already in the prices) and borrow. */
  pnl: number
  /** pnl / (|size| x entryPrice), a fraction (0.05 = 5 %). */
  returnPct: number
  /** Fees on entry and exit of these units. */
  fees: number
  /** What slippage cost against the unslipped prices, entry and exit. */
  slippage: number
  /** Borrow or funding paid while short. */
  borrow: number
  /** Worst and best price move against / for the position while open, as fractions of entry. */
  mae: number
  mfe: number
  barsHeld: number
  exitReason: ExitReason
  /** 0-based bar indices in the symbol's input series. */
  entryBar: number
  exitBar: number
}

export interface BacktestResult {
  trades: TradeRecord[]
  /** Equity marked to market at each close of the range (the union of the symbols' bar times). */
  equity: { time: Float64Array; value: Float64Array }
  /** Fraction below the running peak at each close (0 or negative). */
  drawdown: Float64Array
  /** Bars where a stop and a take-profit both lay inside the bar: the intrabar path decided. */
  ambiguousBars: number
  /** Bars whose fills were resolved on finer bars (`intrabar`); they are ambiguous only when a
   *  finer bar held both the stop and the target. */
  intrabarBars: number
  /** Orders dropped: an entry sized to nothing, a side not allowed, the open-position cap. */
  rejectedOrders: number
  /** Entries still working (limit/stop, or a partial fill's rest) when the range ended. */
  workingAtEnd: number
  feesPaid: number
  /** Notes the report must show (e.g. fills at the signal bar's close). */
  flags: string[]
  /** Per symbol: first and last bar indices of the range in its input series, and the bars
   *  from the start until every indicator has a value. */
  ranges: Record<string, { start: number; end: number; warmup: number }>
}
