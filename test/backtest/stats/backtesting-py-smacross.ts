/**
 * backtesting.py's run of its SmaCross example (fast 10, slow 30, cash 10,000, no commission,
 * finalize_trades=True), replayed step by step from backtesting/backtesting.py so the statistics
 * can be checked against its published figures on the same trades and equity. This is a test
 * model of that one run, not Candlework's engine (src/main/backtest has its own):
 * - indicators: rolling means; the loop starts one bar after the slowest has its first value;
 * - on a cross the strategy closes the open trade and orders all available cash (whole units,
 *   size 1 - epsilon of the margin available), both filled at the next bar's open, the close first;
 * - the equity at each bar's close is cash plus the open trade's mark to market;
 * - trades still open at the end are closed in one more broker step on the last bar, at its open.
 */
import type { TradeStat } from '../../../src/main/backtest/stats'

export interface Ohlc {
  time: Float64Array
  open: Float64Array
  close: Float64Array
}

export function parseOhlcCsv(text: string): Ohlc {
  const rows = text.trim().split('\n').slice(1)
  const time = new Float64Array(rows.length)
  const open = new Float64Array(rows.length)
  const close = new Float64Array(rows.length)
  rows.forEach((line, i) => {
    const [date, o, , , c] = line.split(',')
    time[i] = Date.parse(`${date!}T00:00:00Z`)
    open[i] = Number(o)
    close[i] = Number(c)
  })
  return { time, open, close }
}

function rollingMean(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN)
  for (let i = n - 1; i < x.length; i++) {
    let s = 0
    for (let j = i - n + 1; j <= i; j++) s += x[j]!
    out[i] = s / n
  }
  return out
}

const crossover = (a: Float64Array, b: Float64Array, i: number): boolean =>
  a[i - 1]! < b[i - 1]! && a[i]! > b[i]!

export interface SmaCrossRun {
  equity: Float64Array
  trades: TradeStat[]
  /** The first bar with every indicator's value (buy and hold starts there). */
  warmup: number
}

export function runSmaCross(data: Ohlc, fast = 10, slow = 30, cash0 = 10_000): SmaCrossRun {
  const { time, open, close } = data
  const n = close.length
  const f = rollingMean(close, fast)
  const s = rollingMean(close, slow)
  const warmup = slow - 1
  const equity = new Float64Array(n).fill(cash0)
  const trades: TradeStat[] = []
  let cash = cash0
  let open1: { size: number; price: number; bar: number } | null = null
  let pending: 'buy' | 'sell' | null = null
  const closeTrade = (bar: number, price: number): void => {
    if (open1 === null) return
    const pnl = open1.size * (price - open1.price)
    cash += pnl
    trades.push({
      entryTime: time[open1.bar]!,
      exitTime: time[bar]!,
      entryPrice: open1.price,
      exitPrice: price,
      size: open1.size,
      pnl,
      returnPct: Math.sign(open1.size) * (price / open1.price - 1),
      fees: 0,
      entryBar: open1.bar,
      exitBar: bar,
    })
    open1 = null
  }
  const brokerStep = (i: number): void => {
    if (pending !== null) {
      closeTrade(i, open[i]!)
      const units = Math.floor((cash * (1 - Number.EPSILON)) / open[i]!)
      open1 = { size: pending === 'buy' ? units : -units, price: open[i]!, bar: i }
      pending = null
    }
    equity[i] = cash + (open1 === null ? 0 : open1.size * (close[i]! - open1.price))
  }
  for (let i = warmup + 1; i < n; i++) {
    brokerStep(i)
    if (crossover(f, s, i)) pending = 'buy'
    else if (crossover(s, f, i)) pending = 'sell'
  }
  // finalize_trades: close what is open in one more step on the last bar (at its open).
  pending = null
  closeTrade(n - 1, open[n - 1]!)
  equity[n - 1] = cash
  return { equity, trades, warmup }
}
