import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/contract/errors'
import { fromColumns, type CandleColumns } from '../../shared/domain/candles'
import { bucketStart, nextBucket, TIMEFRAMES, type Timeframe } from '../../shared/domain/timeframes'
import { aggregateCandles } from '../market/aggregate'
import { createDemoMarket, DEFAULT_DEMO_SEED, DEMO_SOURCE, DEMO_SOURCE_LABEL } from './index'
import { DEMO_SYMBOL_SPECS } from './symbols'

const MIN = 60_000
const DAY = 86_400_000
/** A fixed "now" mid-minute; every test is relative to it (no wall clock). */
const NOW = Date.UTC(2025, 10, 20, 13, 37, 21, 500)

const market = createDemoMarket()

function caught(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected an AppError')
}

function ohlcProblems(cols: CandleColumns, precision: number): string[] {
  const scale = 10 ** precision
  const bad: string[] = []
  for (let i = 0; i < cols.time.length; i++) {
    const [o, h, l, c, v] = [cols.open[i]!, cols.high[i]!, cols.low[i]!, cols.close[i]!, cols.volume[i]!]
    if (!(l <= o && l <= c && o <= h && c <= h)) bad.push(`bar ${i}: OHLC out of order`)
    if (!(v > 0)) bad.push(`bar ${i}: volume ${v}`)
    for (const p of [o, h, l, c])
      if (Math.round(p * scale) / scale !== p) bad.push(`bar ${i}: ${p} off the tick grid`)
  }
  return bad
}

