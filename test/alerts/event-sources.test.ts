import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Firing } from '../../src/shared/contract/alerts'
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

/** The signals domain as the alerts see it: the test sends each symbol's score updates. */
function fakeSignals() {
  const listeners = new Set<(e: SignalsUpdate) => void>()
  let latest: { time: number; score: number } | null = null
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
      latest = { time, score }
      for (const l of [...listeners]) l(event('update', time, score))
    },
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

    // Closed and started again on the same database: the newest score (60) comes as the
    // snapshot, and the next bar's 75 is a crossing up.
    await first.close()
    const again = harness({ signals: signals.port }, first.db)
    signals.close(t0 + 5 * HOUR, 75)
    const after = await history(again)
    expect(after).toHaveLength(2)
    expect(after[0]).toMatchObject({ barTime: t0 + 5 * HOUR, values: { score: 75, threshold: 70 } })
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
