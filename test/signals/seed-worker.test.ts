import Database from 'better-sqlite3'
import { join } from 'node:path'
import { threadId, Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { ComputePool } from '../../src/main/compute'
import { createComputePool } from '../../src/main/compute-pool'
import { createDemoMarket } from '../../src/main/demo'
import { silentLogger } from '../../src/main/log'
import { marketBarSource } from '../../src/main/signals/bars'
import { SymbolBook } from '../../src/main/signals/book'
import { computeSeed, decodeSignal, type SeedRequest, type SeedResult } from '../../src/main/signals/seed'
import { inlineSeeder, SignalService, type SeedRunner } from '../../src/main/signals/service'
import { saveSignals } from '../../src/main/signals/store'
import { SIGNALS_TASKS, seedTask } from '../../src/main/signals/tasks'
import { migrate } from '../../src/main/storage/migrate'
import { MIGRATIONS } from '../../src/main/storage/migrations'
import type { SignalsUpdate } from '../../src/shared/contract/signals'
import type { Candle } from '../../src/shared/domain/candles'
import { DEFAULT_PROFILE, type Signal } from '../../src/shared/domain/signals'
import { CHART_TIMEFRAMES, type Timeframe } from '../../src/shared/domain/timeframes'
import { useTempDirs } from '../support/temp-dir'

/**
 * The cold seed off the event loop: the heavy part in the compute worker, the main thread's
 * share in slices; the same signals to the bit as the synchronous replay it replaces.
 */

const tempDir = useTempDirs()
/** 09:58:30 UTC: a minute boundary ahead, and 10:00 closes 1m, 5m, 15m and 1h bars. */
const START = Date.UTC(2025, 5, 2, 9, 58, 30)

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function pool(spawn?: () => Worker): ComputePool {
  const p = spawn
    ? new ComputePool({ log: silentLogger, size: 1, kinds: SIGNALS_TASKS, spawn })
    : createComputePool({ log: silentLogger, size: 1 })
  cleanups.push(() => p.close())
  return p
}

function db() {
  const d = new Database(join(tempDir(), 'engine.db'))
  migrate(d, MIGRATIONS)
  cleanups.push(() => d.close())
  return d
}

function clockAt(t: number) {
  return {
    t,
    now() {
      return this.t
    },
  }
}

/** A seeder in the pool's worker that records where each seed ran and how many were asked for. */
function workerSeeder(p: ComputePool) {
  const calls: SeedRequest[] = []
  const threads: number[] = []
  const run: SeedRunner = async (req) => {
    calls.push(req)
    const res = await p.run(seedTask, req, { onCrash: 'reject' })
    threads.push(res.threadId)
    return res
  }
  return { run, calls, threads }
}

function service(opts: {
  seeder?: SeedRunner
  seedBars?: number
  demo?: ReturnType<typeof createDemoMarket>
}) {
  const d = db()
  const clock = clockAt(START)
  const demo = opts.demo ?? createDemoMarket()
  const s = new SignalService({
    db: d,
    bars: marketBarSource(d, demo),
    clock,
    log: silentLogger,
    seedBars: opts.seedBars ?? 300,
    seeder: opts.seeder,
  })
  cleanups.push(() => s.close())
  return { db: d, clock, service: s, demo }
}

/** The synchronous seed this replaces: the same bars read in this thread, replayed, stored. */
function syncSeed(symbol: string, seedBars: number, now: number) {
  const d = db()
  const demo = createDemoMarket()
  const bars = marketBarSource(d, demo)
  const book = new SymbolBook('demo', symbol, DEFAULT_PROFILE, bars.timeframes('demo', symbol))
  const series: Partial<Record<Timeframe, Candle[]>> = {}
  for (const tf of book.timeframes) series[tf] = bars.closedBars('demo', symbol, tf, seedBars, now)
  const signals = book.replay(series)
  saveSignals(d, signals)
  return { db: d, book, signals, series }
}

const rows = (d: ReturnType<typeof db>) =>
  d.prepare('SELECT * FROM signal_history ORDER BY timeframe, time').all() as Record<string, unknown>[]

/** Every number compared with Object.is (so -0, NaN and every bit count). */
function expectSameBits(a: unknown, b: unknown): void {
  expect(a).toEqual(b)
  expect(JSON.stringify(a, bitsReplacer)).toBe(JSON.stringify(b, bitsReplacer))
}
function bitsReplacer(_key: string, v: unknown): unknown {
  if (typeof v !== 'number') return v
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, v)
  return `${buf.getBigUint64(0).toString(16)}`
}

