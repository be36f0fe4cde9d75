import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { findGaps, guessCalendar } from '../../src/main/market/aggregate'
import { isUsMarketHoliday, usMarketHolidays } from '../../src/main/market/us-holidays'

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`)
const iso = (t: number): string => new Date(t).toISOString().slice(0, 10)

/** GOOG's daily bars, 2004-08-19..2013-03-01 (see ../shared/data/README.md). */
const goog = readFileSync('../shared/data/backtesting.py/GOOG.csv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => day(line.slice(0, 10)))

describe('US market holidays', () => {
  it('lists the NYSE closures of 2012 as the exchange published them', () => {
    // Hand-typed from the NYSE calendar: New Year observed on Monday, Hurricane Sandy's two days.
    expect(usMarketHolidays(2012).map(iso)).toEqual([
      '2012-01-02',
      '2012-01-16',
      '2012-02-20',
      '2012-04-06',
      '2012-05-28',
      '2012-07-04',
      '2012-09-03',
      '2012-10-29',
      '2012-10-30',
      '2012-11-22',
      '2012-12-25',
    ])
  })

  it('moves holidays off weekends, except a Saturday New Year, and adds Juneteenth from 2022', () => {
    // 2011-01-01 was a Saturday: Friday 2010-12-31 traded (GOOG has that bar).
    expect(isUsMarketHoliday(day('2010-12-31'))).toBe(false)
    expect(goog).toContain(day('2010-12-31'))
    // 2021-12-25 was a Saturday: closed Friday the 24th; 2022-06-19 a Sunday: closed Monday.
    expect(isUsMarketHoliday(day('2021-12-24'))).toBe(true)
    expect(usMarketHolidays(2021).map(iso)).not.toContain('2021-06-18')
    expect(isUsMarketHoliday(day('2022-06-20'))).toBe(true)
    expect(isUsMarketHoliday(day('2022-06-20') + 15 * 3_600_000)).toBe(true)
    // Good Friday 2024 (Easter on March 31).
    expect(isUsMarketHoliday(day('2024-03-29'))).toBe(true)
  })
})

describe('market calendar inferred from the bars', () => {
  it('reads GOOG as a US listing: no gaps, where weekdays alone found 77 (79 bars)', () => {
    expect(guessCalendar(goog, '1d')).toBe('us-stocks')
    expect(findGaps(goog, '1d', 'us-stocks')).toEqual([])
    // By hand: every missing weekday in GOOG's span is an NYSE closure, 79 of them from
    // 2004-09-06 (Labor Day) to 2013-02-18 (Washington's Birthday), in 77 gaps: New Year 2007
    // and President Ford's funeral the day after are one, and so are Sandy's two days.
    const weekdayGaps = findGaps(goog, '1d', 'weekdays')
    const closures: number[] = []
    for (let y = 2004; y <= 2013; y++)
      closures.push(...usMarketHolidays(y).filter((d) => d > goog[0]! && d < goog[goog.length - 1]!))
    expect(weekdayGaps).toHaveLength(77)
    expect(closures).toHaveLength(79)
    expect(weekdayGaps.flatMap((g) => (g.missing === 1 ? [g.from] : [g.from, g.to]))).toEqual(closures)
    expect(iso(closures[0]!)).toBe('2004-09-06')
    expect(iso(closures[closures.length - 1]!)).toBe('2013-02-18')
  })

  it('keeps a missing ordinary weekday of a US listing as a gap', () => {
    const withoutOne = goog.filter((t) => t !== day('2012-06-13'))
    expect(findGaps(withoutOne, '1d', guessCalendar(withoutOne, '1d'))).toEqual([
      { from: day('2012-06-13'), to: day('2012-06-13'), missing: 1 },
    ])
  })

  it('reads a weekday series that trades on a US holiday as weekdays only', () => {
    const weekdays = Array.from({ length: 40 }, (_, i) => Date.UTC(2024, 0, 1 + i)).filter(
      (t) => new Date(t).getUTCDay() % 6 !== 0,
    )
    expect(guessCalendar(weekdays, '1d')).toBe('weekdays')
    // Without its holiday bars (2024-01-01, 2024-01-15) the same days read as a US listing.
    const us = weekdays.filter((t) => !isUsMarketHoliday(t))
    expect(guessCalendar(us, '1d')).toBe('us-stocks')
    expect(findGaps(us, '1d', 'us-stocks')).toEqual([])
    expect(findGaps(us, '1d', 'weekdays')).toHaveLength(1)
  })
})
