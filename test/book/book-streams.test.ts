import { afterEach, describe, expect, it } from 'vitest'
import { createBookDomain } from '../../src/main/book/domain'
import { createDemoMarket } from '../../src/main/demo'
import type { BookEvent, TradesEvent } from '../../src/shared/contract/book'
import type { AppErrorShape } from '../../src/shared/contract/errors'
import { spreadOf, toUnits } from '../../src/shared/domain/book'
import { useTempDirs } from '../support/temp-dir'
import { memoryPair, registryWith } from '../support/memory-transport'
import { until, useRig } from '../exchange/support'

/**
 * The `book.*` streams through the real registry and wire (every event checked against the
 * contract): the demo market's, and an exchange's through the hub's ccxt connection to the loopback
 * simulator, over its websocket and by REST polling.
 */

const newDir = useTempDirs()
const rig = useRig(newDir)
const closers: Array<() => void> = []
afterEach(() => {
  for (const c of closers.splice(0).reverse()) c()
})

type Handlers = ReturnType<typeof createBookDomain>['handlers']
function connect(handlers: Handlers) {
  const { client, disconnect } = memoryPair(registryWith(handlers))
  closers.push(disconnect)
  return <E>(name: 'book.depth' | 'book.trades', params: Record<string, unknown>) => {
    const got = { events: [] as { at: number; e: E }[], ended: null as AppErrorShape | null | undefined }
    const stop = client.subscribe(
      name,
      params as never,
      (e) => got.events.push({ at: Date.now(), e: e as E }),
      (err) => (got.ended = err ?? null),
    )
    closers.push(stop)
    return got
  }
}

describe('book streams of the demo market', () => {
  it('send the book around the demo price and at most 10 events a second under a fast feed', async () => {
    const demo = createDemoMarket({ seed: 3 })
    // A clock running 40x fast: the demo's price ticks many times per sample, so every sample changes the book.
    const t0 = Date.now()
    const clock = { now: () => t0 + (Date.now() - t0) * 40 }
    const subscribe = connect(createBookDomain({ demo, clock, demoSampleMs: 10 }).handlers)
    const book = subscribe<BookEvent>('book.depth', { source: 'demo', symbol: 'SOL/USDT', depth: 20 })
    const tape = subscribe<TradesEvent>('book.trades', { source: 'demo', symbol: 'SOL/USDT' })
    await until(() => book.events.length >= 12 && tape.events.length >= 12, '12 events of each', 10_000)
    for (const got of [book.events, tape.events]) {
      const span = got[11]!.at - got[1]!.at
      // 10 gaps between events 1..11 (the first goes out at once): at least ~100 ms each.
      expect(span).toBeGreaterThanOrEqual(10 * 95)
    }
    const first = book.events[0]!.e
    expect(first).toMatchObject({ source: 'demo', symbol: 'SOL/USDT', tick: '0.01', transport: 'simulated' })
    expect(first.bids).toHaveLength(20)
    const mid = Number(spreadOf(first.bids, first.asks)!.mid)
    expect(mid).toBe(Number(demo.quote('SOL/USDT', first.time).last.toFixed(2)))
    // The tape: trades in time order across events, none repeated.
    const trades = tape.events.flatMap((x) => x.e.trades)
    for (let i = 1; i < trades.length; i++) expect(trades[i]!.time).toBeGreaterThan(trades[i - 1]!.time)
  })

  it('ends with not_found naming the symbol for an unknown demo symbol', async () => {
    const subscribe = connect(
      createBookDomain({ demo: createDemoMarket(), clock: { now: Date.now } }).handlers,
    )
    const got = subscribe<BookEvent>('book.depth', { source: 'demo', symbol: 'NOPE/USDT' })
    await until(() => got.ended !== null, 'the end')
    expect(got.ended).toMatchObject({ kind: 'not_found', path: 'params.symbol' })
  })
})

describe('book streams of an exchange through ccxt and the simulator', () => {
  for (const websocket of [true, false]) {
    const transport = websocket ? 'websocket' : 'polling'
    it(`stream the simulator's book and trades by ${transport}`, async () => {
      const r = await rig({ configure: { websocket } })
      const domain = createBookDomain({
        demo: createDemoMarket(),
        clock: r.clock,
        exchanges: r.hub,
        feed: { pollIntervalMs: 50 },
      })
      const subscribe = connect(domain.handlers)
      r.sim.market.setPrice('BTCUSDT', 65_000.5, { freeze: true })
      const book = subscribe<BookEvent>('book.depth', {
        source: 'binance:custom',
        symbol: 'BTC/USDT',
        depth: 10,
      })
      const tape = subscribe<TradesEvent>('book.trades', { source: 'binance:custom', symbol: 'BTC/USDT' })
      await until(
        () => book.events.some((x) => x.e.transport === transport) && tape.events.length > 0,
        `the book and the tape by ${transport}`,
        20_000,
      )
      const e = book.events.find((x) => x.e.transport === transport)!.e
      const truth = r.sim.market.book('BTCUSDT', 10)
      expect(e.tick).toBe('0.01')
      expect(e.bids.map(([p, s]) => [Number(p), Number(s)])).toEqual(truth.bids)
      expect(e.asks.map(([p, s]) => [Number(p), Number(s)])).toEqual(truth.asks)
      const trades = tape.events[0]!.e.trades
      expect(trades.length).toBeGreaterThan(0)
      for (const t of trades) {
        expect(toUnits(t.price, 8)).toBeGreaterThan(0n)
        expect(['buy', 'sell']).toContain(t.side)
      }
      // Every request went through the connection (its breaker and rate limiter, timed into its health).
      const health = r.hub.health('binance')[0]!
      expect(health.samples).toBeGreaterThan(0)
      expect(book.ended).toBeNull()
    })
  }

  it('ends with not_found for a source no connection serves', async () => {
    const r = await rig()
    const subscribe = connect(
      createBookDomain({ demo: createDemoMarket(), clock: r.clock, exchanges: r.hub }).handlers,
    )
    // binance's connection goes to the simulator: its source is `binance:custom`, not `binance`.
    const got = subscribe<BookEvent>('book.depth', { source: 'binance', symbol: 'BTC/USDT' })
    await until(() => got.ended !== null, 'the end')
    expect(got.ended).toMatchObject({ kind: 'not_found', path: 'params.source' })
  })
})
