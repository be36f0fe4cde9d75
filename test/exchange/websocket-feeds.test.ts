import ccxt from 'ccxt'
import { afterEach, describe, expect, it } from 'vitest'
import { guardWsClients } from '../../src/main/exchange/ws-guards'
import { candleSource, myTradesSource, orderBookSource, ordersSource } from '../../src/main/exchange/feeds'
import { binanceProClientFor, type BinanceProClient } from '../simulator/ccxt-client'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { until, useRig } from './support'

/**
 * Real ccxt.pro over a real loopback websocket to the simulator: its market streams (ticker,
 * klines, diff depth) and the WebSocket API user data stream, then the app's feeds (connection.ts,
 * feeds.ts, feed-loop.ts) on top of them, through drops and refused upgrades. Waits are for events,
 * with generous limits; nothing sleeps for a fixed time.
 */

const newDir = useTempDirs()
const rig = useRig(newDir)
const fast = {
  pollIntervalMs: 20,
  backoffBaseMs: 10,
  backoffMaxMs: 40,
  wsFailuresBeforeFallback: 3,
  wsRetryAfterMs: 60_000,
}
const LIMIT = 30_000

describe('ccxt.pro against the simulator websocket', () => {
  const open: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close()
  })
  async function setup(
    opts: SimulatorOptions = {},
    extra: Parameters<typeof binanceProClientFor>[1] = {},
  ): Promise<{ sim: Simulator; ex: BinanceProClient }> {
    const sim = await startSimulator({ seed: 11, ...opts })
    open.push(() => sim.close())
    const ex = binanceProClientFor(sim, extra)
    guardWsClients(ex)
    open.push(() => ex.close())
    await ex.loadMarkets()
    return { sim, ex }
  }

  it('watchTicker and watchOHLCV agree with the REST answers', async () => {
    const { sim, ex } = await setup({}, { options: { watchTickers: { name: 'ticker' } } })
    sim.market.setPrice('BTCUSDT', 65_000.5, { freeze: true })
    const ws = await ex.watchTicker('BTC/USDT')
    const rest = await ex.fetchTicker('BTC/USDT')
    expect(ws.last).toBe(65_000.5)
    expect([ws.last, ws.bid, ws.ask]).toEqual([rest.last, rest.bid, rest.ask])

    const bars = await ex.watchOHLCV('BTC/USDT', '1m')
    const [time, open, high, low, close, volume] = bars.at(-1)!
    const [same] = await ex.fetchOHLCV('BTC/USDT', '1m', time, 1)
    // The same bar: the REST read is a little later, so only its range and volume may have grown
    // (the minute may even have closed in between).
    expect([same![0], same![1], same![4]]).toEqual([time, open, close])
    expect(close).toBe(65_000.5)
    expect(same![2]).toBeGreaterThanOrEqual(high!)
    expect(same![3]).toBeLessThanOrEqual(low!)
    expect(same![5]).toBeGreaterThanOrEqual(volume!)
    expect(sim.ws.connections().streams).toBeGreaterThan(0)
  })

  it('watchOrderBook: the REST snapshot plus every diff is exactly the simulator book', async () => {
    const { sim, ex } = await setup()
    let ob = await ex.watchOrderBook('BTC/USDT')
    const first = ob.nonce!
    // ccxt took its snapshot over REST (1000 deep) and checks every diff's U/u against it.
    const snapshots = sim.state.requests({ kind: 'depth' })
    expect(snapshots.map((r) => r.params['limit'])).toEqual(['1000'])
    expect(snapshots[0]!.status).toBe(200)
    while (ob.nonce! < first + 3) ob = await ex.watchOrderBook('BTC/USDT')
    const truth = sim.market.bookAt('BTCUSDT', ob.timestamp!, 1000)
    expect(ob.bids.slice(0, 1000)).toEqual(truth.bids)
    expect(ob.asks.slice(0, 1000)).toEqual(truth.asks)

    // A frozen book: the websocket book and a REST read are the same.
    sim.market.setPrice('ETHUSDT', 3_001.37, { freeze: true })
    const eth = await ex.watchOrderBook('ETH/USDT')
    const rest = await ex.fetchOrderBook('ETH/USDT', 20)
    expect(eth.bids.slice(0, 20)).toEqual(rest.bids)
    expect(eth.asks.slice(0, 20)).toEqual(rest.asks)
    expect(eth.bids[0]![0]).toBe(3_001.37)
  })

  it('watchOrders, watchMyTrades and watchBalance see a REST order and its fill', async () => {
    const { sim, ex } = await setup({ autoMatch: false })
    const price = 40_000
    sim.market.setPrice('BTCUSDT', price, { freeze: true })
    let orders = ex.watchOrders('BTC/USDT')
    const trades = ex.watchMyTrades('BTC/USDT')
    await until(() => sim.ws.userSubscriptions(sim.apiKey) > 0, 'the user data subscription', LIMIT)
    expect(sim.ws.connections().api).toBe(1)

    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.002, price - 500)
    const opened = await orders
    expect(opened.map((o) => [o.id, o.status, o.filled])).toEqual([[placed.id, 'open', 0]])

    orders = ex.watchOrders('BTC/USDT')
    const balance = ex.watchBalance()
    sim.market.setPrice('BTCUSDT', price - 600, { freeze: true })
    sim.market.tick()
    const filled = (await orders).find((o) => o.id === placed.id)!
    expect([filled.status, filled.filled, filled.price]).toEqual(['closed', 0.002, price - 500])
    const [fill] = await trades
    expect(fill).toMatchObject({ order: placed.id, amount: 0.002, price: price - 500, takerOrMaker: 'maker' })
    const restTrades = await ex.fetchMyTrades('BTC/USDT')
    expect(restTrades.map((t) => t.id)).toEqual([fill!.id])
    const bal = await balance
    expect(bal['BTC']?.free).toBe((await ex.fetchBalance())['BTC']?.free)
  })

  it('refuses a user data subscription with a bad signature, like signed REST', async () => {
    const sim = await startSimulator({ seed: 2 })
    open.push(() => sim.close())
    const ex = binanceProClientFor({ url: sim.url, apiKey: sim.apiKey, secret: 'x'.repeat(64) })
    // Without the guard ccxt also rejects its shared authenticate future, which nobody awaits.
    guardWsClients(ex)
    open.push(() => ex.close())
    await ex.loadMarkets()
    await expect(ex.watchOrders('BTC/USDT')).rejects.toThrow(ccxt.AuthenticationError)
    expect(sim.ws.userSubscriptions()).toBe(0)
  })
})

