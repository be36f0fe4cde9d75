import { describe, expect, it } from 'vitest'
import { signalsOf } from '../../src/main/journal/sources'
import { openDatabase } from '../../src/main/storage/database'
import { DEFAULT_PROFILE } from '../../src/shared/domain/signals'
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
