import { describe, expect, it } from 'vitest'
import { CandleFileError } from '../../src/main/importing/issues'
import { readCandleText } from '../../src/main/importing/read-rows'
import { fitToTimeframe } from '../../src/main/importing/timeframe-fit'
import type { Timeframe } from '../../src/shared/domain/timeframes'

const csv = (dates: string[]) => ['Date,Open,High,Low,Close', ...dates.map((d) => `${d},1,2,0,1`)].join('\n')
const fit = (dates: string[], tf: Timeframe, skipBad = false) =>
  fitToTimeframe(readCandleText(csv(dates), 'f.csv'), tf, 'f.csv', skipBad)
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

describe('fitToTimeframe', () => {
  it('moves month-end dates to the first of the month', () => {
    const r = fit(['2012-01-31', '2012-02-29', '2012-03-31'], '1M')
    expect(r.candles.map((c) => day(c.time))).toEqual(['2012-01-01', '2012-02-01', '2012-03-01'])
    expect(r.normalisedRows).toBe(3)
  })

  it("moves Friday dates to that week's Monday", () => {
    const r = fit(['2006-01-06', '2006-01-13', '2006-01-20'], '1w')
    expect(r.candles.map((c) => day(c.time))).toEqual(['2006-01-02', '2006-01-09', '2006-01-16'])
  })

  it('leaves times already on the grid alone', () => {
    const r = fit(['2024-01-02 09:00', '2024-01-02 10:00', '2024-01-02 11:00'], '1h')
    expect(r.normalisedRows).toBe(0)
    expect(r.candles).toHaveLength(3)
  })

  it('reports a second row in the same bar, and drops it with skipBad', () => {
    const dates = ['2012-01-31', '2012-02-15', '2012-02-29', '2012-03-31', '2012-04-30']
    const strict = fit(dates, '1M')
    expect(strict.candles).toEqual([])
    expect(strict.issues).toMatchObject([
      { line: 4, column: 1, message: expect.stringMatching(/same 1M bar .* as line 3/) },
    ])
    const lenient = fit(dates, '1M', true)
    expect(lenient.candles.map((c) => day(c.time))).toEqual([
      '2012-01-01',
      '2012-02-01',
      '2012-03-01',
      '2012-04-01',
    ])
  })

  it('refuses spacing finer or coarser than the timeframe', () => {
    const hours = Array.from({ length: 48 }, (_, i) => new Date(Date.UTC(2024, 0, 1, i)).toISOString())
    expect(() => fit(hours, '1d')).toThrow(CandleFileError)
    expect(() => fit(hours, '1d')).toThrow(/1 hour apart, finer than the 1d timeframe.*--timeframe 1h/)
    const days = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']
    expect(() => fit(days, '1h')).toThrow(/1 day apart, coarser than the 1h timeframe.*--timeframe 1d/)
  })
})
