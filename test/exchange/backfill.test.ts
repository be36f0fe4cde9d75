import { describe, expect, it } from 'vitest'
import { readCandleRange, seriesBounds } from '../../src/main/storage/candle-store'
import { backfillCandles, uncovered, lastClosedOpen } from '../../src/main/exchange/backfill'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import { AppError } from '../../src/shared/contract/errors'
import { useTempDirs } from '../support/temp-dir'
import { startGapProxy } from './proxy'
import { join } from 'node:path'
import { expectOk, useRig } from './support'

const newDir = useTempDirs()
const rig = useRig(newDir)
const MIN = 60_000
/** A whole hour some hours back, so every bar in the tests has closed and runs are repeatable. */
const HOUR = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 6 * 3_600_000

describe('range arithmetic', () => {
  it('subtracts fetched ranges from the wanted one', () => {
    const covered = [
      { first: 10 * MIN, last: 19 * MIN },
      { first: 30 * MIN, last: 34 * MIN },
    ]
    expect(uncovered(0, 40 * MIN, covered, '1m')).toEqual([
      { first: 0, last: 9 * MIN },
      { first: 20 * MIN, last: 29 * MIN },
      { first: 35 * MIN, last: 40 * MIN },
    ])
    expect(uncovered(12 * MIN, 18 * MIN, covered, '1m')).toEqual([])
  })

  it('takes the last bar that has closed', () => {
    expect(lastClosedOpen(10 * MIN, '1m')).toBe(9 * MIN)
    expect(lastClosedOpen(10 * MIN + 1, '1m')).toBe(9 * MIN)
    expect(lastClosedOpen(Date.UTC(2024, 2, 1), '1M')).toBe(Date.UTC(2024, 1, 1))
  })
})

