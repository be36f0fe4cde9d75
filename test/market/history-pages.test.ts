import { describe, expect, it } from 'vitest'
import { createDemoMarket } from '../../src/main/demo'
import { aggregateCandles } from '../../src/main/market/aggregate'
import { importedCandles } from '../../src/main/market/imported-series'
import { openDatabase } from '../../src/main/storage/database'
import { upsertCandles } from '../../src/main/storage/candle-store'
import { olderPageTo, prependColumns } from '../../src/shared/domain/candle-pages'
import { fromColumns, toColumns, type Candle, type CandleColumns } from '../../src/shared/domain/candles'
import type { Timeframe } from '../../src/shared/domain/timeframes'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Pages back from `to` the way the chart does, joined in front; stops at the first empty page. */
function pageBack(
  read: (to: number, limit: number) => CandleColumns,
  to: number,
  limit: number,
): CandleColumns {
  let shown = read(to, limit)
  for (let i = 0; i < 1000; i++) {
    const older = read(olderPageTo(shown.time[0]!), limit)
    const { columns, added } = prependColumns(older, shown)
    if (added === 0) return shown
    shown = columns
  }
  throw new Error('paging did not end')
}

describe('older history pages', () => {
  it('join in front without doubling the first shown bar', () => {
    const shown = toColumns([bar(3 * HOUR, 3), bar(4 * HOUR, 4)])
    const older = toColumns([bar(HOUR, 1), bar(2 * HOUR, 2), bar(3 * HOUR, 99)])
    const { columns, added } = prependColumns(older, shown)
    expect(added).toBe(2)
    expect(columns.time).toEqual([HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR])
    // The shown bar wins at the join (the page's copy of it is dropped).
    expect(columns.close).toEqual([1, 2, 3, 4])
    expect(prependColumns(toColumns([]), shown)).toEqual({ columns: shown, added: 0 })
  })

  it('of an imported weekday series, at every derived timeframe, add up to the whole history', () => {
    const db = openDatabase(':memory:')
    // Two months of hourly bars, Monday to Friday only (a stock's weekends are gaps).
    const start = Date.UTC(2024, 0, 3, 13) // a Wednesday, mid-day: the first 4h/1d/1w bucket is partial
    const bars: Candle[] = []
    for (let t = start; t < start + 60 * DAY; t += HOUR) {
      const wd = new Date(t).getUTCDay()
      if (wd === 0 || wd === 6) continue
      const i = bars.length
      bars.push({ time: t, open: 100 + i, high: 102 + i, low: 99 + i, close: 101 + i, volume: 1 + (i % 7) })
    }
    const key = { source: 'import:test', symbol: 'TEST', timeframe: '1h' as const }
    upsertCandles(db, key, bars)
    const end = bars[bars.length - 1]!.time
    for (const tf of ['1h', '2h', '4h', '1d', '1w', '1M'] as Timeframe[]) {
      const whole = aggregateCandles(bars, tf)
      for (const limit of [3, 7, 50]) {
        const paged = pageBack((to, n) => importedCandles(db, key.source, key.symbol, tf, to, n), end, limit)
        expect(fromColumns(paged), `${tf} in pages of ${limit}`).toEqual(whole)
      }
    }
    db.close()
  })

  it('of the demo market reach its first bar, equal to one read, at 15m and 1M', () => {
    const demo = createDemoMarket({ seed: 7, historyDays: 90 })
    const now = Date.UTC(2026, 5, 10, 12, 34, 56)
    for (const tf of ['15m', '1M'] as Timeframe[]) {
      const paged = pageBack((to, n) => demo.candles('BTC/USDT', tf, to, n, now), now, 1000)
      const whole = demo.candles('BTC/USDT', tf, now, 100_000, now)
      expect(paged.time.length, tf).toBe(whole.time.length)
      expect(paged).toEqual(whole)
      expect(paged.time[0]).toBeGreaterThanOrEqual(demo.historyStart(now))
    }
  })
})

function bar(time: number, close: number): Candle {
  return { time, open: close, high: close, low: close, close, volume: 1 }
}
