import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDemoMarket } from '../../src/main/demo'
import { silentLogger } from '../../src/main/log'
import { marketBarSource } from '../../src/main/signals/bars'
import { SymbolBook } from '../../src/main/signals/book'
import { serviceHandlers } from '../../src/main/signals/handlers'
import { SignalService } from '../../src/main/signals/service'
import { upsertCandles } from '../../src/main/storage/candle-store'
import { migrate } from '../../src/main/storage/migrate'
import { MIGRATIONS } from '../../src/main/storage/migrations'
import type { SignalsUpdate } from '../../src/shared/contract/signals'
import { fromColumns } from '../../src/shared/domain/candles'
import { DEFAULT_PROFILE, signalProfileSchema } from '../../src/shared/domain/signals'
import { CHART_TIMEFRAMES, timeframeMs, type Timeframe } from '../../src/shared/domain/timeframes'
import { memoryPair, registryWith } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'
import { walk1m } from './support'

const tempDir = useTempDirs()
const demo = createDemoMarket()
const SEED = 300
const MIN = 60_000
/** 09:58:30 UTC: the next minutes close 1m bars; 10:00 also closes 5m, 15m and 1h bars. */
const START = Date.UTC(2025, 5, 2, 9, 58, 30)

const services: SignalService[] = []
afterEach(() => {
  for (const s of services.splice(0)) s.close()
})

function setup() {
  const db = new Database(join(tempDir(), 'engine.db'))
  migrate(db, MIGRATIONS)
  const clock = {
    t: START,
    now() {
      return this.t
    },
  }
  const service = new SignalService({
    db,
    bars: marketBarSource(db, demo),
    clock,
    log: silentLogger,
    seedBars: SEED,
  })
  services.push(service)
  const { client, disconnect } = memoryPair(registryWith(serviceHandlers(service)))
  return { db, clock, service, client, disconnect }
}

/** What an independent replay of the demo bars known at `t` (seeded at `seedAt`) says. */
function replayDemo(symbol: string, seedAt: number, t: number) {
  const book = new SymbolBook('demo', symbol, DEFAULT_PROFILE)
  const series: Partial<Record<Timeframe, ReturnType<typeof fromColumns>>> = {}
  for (const tf of CHART_TIMEFRAMES) {
    const seed = fromColumns(demo.candles(symbol, tf, seedAt, SEED, seedAt))
    const last = seed.at(-1)!.time
    const later = fromColumns(demo.candles(symbol, tf, t, 50, t)).filter((b) => b.time > last)
    series[tf] = [...seed, ...later]
  }
  book.replay(series)
  return book
}

const nextEvent = (events: SignalsUpdate[], n: number) => async () => {
  // Seeds finish in slices (a few turns of the event loop); a loaded machine may need a while.
  for (let i = 0; i < 400 && events.length < n; i++) await new Promise((r) => setTimeout(r, 5))
  return events[n - 1]
}

describe('signals.current', () => {
  it('scores all six timeframes of a demo symbol from closed bars', async () => {
    const { client } = setup()
    const res = await client.invoke('signals.current', { source: 'demo', symbol: 'BTC/USDT' })
    if (!res.ok) throw new Error(res.error.message)
    const v = res.value
    expect(v.profile).toBe('default')
    expect(v.timeframes.map((f) => f.timeframe)).toEqual(['1m', '5m', '15m', '1h', '4h', '1d'])
    // The newest CLOSED bar of each timeframe at 09:58:30.
    const lastOpen = {
      '1m': '09:57',
      '5m': '09:50',
      '15m': '09:30',
      '1h': '08:00',
      '4h': '04:00',
      '1d': '06-01',
    }
    for (const f of v.timeframes) {
      const s = f.signal!
      expect(s.score).toBeGreaterThanOrEqual(0)
      expect(s.score).toBeLessThanOrEqual(100)
      const iso = new Date(s.time).toISOString()
      const want = lastOpen[f.timeframe as keyof typeof lastOpen]
      expect(f.timeframe === '1d' ? iso.slice(5, 10) : iso.slice(11, 16)).toBe(want)
      expect(s.reasons.length).toBeGreaterThan(0)
    }
    // The same as an independent replay of the same bars.
    const book = replayDemo('BTC/USDT', START, START)
    for (const f of v.timeframes) expect(f.signal).toEqual(book.latest(f.timeframe))
  })

  it('answers not_found for an unknown symbol and a validation error for bad params', async () => {
    const { client } = setup()
    const a = await client.invoke('signals.current', { source: 'demo', symbol: 'NOPE/USDT' })
    expect(a.ok ? null : a.error.kind).toBe('not_found')
    const b = await client.invoke('signals.current', { source: 'demo' } as never)
    expect(b.ok ? null : b.error.kind).toBe('validation')
    const c = await client.invoke('signals.history', {
      source: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      limit: 0,
    })
    expect(c.ok ? null : c.error.kind).toBe('validation')
  })
})

