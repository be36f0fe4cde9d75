// How many bars make a year, read from the bar times. empyrical leaves this to its caller
// (252 for daily returns); here: daily or finer bars of a market that trades at weekends
// (crypto) have 365 days a year, otherwise 252; weekly bars 52, monthly 12, yearly 1; bars finer
// than a day multiply the days by the bars per day.
import { firstAtOrAfter } from './monthly'

export const DAY_MS = 86_400_000

/** Median spacing of the last (up to) 100 bars, as backtesting.py's _data_period. */
export function barPeriodMs(time: Float64Array): number {
  const from = Math.max(0, time.length - 100)
  const d: number[] = []
  for (let i = from + 1; i < time.length; i++) d.push(time[i]! - time[i - 1]!)
  if (d.length === 0) return NaN
  d.sort((a, b) => a - b)
  const h = d.length >> 1
  return d.length % 2 === 1 ? d[h]! : (d[h - 1]! + d[h]!) / 2
}

/** 0 = Sunday ... 6 = Saturday, in UTC (1970-01-01 was a Thursday). */
export function utcWeekday(t: number): number {
  return (((Math.floor(t / DAY_MS) + 4) % 7) + 7) % 7
}

/** True when more than 60 % of the share of bars a 7-day week would put on Saturday and
 *  Sunday falls there (backtesting.py's rule: a few weekend bars are not a 7-day market). */
export function tradesAtWeekends(time: Float64Array): boolean {
  const n = time.length
  if (n === 0) return false
  // Day by day (binary search for each day's end), not bar by bar.
  let weekend = 0
  for (let i = 0; i < n;) {
    const d = Math.floor(time[i]! / DAY_MS)
    const j = firstAtOrAfter(time, (d + 1) * DAY_MS, i, n)
    const wd = (((d + 4) % 7) + 7) % 7
    if (wd === 0 || wd === 6) weekend += j - i
    i = j
  }
  return weekend / n > (2 / 7) * 0.6
}

/** Trading days a year for the bars: 52 (weekly), 12 (monthly), 1 (yearly) for those spacings
 *  (whole days of the median spacing: 7, 28..31, 365..366), else 365 with weekends, 252 without. */
export function tradingDaysPerYear(time: Float64Array): number {
  const days = Math.floor(barPeriodMs(time) / DAY_MS)
  if (days >= 365) return 1
  if (days >= 28) return 12
  if (days >= 7) return 52
  return tradesAtWeekends(time) ? 365 : 252
}

/** Periods per year for annualising per-bar returns: trading days a year (above) for daily and
 *  longer bars; for intraday bars times the bars per trading day (24 h / spacing for markets open
 *  at weekends, else the mean count of bars per calendar day that has bars). */
export function inferPeriodsPerYear(time: Float64Array): number {
  const n = time.length
  if (n < 2) return 252
  const period = barPeriodMs(time)
  const days = tradingDaysPerYear(time)
  if (period >= DAY_MS || days < 252) return days
  let perDay: number
  if (days === 365) perDay = Math.max(1, Math.round(DAY_MS / period))
  else {
    let distinct = 0
    for (let i = 0; i < n; distinct++)
      i = firstAtOrAfter(time, (Math.floor(time[i]! / DAY_MS) + 1) * DAY_MS, i, n)
    perDay = Math.max(1, Math.round(n / distinct))
  }
  return days * perDay
}
