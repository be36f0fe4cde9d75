/**
 * Days the New York Stock Exchange is closed on a weekday: its regular holidays (NYSE Rule 7.2,
 * as observed since 1998, when Martin Luther King Jr. Day joined them) and the unscheduled
 * closures since 1994. A daily US stock series (GOOG) has no bar on these days; the market's
 * calendar (`aggregate.ts`, `guessCalendar`) uses them so that they are not reported as gaps.
 *
 * Observance: a holiday on a Saturday moves to the Friday before, on a Sunday to the Monday
 * after, except New Year's Day on a Saturday, which is not moved (the Friday is the last trading
 * day of the year). Juneteenth is a holiday from 2022.
 */

const DAY = 86_400_000

/** Closures outside the rules: national days of mourning, 9/11, Hurricane Sandy. */
const UNSCHEDULED = [
  '1994-04-27', // President Nixon's funeral
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14', // the attacks of September 11
  '2004-06-11', // President Reagan's funeral
  '2007-01-02', // President Ford's funeral
  '2012-10-29',
  '2012-10-30', // Hurricane Sandy
  '2018-12-05', // President G. H. W. Bush's funeral
  '2025-01-09', // President Carter's funeral
]

const byYear = new Map<number, ReadonlySet<number>>()

/** True when `time` (any ms of a UTC day) falls on a weekday the NYSE is closed. */
export function isUsMarketHoliday(time: number): boolean {
  const year = new Date(time).getUTCFullYear()
  let days = byYear.get(year)
  if (!days) {
    days = new Set(usMarketHolidays(year))
    byYear.set(year, days)
  }
  return days.has(Math.floor(time / DAY) * DAY)
}

/** The weekday closures of one year, as UTC midnights, in date order. */
export function usMarketHolidays(year: number): number[] {
  const days = [
    newYear(year),
    nthWeekday(year, 0, 1, 3), // Martin Luther King Jr. Day: third Monday of January
    nthWeekday(year, 1, 1, 3), // Washington's Birthday: third Monday of February
    easter(year) - 2 * DAY, // Good Friday
    lastWeekday(year, 4, 1), // Memorial Day: last Monday of May
    year >= 2022 ? observed(Date.UTC(year, 5, 19)) : null, // Juneteenth
    observed(Date.UTC(year, 6, 4)), // Independence Day
    nthWeekday(year, 8, 1, 1), // Labor Day: first Monday of September
    nthWeekday(year, 10, 4, 4), // Thanksgiving: fourth Thursday of November
    observed(Date.UTC(year, 11, 25)), // Christmas
    ...UNSCHEDULED.filter((d) => d.startsWith(`${year}-`)).map((d) => Date.parse(`${d}T00:00:00Z`)),
  ]
  return days.filter((d): d is number => d !== null).sort((a, b) => a - b)
}

function newYear(year: number): number | null {
  const day = Date.UTC(year, 0, 1)
  const weekday = new Date(day).getUTCDay()
  if (weekday === 6) return null
  return weekday === 0 ? day + DAY : day
}

function observed(day: number): number {
  const weekday = new Date(day).getUTCDay()
  if (weekday === 6) return day - DAY
  if (weekday === 0) return day + DAY
  return day
}

/** The `n`th `weekday` (0 Sunday) of a month (0 January). */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = Date.UTC(year, month, 1)
  const offset = (weekday - new Date(first).getUTCDay() + 7) % 7
  return first + (offset + 7 * (n - 1)) * DAY
}

function lastWeekday(year: number, month: number, weekday: number): number {
  const last = Date.UTC(year, month + 1, 0)
  const offset = (new Date(last).getUTCDay() - weekday + 7) % 7
  return last - offset * DAY
}

/** Easter Sunday (Gregorian), by the anonymous algorithm (Meeus/Jones/Butcher). */
function easter(year: number): number {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return Date.UTC(year, month - 1, day)
}