/** Counts turns of the event loop (setImmediate callbacks) until `done` settles. */
async function turnsDuring<T>(work: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0
  let settled = false
  const spin = (): void => {
    if (settled) return
    turns++
    setImmediate(spin)
  }
  setImmediate(spin)
  try {
    const value = await work
    return { value, turns }
  } finally {
    settled = true
  }
}

describe('cold seed in the worker', () => {
  it('gives the synchronous replay’s signals to the bit: every signal, the stored rows, the book', async () => {
    const sync = syncSeed('BTC/USDT', 1000, START)
    const p = pool()
    const req: SeedRequest = {
      source: 'demo',
      symbol: 'BTC/USDT',
      profile: DEFAULT_PROFILE,
      timeframes: [...CHART_TIMEFRAMES],
      seedBars: 1000,
      now: START,
      bars: { recipe: marketBarSource(sync.db, createDemoMarket()).recipe!('demo', START)! },
    }
    const viaWorker: SeedResult = await p.run(seedTask, req)
    expect(viaWorker.threadId).not.toBe(threadId)
    const key = { source: 'demo', symbol: 'BTC/USDT', profile: 'default' }
    const decoded: Signal[] = []
    for (let i = 0; i < viaWorker.signals.count; i++) decoded.push(decodeSignal(viaWorker, key, i))
    expect(decoded.length).toBe(sync.signals.length)
    expectSameBits(decoded, sync.signals)
    expectSameBits(
      viaWorker.latest,
      CHART_TIMEFRAMES.map((tf) => sync.book.latest(tf)),
    )
    // The same request in this thread (the fallback) gives the same result.
    const inline = computeSeed(req)
    expectSameBits(inline.latest, viaWorker.latest)
    expect(Array.from(inline.signals.score)).toEqual(Array.from(viaWorker.signals.score))

    // Through the service: the stored history equals the synchronous one row for row, and the
    // live book continues exactly as the synchronously replayed one.
    const { db: d, clock, service: s } = service({ seeder: workerSeeder(p).run, seedBars: 1000 })
    const cur = await s.current('demo', 'BTC/USDT')
    expectSameBits(
      cur.timeframes.map((f) => f.signal),
      CHART_TIMEFRAMES.map((tf) => sync.book.latest(tf)),
    )
    expectSameBits(rows(d), rows(sync.db))

    const events: SignalsUpdate[] = []
    s.subscribe('demo', 'BTC/USDT', (e) => events.push(e))
    clock.t = Date.UTC(2025, 5, 2, 10, 0, 2)
    s.poll()
    expect(events.map((e) => e.kind)).toEqual(['snapshot', 'update'])
    const demo = createDemoMarket()
    const later: Partial<Record<Timeframe, Candle[]>> = {}
    for (const tf of CHART_TIMEFRAMES) {
      const last = sync.series[tf]!.at(-1)!.time
      later[tf] = marketBarSource(sync.db, demo)
        .closedBars('demo', 'BTC/USDT', tf, 10, clock.t)
        .filter((b) => b.time > last)
    }
    const next = sync.book.replay(later)
    expect(next.length).toBeGreaterThan(0)
    expectSameBits(
      events[1]!.signals,
      CHART_TIMEFRAMES.flatMap((tf) => sync.book.latest(tf) ?? []).filter((x) => next.includes(x)),
    )
  })

  it('keeps the event loop turning while a cold demo symbol is seeded, the heavy part in the worker', async () => {
    const p = pool()
    const seeder = workerSeeder(p)
    const { service: s } = service({ seeder: seeder.run, seedBars: 1000 })
    const { value, turns } = await turnsDuring(s.current('demo', 'ETH/USDT'))
    expect(value.timeframes.every((f) => f.signal !== null)).toBe(true)
    // The replay ran in another thread; this one only took its result over, in slices.
    expect(seeder.threads).toHaveLength(1)
    expect(seeder.threads[0]).not.toBe(threadId)
    // The synchronous seed allowed no turn at all; here the loop keeps turning throughout.
    expect(turns).toBeGreaterThan(20)
  })

  it('slices the main thread’s share even when the seed runs inline (no worker)', async () => {
    const { service: s } = service({ seeder: inlineSeeder, seedBars: 1000 })
    const { turns } = await turnsDuring(s.current('demo', 'PAXG/USDT'))
    // Inline, the replay itself is one piece; committing and storing still yield between slices.
    expect(turns).toBeGreaterThan(5)
  })

  it('shares one seed between concurrent requests for the same symbol', async () => {
    const p = pool()
    const seeder = workerSeeder(p)
    const { service: s } = service({ seeder: seeder.run })
    const events: SignalsUpdate[] = []
    s.subscribe('demo', 'SOL/USDT', (e) => events.push(e))
    const [a, b, h] = await Promise.all([
      s.current('demo', 'SOL/USDT'),
      s.current('demo', 'SOL/USDT'),
      s.history({ source: 'demo', symbol: 'SOL/USDT', timeframe: '1h', limit: 10 }),
    ])
    expect(seeder.calls).toHaveLength(1)
    expect(a).toEqual(b)
    expect(h.signals.length).toBe(10)
    expect(events.map((e) => e.kind)).toEqual(['snapshot'])
    expect(s.seeding).toBe(0)
    // Built once: later calls do not seed again.
    await s.current('demo', 'SOL/USDT')
    expect(seeder.calls).toHaveLength(1)
  })

  it('fails every request waiting on a failed seed, ends its streams with the error, and tries again later', async () => {
    let fail = true
    let calls = 0
    const seeder: SeedRunner = async (req) => {
      calls++
      await new Promise((r) => setTimeout(r, 5))
      if (fail) throw new Error('seed blew up')
      return inlineSeeder(req)
    }
    const { service: s } = service({ seeder })
    const ended: unknown[] = []
    s.subscribe(
      'demo',
      'BTC/USDT',
      () => {},
      (err) => ended.push(err),
    )
    const results = await Promise.allSettled([s.current('demo', 'BTC/USDT'), s.current('demo', 'BTC/USDT')])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(calls).toBe(1)
    await new Promise((r) => setImmediate(r))
    expect(ended).toHaveLength(1)
    expect(String(ended[0])).toMatch(/seed blew up/)
    fail = false
    const ok = await s.current('demo', 'BTC/USDT')
    expect(ok.timeframes[0]!.signal).not.toBeNull()
    expect(calls).toBe(2)
  })

  it('rejects (never hangs) when the worker dies with the seed in flight', async () => {
    const p = pool(() => new Worker('setTimeout(() => process.exit(3), 20)', { eval: true }))
    const { service: s } = service({ seeder: (req) => p.run(seedTask, req, { onCrash: 'reject' }) })
    await expect(s.current('demo', 'BTC/USDT')).rejects.toMatchObject({
      kind: 'internal',
      message: expect.stringMatching(/signals.seed computation failed: compute worker exited with code 3/),
    })
    // Later seeds run in this thread (sliced), with the same results.
    const again = await s.current('demo', 'BTC/USDT')
    expect(again.timeframes.every((f) => f.signal !== null)).toBe(true)
  })

  it('refuses an unknown symbol at once, and a seed given another demo market', async () => {
    const p = pool()
    const { service: s } = service({ seeder: workerSeeder(p).run })
    await expect(s.current('demo', 'NOPE/USDT')).rejects.toMatchObject({ kind: 'not_found' })
    expect(() => s.subscribe('demo', 'NOPE/USDT', () => {})).toThrow(/Unknown demo symbol/)
    const d = db()
    const wrong = marketBarSource(d, createDemoMarket({ historyDays: 90 }), 180).recipe!('demo', START)!
    await expect(
      p.run(seedTask, {
        source: 'demo',
        symbol: 'BTC/USDT',
        profile: DEFAULT_PROFILE,
        timeframes: [...CHART_TIMEFRAMES],
        seedBars: 50,
        now: START,
        bars: { recipe: wrong },
      }),
    ).rejects.toMatchObject({ kind: 'internal', message: expect.stringMatching(/another demo market/) })
  })

  it('drops a seed whose profile changed meanwhile and answers with the new profile', async () => {
    const p = pool()
    const seeder = workerSeeder(p)
    const { service: s } = service({ seeder: seeder.run })
    const pending = s.current('demo', 'BTC/USDT')
    s.setProfile({
      profile: {
        ...DEFAULT_PROFILE,
        id: 'mtf-off',
        name: 'No MTF',
        mtf: { strength: 0, weights: [0.5, 0.3, 0.2] },
      },
    })
    const cur = await pending
    expect(cur.profile).toBe('mtf-off')
    for (const f of cur.timeframes) expect(f.signal!.profile).toBe('mtf-off')
    expect(seeder.calls.map((c) => c.profile.id)).toEqual(['default', 'mtf-off'])
  })

  it('fails seeds in flight and later calls once closed', async () => {
    const p = pool()
    const { service: s } = service({ seeder: workerSeeder(p).run, seedBars: 1000 })
    const pending = s.current('demo', 'EUR/USDT')
    await new Promise((r) => setTimeout(r, 1))
    s.close()
    await expect(pending).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/^engine closing/),
    })
    await expect(s.current('demo', 'EUR/USDT')).rejects.toMatchObject({ kind: 'unavailable' })
  })
})
