import { describe, expect, it } from 'vitest'
import { formatShortVolume, sortRows, type Row } from './rows'

const row = (symbol: string, last: number | null, change: number | null, volume: number | null): Row => ({
  item: { source: 'demo', symbol },
  last,
  change,
  volume,
  precision: 2,
  chartable: true,
})

describe('watchlist rows', () => {
  const rows = [
    row('SOL/USDT', 150, 2.5, 90_000),
    row('BTC/USDT', 60_000, -1, 1_200),
    row('GOOG', 140, null, null),
    row('ETH/USDT', 3_000, 0.5, 25_000),
  ]
  const symbols = (r: Row[]): string[] => r.map((x) => x.item.symbol)

  it('sort by 24h volume either way, a row without volume (an imported series) last', () => {
    expect(symbols(sortRows(rows, 'volume', true))).toEqual(['SOL/USDT', 'ETH/USDT', 'BTC/USDT', 'GOOG'])
    expect(symbols(sortRows(rows, 'volume', false))).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'GOOG'])
  })

  it('sort by last, change and symbol, and keep the trader’s order by hand', () => {
    expect(symbols(sortRows(rows, 'last', false))).toEqual(['GOOG', 'SOL/USDT', 'ETH/USDT', 'BTC/USDT'])
    expect(symbols(sortRows(rows, 'change', true))).toEqual(['SOL/USDT', 'ETH/USDT', 'BTC/USDT', 'GOOG'])
    expect(symbols(sortRows(rows, 'symbol', false))).toEqual(['BTC/USDT', 'ETH/USDT', 'GOOG', 'SOL/USDT'])
    expect(symbols(sortRows(rows, 'manual', true))).toEqual(symbols(rows))
  })

  it('show volume in three significant digits and a suffix', () => {
    expect([7_253.4, 391_662, 2_437_000, 12, null].map(formatShortVolume)).toEqual([
      '7.25K',
      '392K',
      '2.44M',
      '12',
      '—',
    ])
  })
})
