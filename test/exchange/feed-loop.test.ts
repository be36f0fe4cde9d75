import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { formingBars, myTradesSource, ordersSource } from '../../src/main/exchange/feeds'
import { coalesce, runFeed, type Transport } from '../../src/main/exchange/feed-loop'
import { useTempDirs } from '../support/temp-dir'
import { until, useRig } from './support'

const newDir = useTempDirs()
const rig = useRig(newDir)
const fast = {
  pollIntervalMs: 20,
  backoffBaseMs: 10,
  backoffMaxMs: 40,
  wsFailuresBeforeFallback: 3,
  wsRetryAfterMs: 60_000,
}

describe('feed loop: one interface for websocket and polling', () => {
  it('uses the websocket while it works', async () => {
    let n = 0
    const got: Array<[number, Transport]> = []
    const stop = runFeed(
      { watch: async () => ++n, poll: async () => -1 },
      { data: (v, t) => got.push([v, t]) },
      fast,
    )
    await until(() => got.length >= 3, 'three updates')
    stop()
    expect(got.slice(0, 3)).toEqual([
      [1, 'websocket'],
      [2, 'websocket'],
      [3, 'websocket'],
    ])
  })

  it('falls back to polling after repeated websocket failures, and reconnects after errors', async () => {
    let wsCalls = 0
    let polls = 0
    const transports: Transport[] = []
    const errors: string[] = []
    const got: Array<[number, Transport]> = []
    const stop = runFeed(
      {
        watch: async () => {
          wsCalls++
          throw new ccxt.NetworkError('binance ws connection closed')
        },
        poll: async () => {
          polls++
          if (polls === 2) throw new ccxt.ExchangeNotAvailable('binance 503')
          return polls
        },
      },
      {
        data: (v, t) => got.push([v, t]),
        error: (e, t) => errors.push(`${t}:${e.kind}`),
        transport: (t) => transports.push(t),
      },
      fast,
    )
    await until(() => got.length >= 2, 'two polled values')
    stop()
    expect(wsCalls).toBe(3)
    expect(transports).toEqual(['polling'])
    expect(errors).toEqual([
      'websocket:unavailable',
      'websocket:unavailable',
      'websocket:unavailable',
      'polling:unavailable',
    ])
    expect(got.slice(0, 2)).toEqual([
      [1, 'polling'],
      [3, 'polling'],
    ])
  })

  it('falls back at once when the exchange does not support the websocket method', async () => {
    const transports: Transport[] = []
    const got: number[] = []
    const stop = runFeed(
      {
        watch: async () => {
          throw new ccxt.NotSupported('watchTicker() is not supported yet')
        },
        poll: async () => 7,
      },
      { data: (v) => got.push(v), transport: (t) => transports.push(t) },
      fast,
    )
    await until(() => got.length >= 1, 'a polled value')
    stop()
    expect(transports).toEqual(['polling'])
  })

  it("watches again when another feed's unwatch of the same stream cancels this watch, without an error", async () => {
    // ccxt rejects every pending watch of a stream it unsubscribes (a chart that left the symbol
    // and came back): nothing failed, and the stream must not end as an unexpected error.
    let calls = 0
    const errors: string[] = []
    const got: Array<[number, Transport]> = []
    const stop = runFeed(
      {
        watch: async () => {
          calls++
          if (calls <= 2) throw new ccxt.UnsubscribeError('binance ohlcv::BTC/USDT::1m')
          return calls
        },
        poll: async () => -1,
      },
      { data: (v, t) => got.push([v, t]), error: (e, t) => errors.push(`${t}:${e.kind}`) },
      fast,
    )
    await until(() => got.length >= 1, 'an update after the cancelled watches')
    stop()
    expect(errors).toEqual([])
    expect(got[0]).toEqual([3, 'websocket'])
  })

  it('stops calling the source once stopped', async () => {
    let polls = 0
    const stop = runFeed(
      { poll: async () => ++polls },
      { data: () => {} },
      { ...fast, pollIntervalMs: 60_000 },
    )
    await until(() => polls >= 1, 'a poll')
    stop()
    await stop.finished // the 60 s pause was cut short
    expect(polls).toBe(1)
  })

  it('coalesces to the newest value per interval', async () => {
    const out: number[] = []
    const c = coalesce<number>((v) => out.push(v), 30)
    c.push(1)
    c.push(2)
    c.push(3)
    expect(out).toEqual([1])
    await until(() => out.length === 2, 'the trailing value')
    expect(out).toEqual([1, 3])
    c.dispose()
  })

  it('turns bar lists into forming-bar events and one closed event per bar', () => {
    const events: Array<{ t: number; c: number; closed: boolean }> = []
    const onBars = formingBars((e) => events.push({ t: e.candle.time, c: e.candle.close, closed: e.closed }))
    onBars([
      [0, 1, 1, 1, 1, 1],
      [60, 1, 2, 1, 2, 1],
    ])
    onBars([
      [0, 1, 1, 1, 1, 1],
      [60, 1, 2, 1, 2, 1],
    ]) // unchanged: nothing
    onBars([
      [0, 1, 1, 1, 1, 1],
      [60, 1, 3, 1, 3, 1],
    ])
    onBars([
      [60, 1, 3, 1, 2.5, 1],
      [120, 2.5, 2.5, 2.5, 2.5, 0],
    ])
    expect(events).toEqual([
      { t: 60, c: 2, closed: false },
      { t: 60, c: 3, closed: false },
      { t: 60, c: 2.5, closed: true },
      { t: 120, c: 2.5, closed: false },
    ])
  })
})

