/**
 * The registry's input checks: the fast whole-column scan only decides whether to walk bar by
 * bar, so a bad candle is still reported at its first bar with the field the user knows, in
 * the same order as before (bar first, then the indicator's inputs in order).
 */
import { describe, expect, it } from 'vitest'
import { getIndicator, type CandleSeries } from '.'

function series(n: number): CandleSeries {
  const col = (f: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => f(i))
  return {
    time: col((i) => i * 60_000),
    open: col((i) => 100 + i),
    high: col((i) => 101 + i),
    low: col((i) => 99 + i),
    close: col((i) => 100 + i),
    volume: col(() => 5),
  }
}

describe('registry input checks', () => {
  it('accepts a clean series with the same values as before', () => {
    const s = series(50)
    expect(Array.from(getIndicator('sma').compute(s, { period: 3 })[0]!.slice(2, 4))).toEqual([101, 102])
  })

  it.each([
    ['close NaN', (s: CandleSeries) => (s.close[7] = NaN), 'sma', /close.*bar 7|bar 7.*close/],
    ['close Infinity', (s: CandleSeries) => (s.close[9] = Infinity), 'sma', /bar 9/],
    ['negative volume', (s: CandleSeries) => (s.volume[4] = -1), 'obv', /volume at bar 4 is -1/],
    ['volume Infinity', (s: CandleSeries) => (s.volume[6] = Infinity), 'obv', /volume at bar 6 is Infinity/],
    ['high below low', (s: CandleSeries) => (s.high[5] = 0), 'atr', /high 0 is below low 104 at bar 5/],
  ])('%s is reported at its bar', (_name, spoil, id, message) => {
    const s = series(50)
    spoil(s)
    expect(() => getIndicator(id).compute(s, {})).toThrow(message)
  })

  it('the first bad bar wins when several columns are bad', () => {
    const s = series(50)
    s.volume[20] = -1
    s.close[12] = NaN
    expect(() => getIndicator('obv').compute(s, {})).toThrow(/bar 12/)
  })
})
