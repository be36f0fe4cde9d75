import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import { describeCron, nextCronRuns, parseCron } from '../../src/main/scheduler/cron'

function problem(cron: string): { message: string; path: string | undefined } {
  try {
    parseCron(cron)
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    const e = err as AppError
    expect(e.kind).toBe('validation')
    return { message: e.message, path: e.path }
  }
  throw new Error(`${cron} was accepted`)
}

describe('cron expressions', () => {
  it('name the wrong field and its position', () => {
    expect(problem('61 * * * *').message).toBe('minute (field 1): 61 is out of range 0-59')
    expect(problem('0 25 * * *').message).toBe('hour (field 2): 25 is out of range 0-23')
    expect(problem('0 0 0 * *').message).toBe('day-of-month (field 3): 0 is out of range 1-31')
    expect(problem('0 0 * 13 *').message).toBe('month (field 4): 13 is out of range 1-12')
    expect(problem('0 0 * * 8').message).toBe('day-of-week (field 5): 8 is out of range 0-7')
    expect(problem('0 0 * * MOO').message).toMatch(
      /^day-of-week \(field 5\): "MOO" is not a number from 0 to 7 or a name/,
    )
    expect(problem('*/0 * * * *').message).toMatch(/^minute \(field 1\): the step/)
    expect(problem('0 17-9 * * *').message).toBe('hour (field 2): the range "17-9" runs backwards')
    expect(problem('0 ? * * *').message).toBe(
      'hour (field 2): ? is allowed only in day-of-month and day-of-week',
    )
    expect(problem('0 0 * *').message).toMatch(/has 5 fields .*this one has 4/)
    expect(problem('0 0 * * * *').message).toMatch(/this one has 6/)
    expect(problem('0 0 * * *x').path).toBe('params.cron')
  })

  it('refuses an expression that can never run', () => {
    expect(() => nextCronRuns('0 0 31 2 *', 'UTC', Date.UTC(2025, 0, 1), 5)).toThrow(/never runs/)
  })

  it('are described in words', () => {
    expect(describeCron('0 18 * * 1-5', 'Europe/London')).toBe(
      'At 18:00, on Monday through Friday (Europe/London)',
    )
    expect(describeCron('*/15 * * * *', 'UTC')).toBe('Every 15 minutes (UTC)')
    expect(describeCron('*/10 9-17 * * *', 'UTC')).toBe('Every 10 minutes, between 09:00 and 17:59 (UTC)')
    expect(describeCron('* * * * *', 'UTC')).toBe('Every minute (UTC)')
    expect(describeCron('30 9,17 * * *', 'UTC')).toBe('At 09:30 and 17:30 (UTC)')
    expect(describeCron('5 * * * *', 'UTC')).toBe('At minute 5 of every hour (UTC)')
    expect(describeCron('0 3 1 JAN,jul *', 'UTC')).toBe(
      'At 03:00, on day 1 of the month, in January and July (UTC)',
    )
    expect(describeCron('0 0 1 * SUN', 'UTC')).toBe('At 00:00, on day 1 of the month or on Sunday (UTC)')
  })

  it('give the next runs in the time zone, across the change to summer time', () => {
    // Europe/London moves from GMT to BST at 01:00 UTC on Sunday 30 March 2025.
    const from = Date.UTC(2025, 2, 28, 12)
    const iso = (ts: number[]) => ts.map((t) => new Date(t).toISOString())
    expect(iso(nextCronRuns('0 9 * * *', 'Europe/London', from, 5))).toEqual([
      '2025-03-29T09:00:00.000Z', // 09:00 GMT
      '2025-03-30T08:00:00.000Z', // 09:00 BST
      '2025-03-31T08:00:00.000Z',
      '2025-04-01T08:00:00.000Z',
      '2025-04-02T08:00:00.000Z',
    ])
    // 01:30 does not exist on the 30th: it runs an hour later (02:30 BST), once.
    expect(iso(nextCronRuns('30 1 * * *', 'Europe/London', from, 3))).toEqual([
      '2025-03-29T01:30:00.000Z',
      '2025-03-30T01:30:00.000Z',
      '2025-03-31T00:30:00.000Z',
    ])
    // The same expression in New York is not moved by London's change.
    expect(iso(nextCronRuns('0 9 * * *', 'America/New_York', from, 2))).toEqual([
      '2025-03-28T13:00:00.000Z',
      '2025-03-29T13:00:00.000Z',
    ])
  })
})
