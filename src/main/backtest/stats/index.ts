// Performance statistics of equity curves and trades: docs/BACKTEST.md "## Statistics".
export { computeMetrics, perPeriod } from './compute'
export { inferPeriodsPerYear, tradingDaysPerYear } from './periods'
export type { Metrics, MetricsInput, MetricsOptions, MonthlyReturn, StatsCompat, TradeStat } from './types'
