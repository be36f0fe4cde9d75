import { describe, expect, it } from 'vitest'
import { createDemoMarket } from '../../src/main/demo'
import { candlesOf, signalsOf } from '../../src/main/journal/sources'
import { upsertCandles } from '../../src/main/storage/candle-store'
import { openDatabase } from '../../src/main/storage/database'
import { DEFAULT_PROFILE } from '../../src/shared/domain/signals'

const DAY = 86_400_000
import { timeframeMs } from '../../src/shared/domain/timeframes'

describe('signal at entry', () => {
  it('is the same pinned (profile read once, empty series skipped) as asked one by one', () => {
    const db = openDatabase(':memory:')
    const insert = db.prepare(
      `INSERT INTO signal_history (profile, source, symbol, timeframe, time, score, raw, direction, confidence, reasons)
       VALUES (?, 'demo', ?, ?, ?, ?, 50, 'buy', 0.5, '[]')`,
    )
    const t0 = Date.UTC(2025, 4, 1)
    // Only the second timeframe of BTC has rows; ETH has none.
    const [first, second] = DEFAULT_PROFILE.timeframes
    const step = timeframeMs(second!)
    for (let i = 0; i < 20; i++) insert.run(DEFAULT_PROFILE.id, 'BTC/USDT', second, t0 + i * step, 40 + i)
    const signals = signalsOf(db)
    const pinned = signals.pinned!()
    let found = 0
    for (const symbol of ['BTC/USDT', 'ETH/USDT'])
      for (let t = t0 - step; t < t0 + 25 * step; t += Math.round(step / 3)) {
        const one = signals.atTime('demo', symbol, t)
        expect(pinned.atTime('demo', symbol, t), `${symbol} ${t}`).toEqual(one)
        if (one) found++
      }
    expect(first).not.toBe(second)
    expect(found).toBeGreaterThan(10)
  })
})

describe('candles around a trade', () => {
  it('of a stored weekly series start at the week (from Monday) holding the first fill', () => {
    const db = openDatabase(':memory:')
    const key = { source: 'import:w', symbol: 'IDX', timeframe: '1w' as const }
    const monday = Date.UTC(2024, 0, 1) // a Monday
    const weeks = [0, 1, 2].map((i) => ({
      time: monday + i * timeframeMs('1w'),
      open: 10 + i,
      high: 12 + i,
      low: 9 + i,
      close: 11 + i,
      volume: 1,
    }))
    upsertCandles(db, key, weeks)
    const candles = candlesOf(db, createDemoMarket({ seed: 1 }), { now: () => monday + 30 * DAY })
    // A fill on Friday of the first week: that week's bar is the first one (a 7-day step from
    // 1970, a Thursday, started the read on Thursday and left Monday's bar out).
    const friday = monday + 4 * DAY + 3_600_000
    const got = candles.finest('import:w', 'IDX', friday, monday + 20 * DAY)
    expect(got?.timeframe).toBe('1w')
    expect(got?.candles.map((c) => c.time)).toEqual(weeks.map((w) => w.time))
  })
})