describe('live updates', () => {
  it('streams a snapshot, then the timeframes whose bars closed, identical to a replay', async () => {
    const { client, clock, service } = setup()
    const events: SignalsUpdate[] = []
    const stop = client.subscribe('signals.updates', { source: 'demo', symbol: 'ETH/USDT' }, (e) =>
      events.push(e),
    )
    const snap = (await nextEvent(events, 1)())!
    expect(snap.kind).toBe('snapshot')
    expect(snap.signals.map((s) => s.timeframe)).toEqual(['1m', '5m', '15m', '1h', '4h', '1d'])

    // Within the same minute nothing closes.
    clock.t = START + 20_000
    service.poll()
    // 09:59:05: the 09:58 1m bar closed.
    clock.t = Date.UTC(2025, 5, 2, 9, 59, 5)
    service.poll()
    const e1 = (await nextEvent(events, 2)())!
    expect(e1.kind).toBe('update')
    expect(e1.signals.map((s) => [s.timeframe, new Date(s.time).toISOString().slice(11, 16)])).toEqual([
      ['1m', '09:58'],
    ])

    // 10:00:02: 09:59 closes the 5m, 15m and 1h bars too.
    clock.t = Date.UTC(2025, 5, 2, 10, 0, 2)
    service.poll()
    const e2 = (await nextEvent(events, 3)())!
    expect(e2.signals.map((s) => [s.timeframe, new Date(s.time).toISOString().slice(11, 16)])).toEqual([
      ['1m', '09:59'],
      ['5m', '09:55'],
      ['15m', '09:45'],
      ['1h', '09:00'],
    ])
    expect(events).toHaveLength(3)
    const book = replayDemo('ETH/USDT', START, clock.t)
    for (const s of e2.signals) expect(s).toEqual(book.latest(s.timeframe))

    // A 7-minute gap (no poll in between) is caught up: one coalesced event, newest per timeframe.
    clock.t = Date.UTC(2025, 5, 2, 10, 7, 1)
    service.poll()
    const e3 = (await nextEvent(events, 4)())!
    expect(e3.signals.map((s) => [s.timeframe, new Date(s.time).toISOString().slice(11, 16)])).toEqual([
      ['1m', '10:06'],
      ['5m', '10:00'],
    ])
    const later = replayDemo('ETH/USDT', START, clock.t)
    for (const s of e3.signals) expect(s).toEqual(later.latest(s.timeframe))
    stop()
  })

  it('catches up at once when a followed feed reports a closed bar, not at the next poll', async () => {
    const { db, clock } = setup()
    const market = marketBarSource(db, demo)
    let onClosed: (() => void) | null = null
    let released = 0
    const service = new SignalService({
      db,
      clock,
      log: silentLogger,
      seedBars: SEED,
      // The demo market, but followed the way an exchange series is.
      bars: {
        ...market,
        follow: (_source, _symbol, _timeframes, closed) => {
          onClosed = closed
          return () => released++
        },
      },
    })
    services.push(service)
    const events: SignalsUpdate[] = []
    const stop = service.subscribe('demo', 'ETH/USDT', (e) => events.push(e))
    await nextEvent(events, 1)()
    expect(onClosed).not.toBeNull()
    // 09:59:05: the 09:58 bar closed; no poll runs, the feed says so.
    clock.t = Date.UTC(2025, 5, 2, 9, 59, 5)
    onClosed!()
    const e1 = (await nextEvent(events, 2)())!
    expect(e1.signals.map((s) => [s.timeframe, new Date(s.time).toISOString().slice(11, 16)])).toEqual([
      ['1m', '09:58'],
    ])
    // The minute's poll then finds nothing new, and the last subscriber leaving releases the feed.
    service.poll()
    expect(events).toHaveLength(2)
    stop()
    expect(released).toBe(1)
  })

  it('follows the timeframes of the active profile, and those of a new one once it is built', async () => {
    const { db, clock } = setup()
    const market = marketBarSource(db, demo)
    const following: string[] = []
    const service = new SignalService({
      db,
      clock,
      log: silentLogger,
      seedBars: SEED,
      bars: {
        ...market,
        follow: (_source, _symbol, timeframes) => {
          const name = timeframes.join(',')
          following.push(name)
          return () => following.splice(following.indexOf(name), 1)
        },
      },
    })
    services.push(service)
    const events: SignalsUpdate[] = []
    const stop = service.subscribe('demo', 'ETH/USDT', (e) => events.push(e))
    await nextEvent(events, 1)()
    expect(following).toEqual([DEFAULT_PROFILE.timeframes.join(',')])
    service.setProfile({
      profile: signalProfileSchema.parse({ id: 'hourly', name: 'Hourly', timeframes: ['1h', '4h'] }),
    })
    await nextEvent(events, 2)()
    // The new book's timeframes are followed (the new watch first), the old ones released.
    expect(following).toEqual(['1h,4h'])
    stop()
    expect(following).toEqual([])
  })

  it('records every signal in the history, seeded ones included', async () => {
    const { client, clock, service } = setup()
    client.subscribe('signals.updates', { source: 'demo', symbol: 'SOL/USDT' }, () => {})
    await new Promise((r) => setTimeout(r, 10))
    clock.t = Date.UTC(2025, 5, 2, 10, 3, 1)
    service.poll()
    const res = await client.invoke('signals.history', {
      source: 'demo',
      symbol: 'SOL/USDT',
      timeframe: '1m',
      limit: 10_000,
    })
    if (!res.ok) throw new Error(res.error.message)
    const times = res.value.signals.map((s) => s.time)
    // 300 seeded bars, the first 49 warming up, then 09:58 through 10:02 live.
    expect(times).toHaveLength(SEED - 49 + 5)
    expect(times.at(-1)).toBe(Date.UTC(2025, 5, 2, 10, 2))
    expect(new Set(times.slice(1).map((t, i) => t - times[i]!))).toEqual(new Set([MIN]))
    const h = await client.invoke('signals.history', { source: 'demo', symbol: 'SOL/USDT', timeframe: '3m' })
    expect(h.ok && h.value.signals).toEqual([])
  })

  it('rebuilds after a gap longer than the seed window', async () => {
    const { client, clock, service } = setup()
    const events: SignalsUpdate[] = []
    client.subscribe('signals.updates', { source: 'demo', symbol: 'BTC/USDT' }, (e) => events.push(e))
    await nextEvent(events, 1)()
    clock.t = START + (SEED + 5) * MIN
    service.poll()
    const e = (await nextEvent(events, 2)())!
    expect(e.kind).toBe('snapshot')
    expect(e.signals.find((s) => s.timeframe === '1m')!.time).toBe(Math.floor(clock.t / MIN) * MIN - MIN)
  })
})