describe('backfill from the simulator through real ccxt', () => {
  it('starts at the exchange’s first bar when asked from before it, and a second run sends nothing', async () => {
    const listedAt = HOUR + 30 * MIN
    const { invoke, sim, db } = await rig({ sim: { listedAt } })
    const from = HOUR - 2 * 60 * MIN
    const to = HOUR + 90 * MIN
    const first = expectOk(
      await invoke('exchange.backfill', {
        exchange: 'binance',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        from,
        to,
        pageLimit: 25,
      }),
    )
    // 61 bars from 00:30 to 01:30 inclusive, in pages of 25 (the first page starts at the listing).
    expect(first).toMatchObject({
      source: 'binance:custom',
      stored: 61,
      historyStart: listedAt,
      gaps: [],
      complete: true,
      remaining: [],
    })
    const klines = sim.state.requests({ kind: 'klines' })
    expect(first.requests).toBe(klines.length)
    expect(klines.length).toBe(3)
    expect(klines[0]!.params['startTime']).toBe(String(from))
    const key = { source: 'binance:custom', symbol: 'BTC/USDT', timeframe: '1m' as const }
    expect(seriesBounds(db, key)).toEqual({ count: 61, first: listedAt, last: to })
    // The stored bars are the simulator's, to the tick.
    const bars = readCandleRange(db, key, listedAt, listedAt)
    const row = (await (
      await fetch(`${sim.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${listedAt}&limit=1`)
    ).json()) as string[][]
    expect(bars[0]).toEqual({
      time: listedAt,
      open: Number(row[0]![1]),
      high: Number(row[0]![2]),
      low: Number(row[0]![3]),
      close: Number(row[0]![4]),
      volume: Number(row[0]![5]),
    })

    const again = expectOk(
      await invoke('exchange.backfill', {
        exchange: 'binance',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        from,
        to,
        pageLimit: 25,
      }),
    )
    expect(again).toMatchObject({ requests: 0, stored: 0, historyStart: listedAt, complete: true })
    // Nothing beyond the three pages and the one the test itself sent above.
    expect(sim.state.requests({ kind: 'klines' })).toHaveLength(4)
  })

  it('resumes from the last stored bar when the request budget ran out', async () => {
    const { invoke, sim, db } = await rig()
    const from = HOUR
    const to = HOUR + 99 * MIN
    const params = {
      exchange: 'binance',
      symbol: 'ETH/USDT',
      timeframe: '1m',
      from,
      to,
      pageLimit: 30,
    } as const
    const part = expectOk(await invoke('exchange.backfill', { ...params, maxRequests: 2 }))
    expect(part).toMatchObject({
      requests: 2,
      stored: 60,
      complete: false,
      remaining: [{ from: HOUR + 60 * MIN, to }],
    })
    const before = sim.state.requests({ kind: 'klines' }).length
    const rest = expectOk(await invoke('exchange.backfill', params))
    expect(rest).toMatchObject({ requests: 2, stored: 40, complete: true, remaining: [], gaps: [] })
    const resumed = sim.state.requests({ kind: 'klines' }).slice(before)
    expect(resumed.map((r) => Number(r.params['startTime']))).toEqual([HOUR + 60 * MIN, HOUR + 90 * MIN])
    expect(resumed.map((r) => Number(r.params['limit']))).toEqual([30, 10])
    expect(seriesBounds(db, { source: 'binance:custom', symbol: 'ETH/USDT', timeframe: '1m' }).count).toBe(
      100,
    )
  })

  it('fills only the missing range when the range grows', async () => {
    const { invoke, sim } = await rig()
    const base = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '5m', pageLimit: 1000 } as const
    expectOk(await invoke('exchange.backfill', { ...base, from: HOUR, to: HOUR + 55 * MIN }))
    const n = sim.state.requests({ kind: 'klines' }).length
    const wider = expectOk(
      await invoke('exchange.backfill', { ...base, from: HOUR - 60 * MIN, to: HOUR + 115 * MIN }),
    )
    expect(wider).toMatchObject({ requests: 2, stored: 24, complete: true })
    const asked = sim.state.requests({ kind: 'klines' }).slice(n)
    expect(asked.map((r) => [Number(r.params['startTime']), Number(r.params['limit'])])).toEqual([
      [HOUR - 60 * MIN, 12],
      [HOUR + 60 * MIN, 12],
    ])
  })

  it('reports bars the exchange does not have as gaps, and does not ask for them again', async () => {
    const { invoke, sim } = await rig()
    const hole = { from: HOUR + 20 * MIN, to: HOUR + 24 * MIN }
    const proxy = await startGapProxy(sim.url, hole)
    try {
      expectOk(await invoke('exchange.configure', { exchange: 'binance', apiUrl: proxy.url }))
      const params = {
        exchange: 'binance',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        from: HOUR,
        to: HOUR + 59 * MIN,
        pageLimit: 15,
      } as const
      const r = expectOk(await invoke('exchange.backfill', params))
      expect(r).toMatchObject({ stored: 55, historyStart: null, complete: true })
      expect(r.gaps).toEqual([{ from: hole.from, to: hole.to, missing: 5 }])
      const n = sim.state.requests({ kind: 'klines' }).length
      const again = expectOk(await invoke('exchange.backfill', params))
      expect(again).toMatchObject({ requests: 0, gaps: [{ from: hole.from, to: hole.to, missing: 5 }] })
      expect(sim.state.requests({ kind: 'klines' })).toHaveLength(n)
    } finally {
      await proxy.close()
    }
  })

  it('retries a page after a 5xx and completes', async () => {
    const { invoke, sim } = await rig()
    sim.faults.next('klines', '503', 1)
    const r = expectOk(
      await invoke('exchange.backfill', {
        exchange: 'binance',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        from: HOUR,
        to: HOUR + 9 * MIN,
      }),
    )
    expect(r).toMatchObject({ requests: 2, stored: 10, complete: true, stoppedBy: null })
    expect(sim.state.requests({ kind: 'klines' }).map((q) => q.status)).toEqual([503, 200])
  })

  it('stops with what it has when the exchange stays down, and says what is left', async () => {
    const { invoke, sim } = await rig()
    const params = {
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      from: HOUR,
      to: HOUR + 19 * MIN,
      pageLimit: 10,
    } as const
    const ok = expectOk(await invoke('exchange.backfill', { ...params, maxRequests: 1 }))
    expect(ok.stored).toBe(10)
    // Three 500s in a row: one try and two retries.
    sim.faults.next('klines', '500', 3)
    const r = expectOk(await invoke('exchange.backfill', params))
    expect(r.stoppedBy).toMatchObject({ kind: 'unavailable' })
    expect(r).toMatchObject({
      requests: 3,
      stored: 0,
      complete: false,
      remaining: [{ from: HOUR + 10 * MIN, to: HOUR + 19 * MIN }],
    })
    const done = expectOk(await invoke('exchange.backfill', params))
    expect(done).toMatchObject({ requests: 1, stored: 10, complete: true })
  })
})

describe('page retries', () => {
  // Backfill used to wait exactly the Retry-After when there was one, even 0 s or less than its
  // own backoff; every other backoff in the app waits the longer of the two (shared/net/backoff.ts).
  it('wait the backoff, or the Retry-After when it is longer, never less', async () => {
    const db = openDatabase(join(newDir(), 'retry.db'))
    try {
      const waits: number[] = []
      const asked = [0, 0, 3, 0]
      let calls = 0
      const pager = {
        pageLimit: 10,
        fetch: async () => {
          const retryAfter = asked[calls++]
          if (retryAfter !== undefined) throw new AppError('rate_limited', 'slow down', undefined, retryAfter)
          return [[HOUR, 1, 1, 1, 1, 1]]
        },
      }
      const r = await backfillCandles(
        db,
        { source: 'binance', symbol: 'BTC/USDT', timeframe: '1m' },
        pager,
        { from: HOUR, to: HOUR, maxRequests: 10, retries: 4 },
        { now: HOUR + 10 * MIN, sleep: async (ms) => void waits.push(ms), maxRetryWaitMs: 10_000 },
      )
      expect(waits).toEqual([500, 1_000, 3_000, 4_000])
      expect(r).toMatchObject({ requests: 5, stored: 1, complete: true, stoppedBy: null })
    } finally {
      closeDatabase(db)
    }
  })
})
