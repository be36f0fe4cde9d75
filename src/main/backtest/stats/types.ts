// The statistics' public shapes: what the backtest engine and the `metrics` CLI hand in, and
// the metric names they print. Names are stable (docs/BACKTEST.md "## Statistics" defines each).
// Fractions everywhere (0.05 = 5 %); times are ms since the epoch (UTC); durations are ms.
// A metric that has no value for the input (no trades, zero volatility...) is NaN, which
// JSON.stringify prints as null.

/** One closed trade, as the engine reports it. Only the fields read here are required. */
export interface TradeStat {
  entryTime: number
  exitTime: number
  entryPrice: number
  exitPrice: number
  /** Signed units: negative for shorts. */
  size: number
  /** Profit or loss in the account's currency, net of this trade's fees. */
  pnl: number
  /** Return of the trade as a fraction of its entry value (0.05 = 5 %), net of fees. */
  returnPct: number
  /** Fees paid on this trade (entry and exit), in the account's currency. */
  fees: number
  /** 0-based index of the bar the position was entered on, in the equity curve. */
  entryBar: number
  /** 0-based index of the bar the position was closed on, in the equity curve. */
  exitBar: number
}

export interface MetricsInput {
  /** Bar times, ms since the epoch, strictly increasing. */
  time: Float64Array
  /** Equity (or price) at each bar's close; same length as time; > 0. */
  equity: Float64Array
  /** Closed trades; without them the trade statistics are NaN (count 0). */
  trades?: readonly TradeStat[]
  /** Benchmark value (price or equity) at each bar's close, aligned with time (same length).
   *  Buy-and-hold return, alpha and beta are measured against it; without it they are NaN. */
  benchmark?: Float64Array
  /** Bar from which buy and hold is measured (backtesting.py starts it after the indicators'
   *  warm-up); default 0. */
  benchmarkStart?: number
  /** Total fees paid; defaults to the sum of the trades' fees. */
  fees?: number
}

export type StatsCompat = 'empyrical' | 'backtesting.py'

export interface MetricsOptions {
  /** Periods per year for annualising; default inferred from the bar times (see inferPeriodsPerYear). */
  periodsPerYear?: number
  /** Risk-free rate per year (a fraction), turned into a per-period rate. Default 0. */
  riskFree?: number
  /** Minimum acceptable return per year for Omega and Sortino (a fraction). Default 0. */
  requiredReturn?: number
  /** 'empyrical' (default) or 'backtesting.py': the latter replaces the annualised return,
   *  volatility, Sharpe, Sortino, Calmar, profit factor, expectancy and the averages by
   *  backtesting.py's definitions (docs/BACKTEST.md says which). */
  compat?: StatsCompat
}

export interface MonthlyReturn {
  year: number
  /** 1..12 (UTC). */
  month: number
  /** Compounded return over the month's bars (fraction). */
  return: number
}

export interface Metrics {
  compat: StatsCompat
  start: number
  end: number
  /** end - start, ms. */
  duration: number
  /** Number of bars (equity points). */
  bars: number
  periodsPerYear: number
  equityStart: number
  equityFinal: number
  equityPeak: number

  // Returns and risk (per-bar simple returns, close to close).
  totalReturn: number
  /** Annualised return. empyrical: (1+totalReturn)^(periodsPerYear/returns)-1, equal to cagr.
   *  backtesting.py: its geometric mean daily return compounded over a year. */
  annualReturn: number
  /** empyrical: equal to annualReturn. backtesting.py: over calendar time (365.25-day years). */
  cagr: number
  annualVolatility: number
  sharpe: number
  sortino: number
  calmar: number
  omega: number
  /** Deepest fall from a running peak, a negative fraction (-0.2 = 20 % below the peak). */
  maxDrawdown: number
  /** Longest time spent below a previous peak, ms (bars in maxDrawdownDurationBars). */
  maxDrawdownDuration: number
  maxDrawdownDurationBars: number
  /** Mean of the drawdown periods' deepest points (negative fraction); 0 without drawdowns. */
  avgDrawdown: number
  avgDrawdownDuration: number
  /** Fraction of bars with a position open (from the trades' entryBar..exitBar). */
  exposureTime: number

  // Trades.
  trades: number
  winRate: number
  profitFactor: number
  expectancy: number
  avgWin: number
  avgLoss: number
  avgTradeReturn: number
  bestTrade: number
  worstTrade: number
  avgTradeDuration: number
  maxTradeDuration: number
  sqn: number
  kelly: number
  maxConsecutiveWins: number
  maxConsecutiveLosses: number
  fees: number

  // Against the benchmark (buy and hold).
  buyHoldReturn: number
  alpha: number
  beta: number

  // Tail risk (per-bar returns).
  tailRatio: number
  stability: number
  valueAtRisk95: number
  valueAtRisk99: number
  conditionalValueAtRisk95: number
  conditionalValueAtRisk99: number

  monthlyReturns: MonthlyReturn[]
}
