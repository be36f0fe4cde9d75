import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AlertPreview, Firing } from '../../src/shared/contract/alerts'
import type { SignalsUpdate } from '../../src/shared/contract/signals'
import type { TradingUpdate } from '../../src/shared/domain/trading'
import { createAlertsDomain, type AlertsDeps } from '../../src/main/alerts/domain'
import type { BreakerHealth, OrderUpdates, SignalScores } from '../../src/main/alerts/ports'
import { createDemoMarket } from '../../src/main/demo'
import { silentLogger } from '../../src/main/log'
import { candleUpdates } from '../../src/main/market/candle-updates'
import { HandlerRegistry } from '../../src/main/rpc/registry'
import { memorySecretStore } from '../../src/main/secrets/store'
import { marketBarSource } from '../../src/main/signals/bars'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import type { Db } from '../../src/main/storage/db'
import { useTempDirs } from '../support/temp-dir'

/*
 * The sources of alerts other than a series' bars, each through its port with a fake on the other
 * side: the signals' multi-timeframe score, order updates (filled, partly filled, rejected) and
 * an exchange's breaker opening.
 */
const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

type Extra = Pick<AlertsDeps, 'signals' | 'orders' | 'exchanges'>

function harness(extra: Extra, db: Db = openDatabase(join(tempDir(), 'candlework.db'))) {
  const clock = { now: () => Date.now() }
  const demo = createDemoMarket()
  const live = candleUpdates({ demo, clock })
  const domain = createAlertsDomain({
    db,
    clock,
    log: silentLogger,
    secrets: memorySecretStore(),
    bars: marketBarSource(db, demo, undefined, live),
    live,
    ...extra,
  })
  const registry = new HandlerRegistry(silentLogger, { checkResults: true })
  registry.add(domain.handlers)
  domain.start?.()
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await domain.close?.()
  }
  cleanups.push(async () => {
    await close()
    closeDatabase(db)
  })
  return { registry, domain, db, close }
}

