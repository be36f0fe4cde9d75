import { describe, expect, it } from 'vitest'
import { backingSeries, finestSeries } from '../../src/main/market/backing-series'
import type { SeriesInfo } from '../../src/main/storage/candle-store'
import type { Timeframe } from '../../src/shared/domain/timeframes'

const series = (timeframe: Timeframe, count = 10): SeriesInfo => ({
  source: 'binance:custom',
  symbol: 'BTC/USDT',
  timeframe,
  label: null,
  importedFrom: null,
  count,
  first: count > 0 ? 0 : null,
  last: count > 0 ? 1 : null,
})

describe('which stored series backs a timeframe', () => {
  // Stored: 5m, 1h and 1d (given out of order), and an emptied 15m.
  const stored = [series('1h'), series('1d'), series('15m', 0), series('5m')]
  const backing = (tf: Timeframe) => backingSeries(stored, tf)?.timeframe

  it('reads a timeframe from its own series', () => {
    expect(['5m', '1h', '1d'].map((tf) => backing(tf as Timeframe))).toEqual(['5m', '1h', '1d'])
  })

  it('derives any other from the longest stored timeframe shorter than it', () => {
    expect(backing('15m')).toBe('5m')
    expect(backing('30m')).toBe('5m')
    expect(backing('4h')).toBe('1h')
    expect(backing('1w')).toBe('1d')
    expect(backing('1M')).toBe('1d')
  })

  it('has nothing for a timeframe shorter than every stored one, nor from empty series', () => {
    expect(backing('1m')).toBeUndefined()
    expect(backingSeries([series('1m', 0)], '5m')).toBeUndefined()
    expect(backingSeries([], '1h')).toBeUndefined()
  })

  it('names the finest series with bars as the finest', () => {
    expect(finestSeries(stored)?.timeframe).toBe('5m')
    expect(finestSeries([series('1m', 0), series('1h')])?.timeframe).toBe('1h')
    expect(finestSeries([])).toBeUndefined()
  })
})