describe('the app feeds over the simulator websocket (connection with a custom API URL)', () => {
  it('streams tickers over the websocket, then reconnects after every socket is dropped', async () => {
    const { subscribe, sim } = await rig({ deps: { feed: fast, coalesceMs: 1 } })
    const s = subscribe('exchange.watchTicker', { exchange: 'binance', symbol: 'BTC/USDT' })
    await until(() => s.events.length >= 2, 'tickers', LIMIT)
    expect(sim.ws.connections().streams).toBeGreaterThan(0)
    const accepted = sim.ws.stats().accepted

    expect(sim.ws.dropAll()).toBeGreaterThan(0)
    const before = s.events.length
    await until(
      () => sim.ws.stats().accepted > accepted && s.events.length >= before + 2,
      'tickers after the drop',
      LIMIT,
    )
    s.dispose()
    expect(s.ended).toBeNull()
    expect(s.events.every((e) => e.transport === 'websocket' && e.symbol === 'BTC/USDT')).toBe(true)
    expect(s.events.every((e) => e.last! > 0 && e.bid! > 0 && e.ask! > e.bid!)).toBe(true)
    // The data came over the socket, not from the REST ticker.
    expect(sim.state.requests({ kind: 'ticker24hr' })).toHaveLength(0)
  })

  it(
    'falls back to REST polling when upgrades are refused, and returns to the websocket later',
    async () => {
      const { subscribe, sim } = await rig({
        sim: { websocket: { refuse: true } },
        deps: { feed: { ...fast, wsRetryAfterMs: 300 }, coalesceMs: 1 },
      })
      const s = subscribe('exchange.watchTicker', { exchange: 'binance', symbol: 'ETH/USDT' })
      await until(() => s.events.some((e) => e.transport === 'polling'), 'a polled ticker', LIMIT)
      expect(sim.ws.stats().refused).toBeGreaterThanOrEqual(fast.wsFailuresBeforeFallback)
      expect(sim.state.requests({ kind: 'ticker24hr' }).length).toBeGreaterThan(0)

      sim.ws.refuseUpgrades(false)
      // ccxt.pro adds its own reconnect delay per URL (1 s, 2 s, 4 s, ... after failed dials).
      await until(() => s.events.at(-1)?.transport === 'websocket', 'a websocket ticker again', 2 * LIMIT)
      s.dispose()
      expect(s.ended).toBeNull()
      expect(s.events[0]!.transport).toBe('polling')
    },
    3 * LIMIT,
  )

  it('streams candles and the order book over the websocket', async () => {
    const { subscribe, sim, hub } = await rig({ deps: { feed: fast, coalesceMs: 1 } })
    sim.market.setPrice('SOLUSDT', 150.25, { freeze: true })
    const bars = subscribe('exchange.watchCandles', {
      exchange: 'binance',
      symbol: 'SOL/USDT',
      timeframe: '1m',
    })
    const book = subscribe('exchange.watchOrderBook', { exchange: 'binance', symbol: 'SOL/USDT', depth: 3 })
    await until(() => bars.events.length >= 1 && book.events.length >= 1, 'a bar and a book', LIMIT)
    expect(bars.events[0]).toMatchObject({ transport: 'websocket', closed: false, candle: { close: 150.25 } })
    expect(bars.events[0]!.candle.time % 60_000).toBe(0)
    expect(book.events[0]!.transport).toBe('websocket')
    expect(book.events[0]!.bids).toEqual(sim.market.book('SOLUSDT', 3).bids)
    expect(book.events[0]!.asks).toEqual(sim.market.book('SOLUSDT', 3).asks)

    // The sources the app builds use the websocket halves.
    const connection = await hub.connection('binance')
    expect(connection.websocket).toBe(true)
    expect(candleSource(connection, 'SOL/USDT', '1m').watch).toBeDefined()
    expect(orderBookSource(connection, 'SOL/USDT', 3).watch).toBeDefined()
  })

  it('the order and fill feeds get a REST order and its fill over the user data stream', async () => {
    const { hub, sim } = await rig({ sim: { autoMatch: false } })
    await hub.setKeys('binance', { apiKey: sim.apiKey, secret: sim.secret }, false)
    const connection = await hub.connection('binance')
    const orders = ordersSource(connection, 'BTC/USDT')
    const trades = myTradesSource(connection, 'BTC/USDT')
    expect(orders.watch && trades.watch).toBeDefined()
    const nextOrders = orders.watch!()
    const nextTrades = trades.watch!()
    await until(() => sim.ws.userSubscriptions(sim.apiKey) > 0, 'the user data subscription', LIMIT)

    const placed = await connection.call(
      'createOrder',
      (ex) => ex.createOrder('BTC/USDT', 'market', 'sell', 0.003),
      { mutating: true, signed: true },
    )
    const seen = await nextOrders
    expect(seen.find((o) => o.id === placed.id)).toMatchObject({ side: 'sell', amount: 0.003 })
    const fills = await nextTrades
    expect(fills.length).toBeGreaterThan(0)
    expect(fills.every((t) => t.order === placed.id && t.side === 'sell')).toBe(true)
    const rest = sim.state.trades().filter((t) => t.orderId === Number(placed.id))
    expect(fills.map((t) => Number(t.id))).toEqual(rest.slice(0, fills.length).map((t) => t.id))
  })
})