async function call<T>(registry: HandlerRegistry, name: string, params: unknown): Promise<T> {
  const res = await registry.invoke(name, params, ctx)
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`)
  return res.value as T
}

const history = (h: { registry: HandlerRegistry }) => call<Firing[]>(h.registry, 'alerts.history', {})

/**
 * The signals domain as the alerts see it: the test sends each symbol's score updates, which are
 * stored as the signals service stores them; `store` adds scores without telling anyone (computed
 * while the alerts were not running).
 */
function fakeSignals() {
  const listeners = new Set<(e: SignalsUpdate) => void>()
  let latest: { time: number; score: number } | null = null
  const stored: { time: number; score: number }[] = []
  const keep = (time: number, score: number) => {
    stored.push({ time, score })
    latest = { time, score }
  }
  const event = (kind: 'snapshot' | 'update', time: number, score: number): SignalsUpdate =>
    ({
      kind,
      source: 'demo',
      symbol: 'BTC/USDT',
      profile: 'default',
      timeframes: ['1h'],
      signals: [{ timeframe: '1h', time, score }],
    }) as unknown as SignalsUpdate
  const port: SignalScores = {
    history: async (q) => ({
      signals: stored.filter((x) => x.time >= (q.from ?? -Infinity)).slice(-q.limit),
    }),
    subscribe(_source, _symbol, listener) {
      listeners.add(listener)
      // As the signals service does: the newest signal first.
      if (latest) listener(event('snapshot', latest.time, latest.score))
      return () => listeners.delete(listener)
    },
  }
  return {
    port,
    /** A 1h bar closed with this score. */
    close(time: number, score: number) {
      keep(time, score)
      for (const l of [...listeners]) l(event('update', time, score))
    },
    store: keep,
  }
}

const HOUR = 3_600_000

describe('the signal score', () => {
  it('fires when the score crosses the threshold on a closed bar, also on the first bar after a restart', async () => {
    const signals = fakeSignals()
    const first = harness({ signals: signals.port })
    await call(first.registry, 'alerts.create', {
      alert: {
        name: 'Score up through 70',
        series: { source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' },
        condition: { type: 'signal_score', op: 'crossing_up', threshold: 70 },
        frequency: 'every_time',
        minIntervalMs: 0,
      },
    })
    const t0 = Math.floor(Date.now() / HOUR) * HOUR - 10 * HOUR
    signals.close(t0, 40)
    signals.close(t0 + HOUR, 65)
    expect(await history(first)).toHaveLength(0)
    signals.close(t0 + 2 * HOUR, 72)
    const [fired] = await history(first)
    expect(fired).toMatchObject({
      kind: 'signal_score',
      barTime: t0 + 2 * HOUR,
      values: { score: 72, threshold: 70 },
    })
    signals.close(t0 + 3 * HOUR, 80)
    signals.close(t0 + 4 * HOUR, 60)
    expect(await history(first)).toHaveLength(1)

    // Closed and started again on the same database: the score it last checked (60) is the one
    // the next bar's 75 crosses up from.
    await first.close()
    const again = harness({ signals: signals.port }, first.db)
    signals.close(t0 + 5 * HOUR, 75)
    await expect.poll(async () => (await history(again)).length).toBe(2)
    const [latest] = await history(again)
    expect(latest).toMatchObject({
      away: false,
      barTime: t0 + 5 * HOUR,
      values: { score: 75, threshold: 70 },
    })
  })
})

describe('the signal score, stored', () => {
  const spec = {
    name: 'Score up through 70',
    series: { source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' },
    condition: { type: 'signal_score', op: 'crossing_up', threshold: 70 },
    frequency: 'every_time',
    minIntervalMs: 0,
  }
  const scores = [40, 75, 60, 71, 72, 50, 90]

  it('previews the firings over the stored scores of the last days', async () => {
    const signals = fakeSignals()
    const now = Date.now()
    const t0 = Math.floor(now / HOUR) * HOUR - scores.length * HOUR
    // Before the window: 80 then 30, so the window's first bar (40) crosses nothing.
    signals.store(t0 - 50 * HOUR, 80)
    signals.store(t0 - 49 * HOUR, 30)
    scores.forEach((score, i) => signals.store(t0 + i * HOUR, score))
    const h = harness({ signals: signals.port })
    const p = await call<AlertPreview>(h.registry, 'alerts.preview', { alert: spec, days: 2 })
    expect(p).toMatchObject({ bars: scores.length, from: t0, to: t0 + 6 * HOUR, fired: 3 })
    expect(p.firings.map((f) => [f.barTime, f.values.score])).toEqual([
      [t0 + HOUR, 75],
      [t0 + 3 * HOUR, 71],
      [t0 + 6 * HOUR, 90],
    ])
    expect(p.firings[0]!.time).toBe(t0 + 2 * HOUR)
  })

  it('replays the scores stored while it was not running, once, labelled away', async () => {
    const signals = fakeSignals()
    const t0 = Math.floor(Date.now() / HOUR) * HOUR - 20 * HOUR
    const first = harness({ signals: signals.port })
    await call(first.registry, 'alerts.create', { alert: spec })
    signals.close(t0, 40)
    await first.close()
    // While closed: the signals domain stored these (it seeds from the candles on start).
    scores.slice(1).forEach((score, i) => signals.store(t0 + (i + 1) * HOUR, score))
    const again = harness({ signals: signals.port }, first.db)
    await expect.poll(async () => (await history(again)).length).toBe(3)
    const away = (await history(again)).reverse()
    expect(away.map((f) => [f.away, f.barTime, f.values.score])).toEqual([
      [true, t0 + HOUR, 75],
      [true, t0 + 3 * HOUR, 71],
      [true, t0 + 6 * HOUR, 90],
    ])
    // Then live again, from the newest stored score (90): 65 then 70 is one crossing.
    signals.close(t0 + 7 * HOUR, 65)
    signals.close(t0 + 8 * HOUR, 70)
    await expect.poll(async () => (await history(again)).length).toBe(4)
    expect((await history(again))[0]).toMatchObject({ away: false, barTime: t0 + 8 * HOUR })
    // And not replayed again on the next start.
    await again.close()
    const third = harness({ signals: signals.port }, first.db)
    signals.close(t0 + 9 * HOUR, 71)
    expect(await history(third)).toHaveLength(4)
  })
})

/** The trading service as the alerts see it: the test sends order updates. */
function fakeOrders() {
  const listeners = new Set<(u: TradingUpdate) => void>()
  const port: OrderUpdates = {
    subscribe(_account, emit) {
      listeners.add(emit)
      return () => listeners.delete(emit)
    },
  }
  return {
    port,
    order(accountId: string, clientOrderId: string, status: string, filled: string) {
      const u = {
        type: 'order',
        order: {
          accountId,
          clientOrderId,
          status,
          filled,
          amount: '2',
          side: 'buy',
          symbol: 'ETH/USDT',
          price: '3000',
          average: filled === '0' ? null : '3000',
        },
      } as unknown as TradingUpdate
      for (const l of [...listeners]) l(u)
    },
  }
}

describe('order events', () => {
  it('fire on partly filled and rejected orders of the account asked for, once per change', async () => {
    const orders = fakeOrders()
    const h = harness({ orders: orders.port })
    await call(h.registry, 'alerts.create', {
      alert: {
        name: 'Paper fills and rejections',
        condition: { type: 'order', accountId: 'paper', events: ['partially_filled', 'rejected'] },
        frequency: 'every_time',
        minIntervalMs: 0,
      },
    })
    orders.order('paper', 'a', 'open', '0')
    orders.order('paper', 'a', 'partially_filled', '0.5')
    orders.order('paper', 'a', 'partially_filled', '0.5') // the same change told twice
    orders.order('paper', 'a', 'partially_filled', '1.5')
    orders.order('paper', 'a', 'filled', '2') // not asked for
    orders.order('live', 'b', 'rejected', '0') // another account
    orders.order('paper', 'c', 'rejected', '0')
    const fired = (await history(h)).reverse()
    expect(fired.map((f) => [f.kind, f.symbol, f.values.filled])).toEqual([
      ['order', 'ETH/USDT', 0.5],
      ['order', 'ETH/USDT', 1.5],
      ['order', 'ETH/USDT', 0],
    ])
    expect(fired.map((f) => f.message)).toEqual([
      expect.stringContaining('buy 2 ETH/USDT partially filled'),
      expect.stringContaining('buy 2 ETH/USDT partially filled'),
      expect.stringContaining('buy 2 ETH/USDT rejected'),
    ])
  })
})

describe("an exchange's breaker", () => {
  it('fires when it opens on the exchange asked for, not on other changes', async () => {
    const listeners = new Set<(exchange: string, changed: boolean) => void>()
    const state: Record<string, 'closed' | 'open' | 'half-open'> = { binance: 'closed', kraken: 'closed' }
    const hub: BreakerHealth = {
      onHealth(l) {
        listeners.add(l)
        return () => listeners.delete(l)
      },
      health: () => Object.entries(state).map(([exchange, s]) => ({ exchange, state: s, clockSkew: null })),
    }
    const tell = (exchange: string, s: 'closed' | 'open' | 'half-open', changed = true) => {
      state[exchange] = s
      for (const l of [...listeners]) l(exchange, changed)
    }
    const h = harness({ exchanges: hub })
    await call(h.registry, 'alerts.create', {
      alert: {
        name: 'Binance down',
        condition: { type: 'breaker', exchange: 'binance' },
        frequency: 'every_time',
        minIntervalMs: 0,
      },
    })
    tell('kraken', 'open')
    tell('binance', 'open', false) // a request's result while open: not a change
    expect(await history(h)).toHaveLength(0)
    tell('binance', 'open')
    tell('binance', 'half-open')
    tell('binance', 'closed')
    const fired = await history(h)
    expect(fired).toHaveLength(1)
    expect(fired[0]).toMatchObject({
      kind: 'breaker',
      message: expect.stringContaining("binance's breaker opened"),
    })
  })
})