describe('streams from the simulator by REST polling (websockets turned off)', () => {
  it('streams tickers by polling and keeps going through a 5xx', async () => {
    const { subscribe, sim } = await rig({
      deps: { feed: fast, coalesceMs: 1 },
      configure: { websocket: false },
    })
    const s = subscribe('exchange.watchTicker', { exchange: 'binance', symbol: 'BTC/USDT' })
    await until(() => s.events.length >= 1, 'a ticker')
    sim.faults.next('ticker24hr', '503', 2)
    const before = s.events.length
    await until(
      () => sim.faults.pending() === 0 && s.events.length >= before + 2,
      'tickers after the failures',
    )
    s.dispose()
    expect(s.ended).toBeNull()
    expect(s.events.every((e) => e.transport === 'polling' && e.symbol === 'BTC/USDT' && e.last! > 0)).toBe(
      true,
    )
    expect(sim.state.requests({ kind: 'ticker24hr' }).filter((r) => r.status === 503)).toHaveLength(2)
  })

  it('streams the forming bar and the order book', async () => {
    const { subscribe } = await rig({ deps: { feed: fast, coalesceMs: 1 }, configure: { websocket: false } })
    const bars = subscribe('exchange.watchCandles', {
      exchange: 'binance',
      symbol: 'ETH/USDT',
      timeframe: '1m',
    })
    const book = subscribe('exchange.watchOrderBook', { exchange: 'binance', symbol: 'ETH/USDT', depth: 3 })
    await until(() => bars.events.length >= 1 && book.events.length >= 1, 'a bar and a book')
    const bar = bars.events.at(-1)!
    expect(bar.transport).toBe('polling')
    expect(bar.candle.time % 60_000).toBe(0)
    expect(Date.now() - bar.candle.time).toBeLessThan(2 * 60_000 + 5_000)
    expect(book.events[0]!.bids).toHaveLength(3)
  })

  it('ends the stream with not_found for a symbol the exchange does not list', async () => {
    const { subscribe } = await rig({ deps: { feed: fast }, configure: { websocket: false } })
    const s = subscribe('exchange.watchTicker', { exchange: 'binance', symbol: 'NOPE/USDT' })
    await until(() => s.ended !== null, 'the stream to end')
    expect(s.ended?.error).toMatchObject({ kind: 'not_found' })
  })
})

describe('account feeds for the order path (polling fallback)', () => {
  it('yields new fills once each, and order changes including orders that left the open set', async () => {
    const { hub, sim } = await rig({ configure: { websocket: false } })
    await hub.setKeys('binance', { apiKey: sim.apiKey, secret: sim.secret }, false)
    const connection = await hub.connection('binance')
    const trades = myTradesSource(connection, 'BTC/USDT')
    const orders = ordersSource(connection, 'BTC/USDT')
    expect(trades.watch).toBeUndefined() // websockets turned off for this connection
    expect(await trades.poll()).toEqual([])
    expect(await orders.poll()).toEqual([])

    const price = sim.market.price('BTCUSDT')
    const resting = await connection.call(
      'createOrder',
      (ex) => ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, Math.round(price * 0.5)),
      {
        mutating: true,
        signed: true,
      },
    )
    await connection.call('createOrder', (ex) => ex.createOrder('BTC/USDT', 'market', 'buy', 0.002), {
      mutating: true,
      signed: true,
    })

    const fills = await trades.poll()
    expect(fills.length).toBeGreaterThan(0)
    expect(fills.reduce((s, t) => s + (t.amount ?? 0), 0)).toBeCloseTo(0.002, 8)
    expect(await trades.poll()).toEqual([]) // seen already

    const open = await orders.poll()
    expect(open.map((o) => [o.id, o.status])).toEqual([[resting.id, 'open']])
    expect(await orders.poll()).toEqual([]) // unchanged
    await connection.call('cancelOrder', (ex) => ex.cancelOrder(String(resting.id), 'BTC/USDT'), {
      mutating: true,
      signed: true,
    })
    const gone = await orders.poll()
    expect(gone.map((o) => [o.id, o.status])).toEqual([[resting.id, 'canceled']])
  })
})