describe('demo market: identity and errors', () => {
  it('is labelled as simulated and lists the required markets', () => {
    expect(DEMO_SOURCE).toBe('demo')
    expect(DEMO_SOURCE_LABEL).toBe('Demo (simulated)')
    const names = market.symbols.map((s) => s.symbol)
    expect(names).toEqual(expect.arrayContaining(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']))
    expect(DEMO_SYMBOL_SPECS.some((s) => s.annualVol <= 0.2)).toBe(true)
    for (const s of market.symbols) expect(s.description).toMatch(/simulated/)
    expect(market.seed).toBe(DEFAULT_DEMO_SEED)
    expect(new Set(DEMO_SYMBOL_SPECS.map((s) => s.streamId)).size).toBe(DEMO_SYMBOL_SPECS.length)
  })

  it('answers not_found for an unknown symbol', () => {
    expect(caught(() => market.candles('DOGE/USDT', '1m', NOW, 10, NOW)).kind).toBe('not_found')
    expect(caught(() => market.formingCandle('DOGE/USDT', '1m', NOW)).kind).toBe('not_found')
    expect(caught(() => market.quote('DOGE/USDT', NOW)).kind).toBe('not_found')
  })

  it('answers validation for bad arguments', () => {
    expect(caught(() => market.candles('BTC/USDT', '1m', NOW, -1, NOW)).kind).toBe('validation')
    expect(caught(() => market.candles('BTC/USDT', '1m', NOW, 1.5, NOW)).kind).toBe('validation')
    expect(caught(() => market.candles('BTC/USDT', '1m', NaN, 1, NOW)).path).toBe('to')
    expect(caught(() => market.candles('BTC/USDT', '2m' as Timeframe, NOW, 1, NOW)).path).toBe('tf')
    expect(caught(() => market.quote('BTC/USDT', Date.UTC(1999, 0, 1))).path).toBe('now')
    expect(caught(() => market.historyStart(Date.UTC(2100, 0, 1))).path).toBe('now')
    expect(caught(() => createDemoMarket({ seed: 0.5 })).path).toBe('seed')
    expect(caught(() => createDemoMarket({ historyDays: 30 })).path).toBe('historyDays')
  })
})

describe('demo market: determinism', () => {
  it('gives identical bars, forming bars and quotes for the same seed, different ones for another', () => {
    const a = createDemoMarket({ seed: 7 })
    const b = createDemoMarket({ seed: 7 })
    const c = createDemoMarket({ seed: 8 })
    for (const s of ['BTC/USDT', 'EUR/USDT']) {
      const bars = a.candles(s, '1m', NOW, 3000, NOW)
      expect(b.candles(s, '1m', NOW, 3000, NOW)).toEqual(bars)
      expect(c.candles(s, '1m', NOW, 3000, NOW).close).not.toEqual(bars.close)
      expect(b.formingCandle(s, '4h', NOW)).toEqual(a.formingCandle(s, '4h', NOW))
      expect(b.quote(s, NOW)).toEqual(a.quote(s, NOW))
      expect(c.quote(s, NOW)).not.toEqual(a.quote(s, NOW))
    }
  })

  it('does not depend on what was asked before, or on the range asked for', () => {
    const day = Date.UTC(2025, 9, 1)
    const fresh = createDemoMarket({ seed: 11 }).candles('ETH/USDT', '1m', day + DAY - 1, 1440, NOW)
    const busy = createDemoMarket({ seed: 11 })
    // Other symbols, later and earlier days first, and enough days to cycle the day cache.
    for (const s of busy.symbols) busy.candles(s.symbol, '1d', NOW, 180, NOW)
    busy.formingCandle('ETH/USDT', '1m', NOW)
    expect(busy.candles('ETH/USDT', '1m', day + DAY - 1, 1440, NOW)).toEqual(fresh)
    // A sub-range of a longer request is the same as asking for the sub-range.
    const wide = busy.candles('ETH/USDT', '5m', day + 3 * DAY, 2000, NOW)
    const narrow = busy.candles('ETH/USDT', '5m', day + DAY, 100, NOW)
    const at = wide.time.indexOf(narrow.time[0]!)
    expect(at).toBeGreaterThanOrEqual(0)
    expect(wide.close.slice(at, at + 100)).toEqual(narrow.close)
    expect(wide.volume.slice(at, at + 100)).toEqual(narrow.volume)
  })

  it('reproduces recorded history for the default seed (same on every machine)', () => {
    // Recorded once. A change here means every user's demo history changed: only on purpose.
    const m = createDemoMarket()
    const recorded = m.symbols.map((s) => {
      const c = m.candles(s.symbol, '1m', Date.UTC(2025, 5, 1, 12, 0), 1, NOW)
      return [s.symbol, c.open[0], c.high[0], c.low[0], c.close[0], c.volume[0]]
    })
    expect(recorded).toMatchInlineSnapshot(`
      [
        [
          "BTC/USDT",
          98732.77,
          98814.32,
          98698.81,
          98796.2,
          5.796875,
        ],
        [
          "ETH/USDT",
          3916.21,
          3921.32,
          3916.02,
          3920.89,
          227.2734375,
        ],
        [
          "SOL/USDT",
          177.63,
          177.77,
          177.37,
          177.65,
          461.109375,
        ],
        [
          "PAXG/USDT",
          2728.72,
          2728.78,
          2728.36,
          2728.48,
          3.3642578125,
        ],
        [
          "EUR/USDT",
          1.00766,
          1.00769,
          1.00754,
          1.00755,
          63886,
        ],
      ]
    `)
    expect(m.formingCandle('BTC/USDT', '1m', Date.UTC(2025, 5, 1, 12, 0, 30))).toMatchInlineSnapshot(`
      {
        "close": 98705.82,
        "high": 98743.23,
        "low": 98699.1,
        "open": 98732.77,
        "time": 1748779200000,
        "volume": 2.9208984375,
      }
    `)
  })
})

describe('demo market: history', () => {
  it('covers at least 90 days of contiguous 1m bars', () => {
    const start = market.historyStart(NOW)
    expect(start).toBeLessThanOrEqual(NOW - 90 * DAY)
    const bars = market.candles('SOL/USDT', '1m', NOW, 1_000_000, NOW)
    expect(bars.time[0]).toBe(start)
    expect(bars.time.length).toBeGreaterThanOrEqual(90 * 1440)
    let gaps = 0
    for (let i = 1; i < bars.time.length; i++) if (bars.time[i]! - bars.time[i - 1]! !== MIN) gaps++
    expect(gaps).toBe(0)
  })

  it('has valid OHLC on the tick grid, positive volume, and each 1m bar opens at the last close', () => {
    for (const s of market.symbols) {
      const m1 = market.candles(s.symbol, '1m', NOW, 3 * 1440, NOW)
      expect(ohlcProblems(m1, s.pricePrecision)).toEqual([])
      let breaks = 0
      for (let i = 1; i < m1.time.length; i++) if (m1.open[i] !== m1.close[i - 1]) breaks++
      expect(breaks).toBe(0)
      expect(ohlcProblems(market.candles(s.symbol, '1h', NOW, 2000, NOW), s.pricePrecision)).toEqual([])
    }
  })

  it('is continuous across the anchor day, with history before it', () => {
    const now = Date.UTC(2025, 1, 1)
    const m = createDemoMarket({ seed: 3 })
    const bars = m.candles('BTC/USDT', '1m', now, 1_000_000, now)
    expect(bars.time[0]).toBeLessThan(Date.UTC(2024, 10, 5))
    let breaks = 0
    for (let i = 1; i < bars.time.length; i++) if (bars.open[i] !== bars.close[i - 1]) breaks++
    expect(breaks).toBe(0)
    const anchor = m.candles('BTC/USDT', '1m', Date.UTC(2025, 0, 1), 1, now)
    expect(anchor.open[0]).toBe(93_500)
  })
})

describe('demo market: closed bars and the forming bar', () => {
  it('never returns a bar that has not closed by now, nor one opening after `to` or before history', () => {
    const tfArb = fc.constantFrom(...TIMEFRAMES)
    fc.assert(
      fc.property(
        tfArb,
        fc.integer({ min: 0, max: 10 * DAY }),
        fc.integer({ min: -2 * DAY, max: 2 * DAY }),
        fc.integer({ min: 0, max: 400 }),
        (tf, back, toOffset, limit) => {
          const now = NOW - back
          const to = now + toOffset
          const bars = market.candles('BTC/USDT', tf, to, limit, now)
          const start = market.historyStart(now)
          expect(bars.time.length).toBeLessThanOrEqual(limit)
          for (let i = 0; i < bars.time.length; i++) {
            const t = bars.time[i]!
            expect(nextBucket(t, tf)).toBeLessThanOrEqual(now)
            expect(t).toBeLessThanOrEqual(to)
            expect(t).toBeGreaterThanOrEqual(start)
            expect(bucketStart(t, tf)).toBe(t)
            if (i > 0) expect(nextBucket(bars.time[i - 1]!, tf)).toBe(t)
          }
          // Newest first: the bucket after the last one returned is either after `to` or still open.
          const last = bars.time.at(-1)
          if (last !== undefined) {
            const after = nextBucket(last, tf)
            expect(after > to || nextBucket(after, tf) > now).toBe(true)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('converges: the forming bar at the last millisecond equals the closed bar, for every timeframe', () => {
    for (const tf of TIMEFRAMES) {
      for (const s of ['BTC/USDT', 'EUR/USDT']) {
        const open = bucketStart(NOW - 40 * DAY, tf)
        const end = nextBucket(open, tf)
        const closed = fromColumns(market.candles(s, tf, open, 1, end))
        expect(closed).toHaveLength(1)
        expect(market.formingCandle(s, tf, end - 1)).toEqual(closed[0])
      }
    }
  })

  it('grows towards the closed bar as a live feed polled every 250 ms sees it', () => {
    const open = Date.UTC(2025, 10, 19, 14, 0)
    const closed = fromColumns(market.candles('ETH/USDT', '15m', open, 1, open + 15 * MIN))[0]!
    let prev = market.formingCandle('ETH/USDT', '15m', open)
    expect(prev.open).toBe(closed.open)
    expect(prev.time).toBe(open)
    const bad: string[] = []
    for (let t = open + 250; t < open + 15 * MIN; t += 250) {
      const f = market.formingCandle('ETH/USDT', '15m', t)
      if (f.open !== closed.open || f.time !== open) bad.push(`open moved at ${t}`)
      if (f.high < prev.high || f.low > prev.low || f.volume < prev.volume) bad.push(`went backwards at ${t}`)
      if (f.high > closed.high || f.low < closed.low || f.volume > closed.volume) bad.push(`overshot at ${t}`)
      if (f.low > f.close || f.close > f.high) bad.push(`close outside at ${t}`)
      if (f.close !== market.quote('ETH/USDT', t).last) bad.push(`quote disagrees at ${t}`)
      prev = f
    }
    expect(bad).toEqual([])
    expect(prev).toEqual(closed)
  })

  it('each closed 1m bar matches the price path sampled inside its minute', () => {
    const minute = Date.UTC(2025, 10, 19, 9, 41)
    const bar = fromColumns(market.candles('SOL/USDT', '1m', minute, 1, minute + MIN))[0]!
    const prices: number[] = []
    for (let t = minute; t < minute + MIN; t += 50) prices.push(market.quote('SOL/USDT', t).last)
    expect(prices[0]).toBe(bar.open)
    expect(prices.at(-1)).toBe(bar.close)
    expect(Math.max(...prices)).toBe(bar.high)
    expect(Math.min(...prices)).toBe(bar.low)
  })

  it('starts a new bar at its bucket start, opening at the previous close', () => {
    const open = Date.UTC(2025, 10, 20, 13, 0)
    const prev = fromColumns(market.candles('BTC/USDT', '1h', open - 1, 1, open))[0]!
    const f = market.formingCandle('BTC/USDT', '1h', open)
    expect(f.time).toBe(open)
    expect(f.open).toBe(prev.close)
    expect([f.high, f.low, f.close]).toEqual([f.open, f.open, f.open])
  })
})

describe('demo market: aggregation', () => {
  it('folds 1m bars into exactly the bars candles() serves for longer timeframes', () => {
    for (const s of ['BTC/USDT', 'PAXG/USDT']) {
      const to = Date.UTC(2025, 10, 18) - MIN
      const minutes = fromColumns(market.candles(s, '1m', to, 7 * 1440, NOW))
      expect(minutes).toHaveLength(7 * 1440)
      for (const tf of ['5m', '30m', '1h', '4h', '1d'] as const) {
        const folded = aggregateCandles(minutes, tf)
        const served = fromColumns(market.candles(s, tf, to, folded.length, NOW))
        expect(served).toEqual(folded)
      }
    }
  })

  it('quotes the last price and the change over 24 h', () => {
    for (const s of market.symbols) {
      const q = market.quote(s.symbol, NOW)
      const last = market.formingCandle(s.symbol, '1m', NOW).close
      const before = market.formingCandle(s.symbol, '1m', NOW - DAY).close
      expect(q.last).toBe(last)
      expect(q.change24h).toBeCloseTo((last / before - 1) * 100, 10)
    }
  })
})

describe('demo market: candles in steps', () => {
  it('pauses after each day and returns the bars candles returns, whatever runs during the pauses', () => {
    for (const tf of TIMEFRAMES) {
      const limit = tf === '1m' ? 5000 : 400
      // A market of its own, its caches churned during every pause (their buffers are reused).
      const stepped = createDemoMarket()
      const steps = stepped.candleSteps('ETH/USDT', tf, NOW, limit, NOW)
      let pauses = 0
      let r = steps.next()
      for (; !r.done; r = steps.next()) {
        pauses++
        stepped.candles('BTC/USDT', '1m', NOW - (pauses % 40) * 7 * DAY, 3000, NOW)
        stepped.candles('ETH/USDT', '1m', NOW - (pauses % 300) * DAY, 2000, NOW)
      }
      const whole = market.candles('ETH/USDT', tf, NOW, limit, NOW)
      expect(r.value, tf).toEqual(whole)
      expect(pauses, tf).toBeGreaterThanOrEqual(Math.floor((whole.time.at(-1)! - whole.time[0]!) / DAY) - 1)
    }
  })

  it('checks its arguments as candles does, on the first step', () => {
    const steps = market.candleSteps('BTC/USDT', '1m', NOW, -1, NOW)
    expect(caught(() => steps.next()).kind).toBe('validation')
    expect(market.candleSteps('BTC/USDT', '1m', NOW, 0, NOW).next()).toEqual({
      done: true,
      value: { time: [], open: [], high: [], low: [], close: [], volume: [] },
    })
  })
})