describe('profiles', () => {
  it('saves, activates and switches profiles, and recomputes with them', async () => {
    const { client } = setup()
    const events: SignalsUpdate[] = []
    client.subscribe('signals.updates', { source: 'demo', symbol: 'BTC/USDT' }, (e) => events.push(e))
    await nextEvent(events, 1)()
    const trendOnly = {
      id: 'trend-only',
      name: 'Trend only',
      weights: { trend: 1, momentum: 0, volatility: 0, volume: 0 },
    }
    const set = await client.invoke('signals.setProfile', { profile: trendOnly })
    if (!set.ok) throw new Error(set.error.message)
    expect(set.value.active).toBe('trend-only')
    expect(set.value.profiles.map((p) => [p.profile.id, p.builtin])).toEqual([
      ['default', true],
      ['trend-only', false],
    ])
    const snap = (await nextEvent(events, 2)())!
    expect(snap.kind).toBe('snapshot')
    expect(snap.profile).toBe('trend-only')
    for (const s of snap.signals) {
      expect(s.components.momentum).toBeNull()
      expect(s.raw).toBe(s.components.trend) // the trend is the whole raw score
    }
    const cur = await client.invoke('signals.current', { source: 'demo', symbol: 'BTC/USDT' })
    expect(cur.ok && cur.value.profile).toBe('trend-only')

    const back = await client.invoke('signals.setProfile', { id: 'default' })
    expect(back.ok && back.value.active).toBe('default')
    expect((await nextEvent(events, 3)())!.profile).toBe('default')

    const missing = await client.invoke('signals.setProfile', { id: 'nope' })
    expect(missing.ok ? null : missing.error.kind).toBe('not_found')
    const builtin = await client.invoke('signals.setProfile', { profile: { id: 'default', name: 'Mine' } })
    expect(builtin.ok ? null : builtin.error.kind).toBe('conflict')
    const invalid = await client.invoke('signals.setProfile', {
      profile: { id: 'bad', name: 'Bad', trend: { emaFast: 60, emaSlow: 50 } },
    })
    expect(invalid.ok ? null : invalid.error.kind).toBe('validation')
  })

  it('keeps the active profile across restarts, and clears a profile’s history when it changes', async () => {
    const { db, clock, client } = setup()
    await client.invoke('signals.setProfile', { profile: { id: 'mine', name: 'Mine' } })
    const h1 = await client.invoke('signals.history', { source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' })
    expect(h1.ok && h1.value.signals.length).toBeGreaterThan(100)
    const again = new SignalService({ db, bars: marketBarSource(db, demo), clock, seedBars: SEED })
    services.push(again)
    expect(again.activeProfile.id).toBe('mine')
    // Same definition: history kept. New definition: cleared, then rebuilt on use.
    again.setProfile({ profile: signalProfileSchema.parse({ id: 'mine', name: 'Mine' }) })
    expect(db.prepare(`SELECT COUNT(*) AS n FROM signal_history WHERE profile = 'mine'`).get()).not.toEqual({
      n: 0,
    })
    again.setProfile({
      profile: signalProfileSchema.parse({ id: 'mine', name: 'Mine', mtf: { strength: 0 } }),
    })
    expect(db.prepare(`SELECT COUNT(*) AS n FROM signal_history WHERE profile = 'mine'`).get()).toEqual({
      n: 0,
    })
    const h2 = await again.history({ source: 'demo', symbol: 'BTC/USDT', timeframe: '1h', limit: 1000 })
    for (const s of h2.signals) expect(s.score).toBe(s.raw) // strength 0: higher timeframes ignored
  })
})

describe('sources', () => {
  it('scores an imported history on the timeframes it has, without a live feed', async () => {
    const { db, client } = setup()
    const minutes = walk1m(3 * 1440, 5, Date.UTC(2025, 4, 1))
    upsertCandles(db, { source: 'import:walk', symbol: 'WALK', timeframe: '1m' }, minutes)
    const res = await client.invoke('signals.current', { source: 'import:walk', symbol: 'WALK' })
    if (!res.ok) throw new Error(res.error.message)
    const frames = res.value.timeframes
    expect(frames.map((f) => f.timeframe)).toEqual(['1m', '5m', '15m', '1h', '4h', '1d'])
    // 3 days of minutes: enough for 1m..1h (1000 bars read), not for 4h or 1d to warm up.
    expect(frames.map((f) => f.signal !== null)).toEqual([true, true, true, true, false, false])
    expect(frames[0]!.signal!.time).toBe(minutes.at(-1)!.time)
    const events: SignalsUpdate[] = []
    client.subscribe('signals.updates', { source: 'import:walk', symbol: 'WALK' }, (e) => events.push(e))
    expect((await nextEvent(events, 1)())!.kind).toBe('snapshot')
  })

  it('reads bars closed by now only, per timeframe', () => {
    const t = Date.UTC(2025, 5, 2, 10, 0, 0)
    const bars = marketBarSource(new Database(':memory:'), demo)
    for (const tf of CHART_TIMEFRAMES) {
      const last = bars.closedBars('demo', 'BTC/USDT', tf, 3, t).at(-1)!
      expect(last.time + timeframeMs(tf)).toBeLessThanOrEqual(t)
    }
  })
})
